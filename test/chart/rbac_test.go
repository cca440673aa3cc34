package chart

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	appsv1 "k8s.io/api/apps/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/controllers"
	"github.com/dxcontest/contest-platform/internal/rankcontract"
	"github.com/dxcontest/contest-platform/internal/schedule"
)

// The operator's permissions as each install grants them, checked on the API server under
// the operator's own identity (impersonating its service account): it may do its work in
// the namespace it was installed in and nowhere else, it scales the web Deployment through
// the scale subresource and may not rewrite the Deployment, and a whole reconcile (scaling
// up, scaling down, starting the ranking Job with its Role) succeeds with exactly that.
func TestOperatorRBAC(t *testing.T) {
	const other = "contest-extra"
	t.Run("kustomize", func(t *testing.T) {
		out, err := runTool(t, tools.kustomize, "build", filepath.Join(root, "config", "default"))
		if err != nil {
			t.Fatal(err)
		}
		objs := objects(t, out)
		mgr := typed[appsv1.Deployment](t, find(t, objs, "Deployment", "contest-controller-manager"))
		c := mgr.Spec.Template.Spec.Containers[0]
		if got := lastFlag(c.Args, "--namespace"); got != "$(POD_NAMESPACE)" {
			t.Errorf("manager args %q: --namespace=%q, want its own namespace ($(POD_NAMESPACE))", c.Args, got)
		}
		if e := envVar(c.Env, "POD_NAMESPACE"); e == nil || e.ValueFrom == nil || e.ValueFrom.FieldRef == nil || e.ValueFrom.FieldRef.FieldPath != "metadata.namespace" {
			t.Errorf("manager env POD_NAMESPACE = %+v, want the downward API's metadata.namespace", e)
		}
		applyRBAC(t, objs)
		user := "system:serviceaccount:contest-system:" + mgr.Spec.Template.Spec.ServiceAccountName
		checkOperatorAccess(t, user, "contest-system", other, false)
		reconcileAs(t, user, "contest-system", other)
	})
	t.Run("chart", func(t *testing.T) {
		out, err := helmTemplate(t)
		if err != nil {
			t.Fatal(err)
		}
		objs := objects(t, out)
		applyRBAC(t, objs)
		user := "system:serviceaccount:" + namespace + ":" + release + "-manager"
		checkOperatorAccess(t, user, namespace, other, false)
		reconcileAs(t, user, namespace, other)
	})
	t.Run("kustomize cluster-wide", func(t *testing.T) {
		out, err := runTool(t, tools.kustomize, "build", filepath.Join(root, "config", "cluster-wide"))
		if err != nil {
			t.Fatal(err)
		}
		objs := objects(t, out)
		mgr := typed[appsv1.Deployment](t, find(t, objs, "Deployment", "contest-controller-manager"))
		if got := lastFlag(mgr.Spec.Template.Spec.Containers[0].Args, "--namespace"); got != "*" {
			t.Errorf("cluster-wide manager args %q: the last --namespace is %q, want *", mgr.Spec.Template.Spec.Containers[0].Args, got)
		}
		for _, o := range objs {
			if o.GetKind() == "RoleBinding" && o.GetName() == "contest-manager-rolebinding" {
				t.Errorf("the cluster-wide build still binds the manager's rules in one namespace")
			}
		}
		crb := find(t, objs, "ClusterRoleBinding", "contest-manager-rolebinding")
		applyRBAC(t, objs)
		t.Cleanup(func() { _ = env.Client.Delete(context.Background(), crb) })
		user := "system:serviceaccount:contest-system:" + mgr.Spec.Template.Spec.ServiceAccountName
		checkOperatorAccess(t, user, "contest-system", other, true)
	})
}

// lastFlag is the value of the last occurrence of a flag: the one the program sees.
func lastFlag(args []string, flag string) string {
	v := ""
	for _, a := range args {
		if x, ok := strings.CutPrefix(a, flag+"="); ok {
			v = x
		}
	}
	return v
}

// applyRBAC stores the service accounts and RBAC objects of a render (server-side apply).
func applyRBAC(t *testing.T, objs []*unstructured.Unstructured) {
	t.Helper()
	ctx := context.Background()
	for _, o := range objs {
		if o.GetKind() != "ServiceAccount" && o.GroupVersionKind().Group != "rbac.authorization.k8s.io" {
			continue
		}
		obj := o.DeepCopy()
		if err := env.Client.Patch(ctx, obj, client.Apply, client.FieldOwner("rbac-test"), client.ForceOwnership); err != nil {
			t.Fatalf("apply %s %s/%s: %v", o.GetKind(), o.GetNamespace(), o.GetName(), err)
		}
	}
}

