package controllers

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/dxcontest/contest-platform/internal/rankcontract"
	"github.com/dxcontest/contest-platform/internal/schedule"
)

// The ranking Job's Role and RoleBinding are repaired when they drift: a manager restarted
// with another --rank-service-account, or a hand edit. An unchanged pass writes nothing, and
// the summary ConfigMap, whose data the Job writes, is never rewritten.
func TestRankAccessIsRepaired(t *testing.T) {
	ctx := context.Background()
	ns := newNamespace(t)
	newRound(t, ns, "dot-1", opens1, closes1, withoutWeb)
	h := newHarness(t, opens1)
	h.r.APIReader = env.Client
	h.r.RankJob = RankJobConfig{Image: "contest:test", DatabaseSecret: "contest-database", ServiceAccount: "contest-rank"}
	drained := closes1.Add(schedule.SettleDelay)
	h.reconcileAt(drained, ns, "dot-1")

	name := rankcontract.RoleName("dot-1")
	var role rbacv1.Role
	var binding rbacv1.RoleBinding
	read := func() {
		t.Helper()
		if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &role); err != nil {
			t.Fatal(err)
		}
		if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &binding); err != nil {
			t.Fatal(err)
		}
	}
	read()
	wantRules := role.DeepCopy().Rules
	if len(wantRules) != 2 || len(binding.Subjects) != 1 || binding.Subjects[0].Name != "contest-rank" {
		t.Fatalf("first pass: Role rules %+v, RoleBinding subjects %+v", role.Rules, binding.Subjects)
	}

	// The Job wrote its summary; the operator must leave it alone.
	var cm corev1.ConfigMap
	cmKey := client.ObjectKey{Namespace: ns, Name: rankcontract.ConfigMapName("dot-1")}
	if err := env.Client.Get(ctx, cmKey, &cm); err != nil {
		t.Fatal(err)
	}
	cm.Data = map[string]string{rankcontract.SummaryKey: `{"round":"written by the Job"}`}
	if err := env.Client.Update(ctx, &cm); err != nil {
		t.Fatal(err)
	}

	roleVersion, bindingVersion := role.ResourceVersion, binding.ResourceVersion
	h.reconcileAt(drained.Add(1), ns, "dot-1")
	read()
	if role.ResourceVersion != roleVersion || binding.ResourceVersion != bindingVersion {
		t.Errorf("an unchanged pass rewrote the Role (%s → %s) or RoleBinding (%s → %s)", roleVersion, role.ResourceVersion, bindingVersion, binding.ResourceVersion)
	}

	// The manager now runs with another service account.
	h.r.RankJob.ServiceAccount = "contest-rank-v2"
	h.reconcileAt(drained.Add(2), ns, "dot-1")
	read()
	want := []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: "contest-rank-v2", Namespace: ns}}
	if !equality.Semantic.DeepEqual(binding.Subjects, want) {
		t.Errorf("after --rank-service-account changed: RoleBinding subjects %+v, want %+v", binding.Subjects, want)
	}

	// Someone widens the Role and adds themselves to the binding by hand.
	role.Rules = append(role.Rules, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: []string{"get", "list", "delete"}})
	if err := env.Client.Update(ctx, &role); err != nil {
		t.Fatal(err)
	}
	binding.Subjects = append(binding.Subjects, rbacv1.Subject{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "mallory"})
	if err := env.Client.Update(ctx, &binding); err != nil {
		t.Fatal(err)
	}
	h.reconcileAt(drained.Add(3), ns, "dot-1")
	read()
	if !equality.Semantic.DeepEqual(role.Rules, wantRules) {
		t.Errorf("hand-edited Role not repaired: rules %+v, want %+v", role.Rules, wantRules)
	}
	if !equality.Semantic.DeepEqual(binding.Subjects, want) {
		t.Errorf("hand-edited RoleBinding not repaired: subjects %+v, want %+v", binding.Subjects, want)
	}

	if err := env.Client.Get(ctx, cmKey, &cm); err != nil {
		t.Fatal(err)
	}
	if got := cm.Data[rankcontract.SummaryKey]; got != `{"round":"written by the Job"}` {
		t.Errorf("the summary ConfigMap was rewritten: data %q", got)
	}
}