func impersonating(t *testing.T, user string) client.Client {
	t.Helper()
	cfg := rest.CopyConfig(env.Config)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: user}
	c, err := client.New(cfg, client.Options{Scheme: env.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type access struct{ group, resource, sub, verb string }

func (a access) String() string {
	r := a.resource
	if a.sub != "" {
		r += "/" + a.sub
	}
	if a.group != "" {
		r = a.group + " " + r
	}
	return a.verb + " " + r
}

// The operator's work in a namespace it runs rounds in.
var operatorNeeds = []access{
	{"contest.dxcontest.io", "contestrounds", "", "list"},
	{"contest.dxcontest.io", "contestrounds", "", "watch"},
	{"contest.dxcontest.io", "contestrounds", "status", "patch"},
	{"apps", "deployments", "", "get"},
	{"apps", "deployments", "", "watch"},
	{"apps", "deployments", "scale", "get"},
	{"apps", "deployments", "scale", "update"},
	{"apps", "deployments", "scale", "patch"},
	{"autoscaling", "horizontalpodautoscalers", "", "patch"},
	{"batch", "jobs", "", "create"},
	{"", "configmaps", "", "create"},
	{"rbac.authorization.k8s.io", "roles", "", "create"},
	{"rbac.authorization.k8s.io", "rolebindings", "", "create"},
	{"rbac.authorization.k8s.io", "roles", "", "update"},
	{"rbac.authorization.k8s.io", "rolebindings", "", "update"},
	{"events.k8s.io", "events", "", "create"},
}

// What it never needs, even there: the chart owns the Deployment.
var operatorNeverNeeds = []access{
	{"apps", "deployments", "", "patch"},
	{"apps", "deployments", "", "update"},
	{"apps", "deployments", "", "create"},
	{"apps", "deployments", "", "delete"},
	{"batch", "jobs", "", "delete"},
	{"", "secrets", "", "get"},
	{"rbac.authorization.k8s.io", "roles", "", "escalate"},
	{"rbac.authorization.k8s.io", "rolebindings", "", "delete"},
}

// checkOperatorAccess asks the API server, as the operator, what it may do: everything it
// needs in its namespace, nothing it does not need, and in another namespace (and across
// the cluster) only when installed cluster-wide.
func checkOperatorAccess(t *testing.T, user, own, other string, clusterWide bool) {
	t.Helper()
	c := impersonating(t, user)
	can := func(ns string, a access) bool {
		t.Helper()
		ssar := &authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{
			ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: ns, Group: a.group, Resource: a.resource, Subresource: a.sub, Verb: a.verb}}}
		if err := c.Create(context.Background(), ssar); err != nil {
			t.Fatalf("SelfSubjectAccessReview as %s: %v", user, err)
		}
		return ssar.Status.Allowed
	}
	for _, a := range operatorNeeds {
		if !can(own, a) {
			t.Errorf("%s cannot %s in %s, its own namespace", user, a, own)
		}
		if got := can(other, a); got != clusterWide {
			t.Errorf("%s: %s in another namespace (%s) allowed=%v, want %v", user, a, other, got, clusterWide)
		}
	}
	for _, a := range operatorNeverNeeds {
		for _, ns := range []string{own, other} {
			if can(ns, a) {
				t.Errorf("%s may %s in %s: it needs no such right", user, a, ns)
			}
		}
	}
	if got := can("", access{"contest.dxcontest.io", "contestrounds", "", "list"}); got != clusterWide {
		t.Errorf("%s: list contestrounds across the cluster allowed=%v, want %v", user, got, clusterWide)
	}
}

type fixedClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fixedClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fixedClock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// reconcileAs runs the operator's reconciler as the operator's identity: a round in its
// namespace opens (the web Deployment scaled up through the scale subresource), drains
// (scaled down; the ranking Job, its ConfigMap, Role and RoleBinding created), and a round
// in another namespace is out of its reach.
func reconcileAs(t *testing.T, user, own, other string) {
	t.Helper()
	ctx := context.Background()
	admin := env.Client
	opens := time.Date(2024, 8, 17, 0, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	closes := opens.Add(15 * 24 * time.Hour)
	web := "rbac-web"
	labels := map[string]string{"app": web}
	dep := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: web, Namespace: own},
		Spec: appsv1.DeploymentSpec{Replicas: ptr.To[int32](1), Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "contest:test"}}}}},
	}
	if err := admin.Create(ctx, dep); err != nil {
		t.Fatal(err)
	}
	newRound := func(ns string) *contestv1alpha1.ContestRound {
		r := &contestv1alpha1.ContestRound{
			ObjectMeta: metav1.ObjectMeta{Name: "rbac-round", Namespace: ns},
			Spec: contestv1alpha1.ContestRoundSpec{
				Contest: contestv1alpha1.ContestRef{ID: "rbac", Title: "RBAC"}, Title: "RBAC",
				OpensAt: metav1.NewTime(opens), ClosesAt: metav1.NewTime(closes),
				Exam: contestv1alpha1.ExamRules{Bank: contestv1alpha1.BankRef{Name: "mau", Version: 1},
					Topics: []contestv1alpha1.TopicQuota{{Topic: "tong-quan", Questions: 15}}},
				Web: &contestv1alpha1.WebScaling{Deployment: web, OpenReplicas: ptr.To[int32](3), ClosedReplicas: ptr.To[int32](1)},
			},
		}
		if err := admin.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	newRound(own)
	newRound(other)
	t.Cleanup(func() {
		_ = admin.Delete(ctx, dep)
		for _, ns := range []string{own, other} {
			_ = admin.Delete(ctx, &contestv1alpha1.ContestRound{ObjectMeta: metav1.ObjectMeta{Name: "rbac-round", Namespace: ns}})
		}
	})

	c := impersonating(t, user)
	metrics, err := controllers.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	clock := &fixedClock{}
	r := &controllers.ContestRoundReconciler{Client: c, APIReader: c, Scheme: env.Scheme, Clock: clock,
		Recorder: events.NewFakeRecorder(100), Metrics: metrics,
		RankJob: controllers.RankJobConfig{Image: "contest:test", DatabaseSecret: "contest-database", ServiceAccount: "contest-rank"}}
	reconcileAt := func(now time.Time, ns string) error {
		clock.set(now)
		_, err := r.Reconcile(ctx, ctrl.Request{NamespacedName: types.NamespacedName{Namespace: ns, Name: "rbac-round"}})
		return err
	}
	replicas := func() int32 {
		var d appsv1.Deployment
		if err := admin.Get(ctx, client.ObjectKeyFromObject(dep), &d); err != nil {
			t.Fatal(err)
		}
		return *d.Spec.Replicas
	}

	if err := reconcileAt(opens.Add(time.Minute), own); err != nil {
		t.Fatalf("reconcile the open round as the operator: %v", err)
	}
	if got := replicas(); got != 3 {
		t.Errorf("open round: web replicas %d, want 3", got)
	}
	var d appsv1.Deployment
	if err := admin.Get(ctx, client.ObjectKeyFromObject(dep), &d); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(d.ManagedFields, func(f metav1.ManagedFieldsEntry) bool {
		return f.Manager == controllers.FieldOwner && f.Subresource == "scale"
	}) {
		managers, _ := json.Marshal(d.ManagedFields)
		t.Errorf("the operator did not scale through the scale subresource: managedFields %s", managers)
	}
	var round contestv1alpha1.ContestRound
	if err := admin.Get(ctx, types.NamespacedName{Namespace: own, Name: "rbac-round"}, &round); err != nil {
		t.Fatal(err)
	}
	if round.Status.Phase != contestv1alpha1.PhaseOpen || meta.IsStatusConditionFalse(round.Status.Conditions, contestv1alpha1.ConditionScaled) {
		t.Errorf("status written as the operator: phase %s, conditions %+v", round.Status.Phase, round.Status.Conditions)
	}

	if err := reconcileAt(closes.Add(schedule.SettleDelay), own); err != nil {
		t.Fatalf("reconcile the drained round as the operator: %v", err)
	}
	if got := replicas(); got != 1 {
		t.Errorf("drained round: web replicas %d, want 1", got)
	}
	var jobs batchv1.JobList
	if err := admin.List(ctx, &jobs, client.InNamespace(own), client.MatchingLabels{"contest.dxcontest.io/round": "rbac-round"}); err != nil || len(jobs.Items) != 1 {
		t.Errorf("ranking Jobs created as the operator: %d (%v), want 1", len(jobs.Items), err)
	}
	// Restarted with another --rank-service-account, the operator repairs the Job's RoleBinding.
	r.RankJob.ServiceAccount = "contest-rank-2"
	if err := reconcileAt(closes.Add(schedule.SettleDelay), own); err != nil {
		t.Fatalf("reconcile the drained round as the operator with another rank service account: %v", err)
	}
	var binding rbacv1.RoleBinding
	if err := admin.Get(ctx, types.NamespacedName{Namespace: own, Name: rankcontract.RoleName("rbac-round")}, &binding); err != nil ||
		len(binding.Subjects) != 1 || binding.Subjects[0].Name != "contest-rank-2" {
		t.Errorf("ranking RoleBinding updated as the operator: subjects %+v (%v), want contest-rank-2", binding.Subjects, err)
	}

	err = reconcileAt(opens.Add(time.Minute), other)
	if !apierrors.IsForbidden(err) {
		t.Errorf("reconcile a round in %s as the operator installed in %s: %v, want Forbidden", other, own, err)
	}

	// And the Deployment itself is not the operator's to rewrite.
	patch := client.RawPatch(types.MergePatchType, []byte(`{"spec":{"replicas":5}}`))
	if err := c.Patch(ctx, dep.DeepCopy(), patch); !apierrors.IsForbidden(err) {
		t.Errorf("patch the web Deployment as the operator: %v, want Forbidden", err)
	}
}
