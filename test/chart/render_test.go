package chart

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// The chart holds generated copies: the CRD (crds/, which Helm installs first and never
// deletes) and the operator's RBAC rules (files/manager-role.yaml). `make manifests`
// refreshes both; this fails when they were not refreshed.
func TestGeneratedCopiesInSync(t *testing.T) {
	bases, err := filepath.Glob(filepath.Join(root, "config", "crd", "bases", "*.yaml"))
	if err != nil || len(bases) == 0 {
		t.Fatalf("no CRDs in config/crd/bases: %v", err)
	}
	copies, err := filepath.Glob(filepath.Join(chartDir, "crds", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	names := func(paths []string) []string {
		var out []string
		for _, p := range paths {
			out = append(out, filepath.Base(p))
		}
		return out
	}
	if !slices.Equal(names(bases), names(copies)) {
		t.Errorf("charts/contest-platform/crds holds %v, config/crd/bases %v: run `make manifests`", names(copies), names(bases))
	}
	pairs := map[string]string{filepath.Join(root, "config", "rbac", "role.yaml"): filepath.Join(chartDir, "files", "manager-role.yaml")}
	for _, b := range bases {
		pairs[b] = filepath.Join(chartDir, "crds", filepath.Base(b))
	}
	for src, dst := range pairs {
		a, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(dst)
		if err != nil {
			t.Errorf("%v: run `make manifests`", err)
			continue
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs from %s: run `make manifests`", rel(dst), rel(src))
		}
	}
}

func rel(p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return p
	}
	return r
}

func TestLint(t *testing.T) {
	for _, values := range [][]string{nil, {"values-full.yaml"}, {"values-cloudnativepg.yaml"}} {
		args := append([]string{"lint", "--strict", chartDir, "--namespace", namespace}, valuesArgs(values...)...)
		if out, err := runTool(t, tools.helm, args...); err != nil {
			t.Errorf("helm lint with %v: %v", values, err)
		} else if !strings.Contains(out, "0 chart(s) failed") {
			t.Errorf("helm lint with %v:\n%s", values, out)
		}
	}
}

type renderCase struct {
	name   string
	values []string
	check  func(t *testing.T, objs []*unstructured.Unstructured)
}

var renderCases = []renderCase{
	{name: "default", check: checkDefault},
	{name: "full", values: []string{"values-full.yaml"}, check: checkFull},
	{name: "cloudnativepg", values: []string{"values-cloudnativepg.yaml"}, check: checkCloudNativePG},
}

// Each render: compared with its snapshot, validated by kubeconform and by a
// server-side dry-run, and checked for the properties the platform depends on.
func TestRender(t *testing.T) {
	for _, c := range renderCases {
		t.Run(c.name, func(t *testing.T) {
			manifest := render(t, valuesArgs(c.values...)...)
			snapshot(t, c.name, manifest)
			// Random values are masked in the snapshot; validate a real render.
			real, err := helmTemplate(t, valuesArgs(c.values...)...)
			if err != nil {
				t.Fatal(err)
			}
			objs := objects(t, real)
			kubeconform(t, real, len(objs))
			dryRun(t, objs)
			checkCommon(t, objs)
			c.check(t, objs)
		})
	}
}

// checkCommon holds for every render: pods run locked down, the operator's rules are
// config/rbac/role.yaml's, the web app's Role reads rounds only, the manager and the web
// app agree on the database Secret, and the rank service account exists.
func checkCommon(t *testing.T, objs []*unstructured.Unstructured) {
	for _, o := range objs {
		switch o.GetKind() {
		case "Deployment":
			d := typed[appsv1.Deployment](t, o)
			checkPodSecurity(t, o.GetName(), &d.Spec.Template.Spec)
		case "StatefulSet":
			s := typed[appsv1.StatefulSet](t, o)
			checkPodSecurity(t, o.GetName(), &s.Spec.Template.Spec)
		}
	}

	roleYAML, err := os.ReadFile(filepath.Join(root, "config", "rbac", "role.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var generated rbacv1.ClusterRole
	if err := yaml.Unmarshal(roleYAML, &generated); err != nil {
		t.Fatal(err)
	}
	manager := typed[rbacv1.ClusterRole](t, find(t, objs, "ClusterRole", namespace+"-"+release+"-manager"))
	if !reflect.DeepEqual(manager.Rules, generated.Rules) {
		t.Errorf("the chart's manager ClusterRole rules differ from config/rbac/role.yaml:\n chart: %+v\n role.yaml: %+v", manager.Rules, generated.Rules)
	}

	webRole := typed[rbacv1.Role](t, find(t, objs, "Role", release+"-web"))
	want := []rbacv1.PolicyRule{{APIGroups: []string{"contest.dxcontest.io"}, Resources: []string{"contestrounds"}, Verbs: []string{"get", "list", "watch", "patch"}}}
	if !reflect.DeepEqual(webRole.Rules, want) {
		t.Errorf("web Role rules = %+v, want only get/list/watch/patch on contestrounds (patch held to the re-rank annotation by the admission policy)", webRole.Rules)
	}

	mgr := typed[appsv1.Deployment](t, find(t, objs, "Deployment", release+"-manager"))
	c := mgr.Spec.Template.Spec.Containers[0]
	args := strings.Join(c.Args, " ")
	for _, a := range []string{"manager", "--leader-elect", "--metrics-bind-address=:8443", "--health-probe-bind-address=:8081"} {
		if !slices.Contains(c.Args, a) {
			t.Errorf("manager args %q lack %s", args, a)
		}
	}
	if want := "--rank-image=" + c.Image; !slices.Contains(c.Args, want) {
		t.Errorf("manager args %q lack %s (the chart's own image)", args, want)
	}
	if env := envVar(c.Env, "CONTEST_IMAGE"); env == nil || env.Value != c.Image {
		t.Errorf("manager env CONTEST_IMAGE = %+v, want %s", env, c.Image)
	}
	if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" || c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
		t.Errorf("manager probes: liveness %+v readiness %+v", c.LivenessProbe, c.ReadinessProbe)
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("manager resources: %+v", c.Resources)
	}
	sa := flagValue(c.Args, "--rank-service-account")
	if find(t, objs, "ServiceAccount", sa) == nil {
		t.Errorf("no ServiceAccount %s for the ranking Jobs", sa)
	}

	web := typed[appsv1.Deployment](t, find(t, objs, "Deployment", release+"-web"))
	w := web.Spec.Template.Spec.Containers[0]
	dsn := envVar(w.Env, "CONTEST_DATABASE_URL")
	if dsn == nil || dsn.ValueFrom == nil || dsn.ValueFrom.SecretKeyRef == nil {
		t.Fatalf("web env CONTEST_DATABASE_URL = %+v, want a secretKeyRef", dsn)
	}
	ref := dsn.ValueFrom.SecretKeyRef
	if ref.Name != flagValue(c.Args, "--rank-database-secret") || ref.Key != flagValue(c.Args, "--rank-database-secret-key") {
		t.Errorf("web reads the DSN from %s/%s, the ranking Jobs from %s/%s", ref.Name, ref.Key,
			flagValue(c.Args, "--rank-database-secret"), flagValue(c.Args, "--rank-database-secret-key"))
	}
	if key := envVar(w.Env, "CONTEST_SECRET_KEY"); key == nil || key.ValueFrom == nil || key.ValueFrom.SecretKeyRef == nil {
		t.Errorf("web env CONTEST_SECRET_KEY = %+v, want a secretKeyRef", key)
	}
	if w.ReadinessProbe == nil || w.ReadinessProbe.HTTPGet.Path != "/readyz" || w.LivenessProbe == nil || w.LivenessProbe.HTTPGet.Path != "/healthz" ||
		w.Ports[0].ContainerPort != 8080 {
		t.Errorf("web probes and port: readiness %+v liveness %+v ports %+v", w.ReadinessProbe, w.LivenessProbe, w.Ports)
	}
	if w.Args[0] != "web" || !slices.Contains(w.Args, "--namespace=$(POD_NAMESPACE)") || envVar(w.Env, "POD_NAMESPACE") == nil {
		t.Errorf("web args %q: want `web --namespace=$(POD_NAMESPACE)` with POD_NAMESPACE from the downward API", w.Args)
	}
	if !slices.ContainsFunc(w.Args, func(a string) bool { return strings.HasPrefix(a, "--trusted-proxy=") }) {
		t.Errorf("web args %q: no --trusted-proxy, so every contestant would look like the ingress controller", w.Args)
	}
	if web.Spec.Template.Spec.ServiceAccountName != release+"-web" {
		t.Errorf("web runs as %q", web.Spec.Template.Spec.ServiceAccountName)
	}
	// The migration step: an init container, or --migrate on the app.
	migrates := slices.Contains(w.Args, "--migrate")
	for _, ic := range web.Spec.Template.Spec.InitContainers {
		if slices.Equal(ic.Args, []string{"migrate"}) && reflect.DeepEqual(envVar(ic.Env, "CONTEST_DATABASE_URL"), dsn) {
			migrates = true
		}
	}
	if !migrates {
		t.Error("the web Deployment never migrates the database (no `contest migrate` init container, no --migrate)")
	}
}

func checkPodSecurity(t *testing.T, name string, pod *corev1.PodSpec) {
	t.Helper()
	psc := pod.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("%s: pod securityContext %+v, want runAsNonRoot and seccomp RuntimeDefault", name, psc)
	}
	for _, c := range append(slices.Clone(pod.InitContainers), pod.Containers...) {
		sc := c.SecurityContext
		if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
			sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) {
			t.Errorf("%s container %s: securityContext %+v, want no privilege escalation, read-only root, drop ALL", name, c.Name, sc)
		}
		if c.Resources.Requests.Memory().IsZero() {
			t.Errorf("%s container %s: no memory request", name, c.Name)
		}
	}
}

func envVar(env []corev1.EnvVar, name string) *corev1.EnvVar {
	for i := range env {
		if env[i].Name == name {
			return &env[i]
		}
	}
	return nil
}

func flagValue(args []string, flag string) string {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v
		}
	}
	return ""
}

func checkDefault(t *testing.T, objs []*unstructured.Unstructured) {
	web := find(t, objs, "Deployment", release+"-web")
	if _, found, _ := unstructured.NestedFieldNoCopy(web.Object, "spec", "replicas"); found {
		t.Error("the web Deployment has spec.replicas although the operator manages it: every upgrade would reset the round's scaling")
	}
	// Account recovery is off: the recovery page sends contestants to the helpdesk.
	for _, e := range typed[appsv1.Deployment](t, web).Spec.Template.Spec.Containers[0].Env {
		if strings.HasPrefix(e.Name, "CONTEST_SMTP_") || strings.HasPrefix(e.Name, "CONTEST_SMS_") {
			t.Errorf("web env %s without recovery values", e.Name)
		}
	}
	mgr := typed[appsv1.Deployment](t, find(t, objs, "Deployment", release+"-manager"))
	args := mgr.Spec.Template.Spec.Containers[0].Args
	for _, want := range []string{"--namespace=" + namespace, "--rank-service-account=contest-rank", "--rank-database-secret=contest-database", "--rank-database-secret-key=dsn"} {
		if !slices.Contains(args, want) {
			t.Errorf("manager args %q lack %s", args, want)
		}
	}
	if img := mgr.Spec.Template.Spec.Containers[0].Image; !regexp.MustCompile(`^ghcr\.io/dxcontest/contest-platform:\d+\.\d+\.\d+`).MatchString(img) {
		t.Errorf("default image %s, want the chart's appVersion as tag", img)
	}
	// The default install binds the operator's ClusterRole in its own namespace only.
	if has(objs, "ClusterRoleBinding") {
		for _, o := range objs {
			if o.GetKind() == "ClusterRoleBinding" && strings.HasSuffix(o.GetName(), "-manager") {
				t.Errorf("default install grants the operator its rules cluster-wide (%s)", o.GetName())
			}
		}
	}
	find(t, objs, "RoleBinding", release+"-manager")
	// The web app's generated key; no organizers' account until one is given.
	find(t, objs, "Secret", release+"-web")
	w := typed[appsv1.Deployment](t, find(t, objs, "Deployment", release+"-web")).Spec.Template.Spec.Containers[0]
	if envVar(w.Env, "CONTEST_ADMIN_PASSWORD_HASH") != nil {
		t.Error("the default render gives the web app an organizers' account")
	}
	for _, o := range objs {
		if o.GetKind() == "Secret" && o.GetName() == release+"-admin" {
			t.Error("the default render creates an organizers' Secret without a password hash")
		}
	}
	for _, kind := range []string{"Ingress", "HorizontalPodAutoscaler", "StatefulSet", "ServiceMonitor", "ContestRound", "Cluster"} {
		if has(objs, kind) {
			t.Errorf("the default render has a %s", kind)
		}
	}
	find(t, objs, "PodDisruptionBudget", release+"-web")
	find(t, objs, "NetworkPolicy", release+"-web")
	find(t, objs, "NetworkPolicy", release+"-manager")
}

func checkFull(t *testing.T, objs []*unstructured.Unstructured) {
	web := find(t, objs, "Deployment", release+"-web")
	if _, found, _ := unstructured.NestedFieldNoCopy(web.Object, "spec", "replicas"); found {
		t.Error("the web Deployment has spec.replicas next to an HPA")
	}
	ing := find(t, objs, "Ingress", release+"-web")
	rules, _, _ := unstructured.NestedSlice(ing.Object, "spec", "rules")
	if len(rules) != 1 || rules[0].(map[string]any)["host"] != "thi.example.gov.vn" {
		t.Errorf("ingress rules = %v, want the one host thi.example.gov.vn", rules)
	}
	tls, _, _ := unstructured.NestedSlice(ing.Object, "spec", "tls")
	if len(tls) != 1 || tls[0].(map[string]any)["secretName"] != release+"-web-tls" ||
		!reflect.DeepEqual(tls[0].(map[string]any)["hosts"], []any{"thi.example.gov.vn"}) {
		t.Errorf("ingress tls = %v", tls)
	}
	find(t, objs, "HorizontalPodAutoscaler", release+"-web")
	find(t, objs, "NetworkPolicy", release+"-postgresql")
	find(t, objs, "ServiceMonitor", release+"-manager")
	find(t, objs, "ServiceMonitor", release+"-web")
	find(t, objs, "StatefulSet", release+"-postgresql")

	// The DSN Secret is built from the generated password Secret, which survives uninstall.
	pw := typed[corev1.Secret](t, find(t, objs, "Secret", release+"-postgresql"))
	dsn := typed[corev1.Secret](t, find(t, objs, "Secret", release+"-database"))
	want := "postgres://contest:" + string(pw.Data["password"]) + "@contest-postgresql.contest.svc:5432/contest?sslmode=disable"
	if string(dsn.Data["dsn"]) != want || len(pw.Data["password"]) < 32 {
		t.Errorf("bundled DSN %q, want %q", dsn.Data["dsn"], want)
	}
	if pw.Annotations["helm.sh/resource-policy"] != "keep" {
		t.Errorf("the bundled database's password Secret is not kept on uninstall: %v", pw.Annotations)
	}

	// The organizers' account: the given argon2id hash, read by the web app, whose pods
	// restart when it changes.
	admin := typed[corev1.Secret](t, find(t, objs, "Secret", release+"-admin"))
	if admin.StringData["username"] != "btc" || !strings.HasPrefix(admin.StringData["password-hash"], "$argon2id$") {
		t.Errorf("admin Secret: %v", admin.StringData)
	}
	checkAdminEnv(t, objs, release+"-admin")
	if webDep := typed[appsv1.Deployment](t, web); webDep.Spec.Template.Annotations["checksum/admin"] == "" {
		t.Error("the web pods carry no checksum of the organizers' account: a new password would not reach running pods")
	}

	// Account recovery: the secrets from the Secrets named, the links on the ingress's
	// host, the SMS settings as given.
	wc := typed[appsv1.Deployment](t, web).Spec.Template.Spec.Containers[0]
	for env, ref := range map[string][2]string{"CONTEST_SMTP_URL": {"contest-smtp", "smtp-url"}, "CONTEST_SMTP_PASSWORD": {"contest-smtp", "password"},
		"CONTEST_SMS_TOKEN": {"contest-sms", "token"}} {
		v := envVar(wc.Env, env)
		if v == nil || v.ValueFrom == nil || v.ValueFrom.SecretKeyRef == nil || v.ValueFrom.SecretKeyRef.Name != ref[0] || v.ValueFrom.SecretKeyRef.Key != ref[1] {
			t.Errorf("web env %s = %+v, want key %s of Secret %s", env, v, ref[1], ref[0])
		}
	}
	for env, want := range map[string]string{"CONTEST_PUBLIC_URL": "https://thi.example.gov.vn", "CONTEST_SMTP_FROM": "Ban Tổ chức Cuộc thi <no-reply@example.gov.vn>",
		"CONTEST_HELPDESK_CONTACT": "Văn phòng Sở TTTT, 0252 3822 000", "CONTEST_SMS_URL": "https://sms.example.vn/v1/send", "CONTEST_SMS_AUTH_HEADER": "X-API-Key",
		"CONTEST_SMS_BODY": `{"from": "{brandname}", "to": "{phone84}", "text": "{message}"}`, "CONTEST_SMS_BRANDNAME": "SO TTTT", "CONTEST_SMS_SUCCESS": `"code"\s*:\s*"?0"?`} {
		if v := envVar(wc.Env, env); v == nil || v.Value != want {
			t.Errorf("web env %s = %+v, want %q", env, v, want)
		}
	}
	if flagValue(wc.Args, "--sms-per-hour") != "300" {
		t.Errorf("web args %q: want --sms-per-hour=300", wc.Args)
	}

	// Rounds: the web Deployment filled in where the spec does not name one.
	for name, deployment := range map[string]string{"dot-1": release + "-web", "dot-2": release + "-web"} {
		r := find(t, objs, "ContestRound", name)
		if got, _, _ := unstructured.NestedString(r.Object, "spec", "web", "deployment"); got != deployment {
			t.Errorf("round %s targets Deployment %q, want %q", name, got, deployment)
		}
		if r.GetAnnotations()["helm.sh/resource-policy"] != "keep" {
			t.Errorf("round %s is not kept on uninstall", name)
		}
	}
	if got, _, _ := unstructured.NestedFieldNoCopy(find(t, objs, "ContestRound", "dot-1").Object, "spec", "web", "openReplicas"); fmt.Sprint(got) != "6" {
		t.Errorf("round dot-1 openReplicas = %v, want the values' 6", got)
	}

	// The operator watches two namespaces and is granted its rules in exactly those.
	mgr := typed[appsv1.Deployment](t, find(t, objs, "Deployment", release+"-manager"))
	if !slices.Contains(mgr.Spec.Template.Spec.Containers[0].Args, "--namespace=contest,contest-extra") {
		t.Errorf("manager args %q", mgr.Spec.Template.Spec.Containers[0].Args)
	}
	var bound []string
	for _, o := range objs {
		if o.GetKind() == "RoleBinding" && o.GetName() == release+"-manager" {
			bound = append(bound, o.GetNamespace())
		}
	}
	if !slices.Equal(bound, []string{"contest", "contest-extra"}) {
		t.Errorf("manager RoleBindings in %v", bound)
	}
}

func checkCloudNativePG(t *testing.T, objs []*unstructured.Unstructured) {
	cluster := find(t, objs, "Cluster", release+"-pg")
	if cluster.GetAPIVersion() != "postgresql.cnpg.io/v1" {
		t.Errorf("Cluster apiVersion %s", cluster.GetAPIVersion())
	}
	if cluster.GetAnnotations()["helm.sh/resource-policy"] != "keep" {
		t.Error("helm uninstall would delete the CloudNativePG Cluster, and with it the contest's data")
	}
	mgr := typed[appsv1.Deployment](t, find(t, objs, "Deployment", release+"-manager"))
	args := mgr.Spec.Template.Spec.Containers[0].Args
	// CloudNativePG's app Secret, key uri, for the web app and the ranking Jobs alike.
	for _, want := range []string{"--rank-database-secret=contest-pg-app", "--rank-database-secret-key=uri"} {
		if !slices.Contains(args, want) {
			t.Errorf("manager args %q lack %s", args, want)
		}
	}
	if slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--namespace") }) {
		t.Errorf("watchNamespaces [*]: manager args %q should not restrict namespaces", args)
	}
	find(t, objs, "ClusterRoleBinding", namespace+"-"+release+"-manager")
	web := typed[appsv1.Deployment](t, find(t, objs, "Deployment", release+"-web"))
	if web.Spec.Replicas == nil || *web.Spec.Replicas != 3 {
		t.Errorf("replicasManagedByOperator=false: web replicas %v, want 3", web.Spec.Replicas)
	}
	if key := envVar(web.Spec.Template.Spec.Containers[0].Env, "CONTEST_SECRET_KEY"); key.ValueFrom.SecretKeyRef.Name != "contest-web-key" {
		t.Errorf("web secret key from %s, want the existing Secret contest-web-key", key.ValueFrom.SecretKeyRef.Name)
	}
	for _, o := range objs {
		if o.GetKind() == "Secret" {
			t.Errorf("unexpected Secret %s: the DSN comes from CloudNativePG, the key and the organizers' account from existing Secrets", o.GetName())
		}
	}
	checkAdminEnv(t, objs, "contest-organizers")
}

// checkAdminEnv: the web app reads the organizers' account from the Secret.
func checkAdminEnv(t *testing.T, objs []*unstructured.Unstructured, secret string) {
	t.Helper()
	w := typed[appsv1.Deployment](t, find(t, objs, "Deployment", release+"-web")).Spec.Template.Spec.Containers[0]
	for env, key := range map[string]string{"CONTEST_ADMIN_USERNAME": "username", "CONTEST_ADMIN_PASSWORD_HASH": "password-hash",
		"CONTEST_CONSOLE_ACCOUNTS": "accounts.json"} {
		v := envVar(w.Env, env)
		if v == nil || v.ValueFrom == nil || v.ValueFrom.SecretKeyRef == nil || v.ValueFrom.SecretKeyRef.Name != secret || v.ValueFrom.SecretKeyRef.Key != key {
			t.Errorf("web env %s = %+v, want key %s of Secret %s", env, v, key, secret)
		}
	}
}

// A read replica given as a Secret reaches the web app as CONTEST_DATABASE_READ_URL; by
// default there is none.
func TestReadReplicaSecret(t *testing.T) {
	out, err := helmTemplate(t, "--set", "database.readReplica.enabled=true", "--set", "database.readReplica.existingSecret.name=contest-db-ro")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "- name: CONTEST_DATABASE_READ_URL\n") || !strings.Contains(out, "name: contest-db-ro\n                  key: dsn") {
		t.Errorf("the web app is not given the replica's DSN:\n%s", out)
	}
	if out, err := helmTemplate(t); err != nil || strings.Contains(out, "CONTEST_DATABASE_READ_URL") || strings.Contains(out, "--database-read-host") {
		t.Errorf("a replica by default: %v", err)
	}
}

// Values the chart refuses, each with a message that says what to fix.
func TestValuesRefused(t *testing.T) {
	cases := []struct {
		set  []string
		want string
	}{
		{[]string{"database.mode=mysql"}, "/database/mode"},
		{[]string{"web.replicasManagedByOperatr=false"}, "additional properties 'replicasManagedByOperatr'"},
		{[]string{"web.ingress.enabled=true"}, "needs web.ingress.host"},
		{[]string{"rounds[0].name=dot-1"}, "missing property 'spec'"},
		{[]string{"rounds[0].name=Dot 1", "rounds[0].spec.title=x"}, "/rounds/0/name"},
		{[]string{"admin.passwordHash=plaintext"}, "/admin/passwordHash"},
		{[]string{"admin.accounts[0].username=thu.ky", "admin.accounts[0].role=owner", "admin.accounts[0].passwordHash=x"}, "/admin/accounts/0/role"},
		{[]string{"admin.accounts[0].username=Thu Ky", "admin.accounts[0].role=viewer"}, "/admin/accounts/0"},
		{[]string{"database.mode=bundled", "database.bundled.password=p@ss word"}, "/database/bundled/password"},
		{[]string{"operator.watchNamespaces[0]=Bad_NS"}, "/operator/watchNamespaces/0"},
		{[]string{"web.recovery.email.existingSecret=smtp"}, "web.recovery.email.from is empty"},
		{[]string{"web.recovery.email.existingSecret=smtp", "web.recovery.email.from=no-reply@example.gov.vn"}, "set web.recovery.publicURL"},
		{[]string{"web.recovery.sms.url=https://sms.example.vn/send", "web.recovery.sms.authHeader=X-API-Key"}, "web.recovery.sms.existingSecret is empty"},
		{[]string{"web.recovery.publicURL=thi.example.gov.vn"}, "/web/recovery/publicURL"},
		{[]string{"web.recovery.sms.perHour=0"}, "/web/recovery/sms/perHour"},
		{[]string{"web.console.dbConns=1"}, "/web/console/dbConns"},
		{[]string{"web.console.statementTimeout=10"}, "/web/console/statementTimeout"},
		{[]string{"database.readReplica.enabled=true"}, "needs database.readReplica.existingSecret.name"},
		{[]string{"database.mode=bundled", "database.readReplica.enabled=true"}, "the bundled database has no replica"},
	}
	for _, c := range cases {
		var args []string
		for _, s := range c.set {
			args = append(args, "--set", s)
		}
		_, err := helmTemplate(t, args...)
		if err == nil {
			t.Errorf("--set %v rendered; want a refusal", c.set)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("--set %v: %v\nwant a message naming %q", c.set, err, c.want)
		}
	}
	// Two rounds under one name.
	dup := filepath.Join(t.TempDir(), "dup.yaml")
	spec := `{contest: {id: c, title: t}, title: x, opensAt: "2024-08-17T00:00:00+07:00", closesAt: "2024-09-01T00:00:00+07:00", exam: {bank: {name: b, version: 1}, topics: [{topic: a, questions: 15}]}}`
	if err := os.WriteFile(dup, []byte("rounds:\n- {name: r, spec: "+spec+"}\n- {name: r, spec: "+spec+"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := helmTemplate(t, "--values", dup); err == nil || !strings.Contains(err.Error(), `"r" is used twice`) {
		t.Errorf("duplicate round names: %v", err)
	}
}

// Replicas are the chart's only when the operator does not manage them.
func TestReplicasWhenNotManaged(t *testing.T) {
	out, err := helmTemplate(t, "--set", "web.replicasManagedByOperator=false", "--set", "web.replicas=4")
	if err != nil {
		t.Fatal(err)
	}
	web := typed[appsv1.Deployment](t, find(t, objects(t, out), "Deployment", release+"-web"))
	if web.Spec.Replicas == nil || *web.Spec.Replicas != 4 {
		t.Errorf("web replicas = %v, want 4", web.Spec.Replicas)
	}
	// With an HPA the count is the HPA's, whatever replicasManagedByOperator says.
	out, err = helmTemplate(t, "--set", "web.replicasManagedByOperator=false", "--set", "web.autoscaling.enabled=true")
	if err != nil {
		t.Fatal(err)
	}
	if _, found, _ := unstructured.NestedFieldNoCopy(find(t, objects(t, out), "Deployment", release+"-web").Object, "spec", "replicas"); found {
		t.Error("the web Deployment has spec.replicas next to an HPA")
	}
}

// The operator and the web app can each be left out (e.g. a second contest namespace
// served by another release's operator); what remains still validates.
func TestPartsOff(t *testing.T) {
	for _, c := range []struct {
		set    string
		absent []string
	}{
		{"operator.enabled=false", []string{release + "-manager", namespace + "-" + release + "-manager"}},
		{"web.enabled=false", []string{release + "-web"}},
	} {
		out, err := helmTemplate(t, "--set", c.set)
		if err != nil {
			t.Fatal(err)
		}
		objs := objects(t, out)
		for _, o := range objs {
			if slices.Contains(c.absent, o.GetName()) {
				t.Errorf("--set %s still renders %s %s", c.set, o.GetKind(), o.GetName())
			}
		}
		find(t, objs, "ServiceAccount", release+"-rank")
		kubeconform(t, out, len(objs))
		dryRun(t, objs)
	}
}

// The Go runtime of the web app and the operator is told its container's memory limit
// (GOMEMLIMIT, 90% of it), so the GC works harder before the kernel's OOM killer ends the
// process; a GOMEMLIMIT given in web.extraEnv wins.
func TestGoMemLimit(t *testing.T) {
	gomem := func(t *testing.T, objs []*unstructured.Unstructured, deployment string) []string {
		t.Helper()
		c := typed[appsv1.Deployment](t, find(t, objs, "Deployment", deployment)).Spec.Template.Spec.Containers[0]
		var vals []string
		for _, e := range c.Env {
			if e.Name == "GOMEMLIMIT" {
				vals = append(vals, e.Value)
			}
		}
		return vals
	}
	for _, c := range []struct {
		name          string
		args          []string
		web, operator []string
	}{
		{"default limits (web 512Mi, operator 256Mi)", nil, []string{"460MiB"}, []string{"230MiB"}},
		{"in Gi", []string{"--set", "web.resources.limits.memory=2Gi", "--set", "operator.resources.limits.memory=1Gi"}, []string{"1843MiB"}, []string{"921MiB"}},
		{"in bytes", []string{"--set", "web.resources.limits.memory=1073741824"}, []string{"921MiB"}, []string{"230MiB"}},
		{"in M", []string{"--set", "web.resources.limits.memory=1000M"}, []string{"858MiB"}, []string{"230MiB"}},
		{"no memory limit", []string{"--set", "web.resources.limits=null"}, nil, []string{"230MiB"}},
		{"given in extraEnv", valuesArgs("values-full.yaml"), []string{"450MiB"}, []string{"230MiB"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := helmTemplate(t, c.args...)
			if err != nil {
				t.Fatal(err)
			}
			objs := objects(t, out)
			if got := gomem(t, objs, release+"-web"); !slices.Equal(got, c.web) {
				t.Errorf("web GOMEMLIMIT %q, want %q", got, c.web)
			}
			if got := gomem(t, objs, release+"-manager"); !slices.Equal(got, c.operator) {
				t.Errorf("operator GOMEMLIMIT %q, want %q", got, c.operator)
			}
		})
	}
	if _, err := helmTemplate(t, "--set", "web.resources.limits.memory=0.5Gi"); err == nil || !strings.Contains(err.Error(), "web.resources.limits.memory") {
		t.Errorf("a memory limit the chart cannot compute GOMEMLIMIT from: %v, want a message naming web.resources.limits.memory", err)
	}
}

// The chart ships no organizers' username: an account needs both a username and a password
// hash, as the web app does, and half of one is refused with what to add.
func TestAdminAccountNeedsBothParts(t *testing.T) {
	const hash = `$argon2id$v=19$m=19456,t=2,p=1$ozsLj+FhqJwyGTjuwR/P9Q$KZqS3paOiFXsGdCl9J4cz4cY3OSHPTw4PjD+D6odKvg`
	file := func(content string) string {
		p := filepath.Join(t.TempDir(), "admin.yaml")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := helmTemplate(t, "--values", file("admin:\n  passwordHash: '"+hash+"'\n")); err == nil || !strings.Contains(err.Error(), "admin.username is empty") {
		t.Errorf("a password hash without a username: %v, want a refusal naming admin.username", err)
	}
	if _, err := helmTemplate(t, "--set", "admin.username=btc"); err == nil || !strings.Contains(err.Error(), "admin.passwordHash is empty") {
		t.Errorf("a username without a password hash: %v, want a refusal naming admin.passwordHash", err)
	}
	out, err := helmTemplate(t, "--values", file("admin:\n  username: btc\n  passwordHash: '"+hash+"'\n"))
	if err != nil {
		t.Fatal(err)
	}
	admin := typed[corev1.Secret](t, find(t, objects(t, out), "Secret", release+"-admin"))
	if admin.StringData["username"] != "btc" {
		t.Errorf("admin Secret username %q, want btc", admin.StringData["username"])
	}
	// More accounts, each with a role, go to the web app as one JSON list.
	out, err = helmTemplate(t, "--values", file("admin:\n  accounts:\n  - {username: thu.ky, role: editor, passwordHash: '"+hash+"'}\n"))
	if err != nil {
		t.Fatal(err)
	}
	objs := objects(t, out)
	listed := typed[corev1.Secret](t, find(t, objs, "Secret", release+"-admin"))
	if listed.StringData["accounts.json"] != `[{"passwordHash":"`+hash+`","role":"editor","username":"thu.ky"}]` || listed.StringData["username"] != "" {
		t.Errorf("admin Secret with accounts: %v", listed.StringData)
	}
	checkAdminEnv(t, objs, release+"-admin")
	// An existing Secret carries both itself.
	if _, err := helmTemplate(t, "--set", "admin.existingSecret=organizers"); err != nil {
		t.Errorf("admin.existingSecret alone: %v", err)
	}
	var values struct{ Admin struct{ Username string } }
	raw, err := os.ReadFile(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, &values); err != nil {
		t.Fatal(err)
	}
	if values.Admin.Username != "" {
		t.Errorf("values.yaml ships the organizers' username %q: an attacker need only guess the password", values.Admin.Username)
	}
}

// The ranking Job's resources come from rank.resources, as manager flags.
func TestRankResources(t *testing.T) {
	flags := func(t *testing.T, args ...string) map[string]string {
		t.Helper()
		out, err := helmTemplate(t, args...)
		if err != nil {
			t.Fatal(err)
		}
		c := typed[appsv1.Deployment](t, find(t, objects(t, out), "Deployment", release+"-manager")).Spec.Template.Spec.Containers[0]
		got := map[string]string{}
		for _, f := range []string{"--rank-cpu-request", "--rank-memory-request", "--rank-cpu-limit", "--rank-memory-limit"} {
			if !slices.ContainsFunc(c.Args, func(a string) bool { return strings.HasPrefix(a, f+"=") }) {
				t.Errorf("manager args %q lack %s", c.Args, f)
			}
			got[f] = flagValue(c.Args, f)
		}
		return got
	}
	want := map[string]string{"--rank-cpu-request": "500m", "--rank-memory-request": "512Mi", "--rank-cpu-limit": "", "--rank-memory-limit": "1Gi"}
	if got := flags(t); !reflect.DeepEqual(got, want) {
		t.Errorf("default ranking resources %v, want %v", got, want)
	}
	want = map[string]string{"--rank-cpu-request": "2", "--rank-memory-request": "1Gi", "--rank-cpu-limit": "4", "--rank-memory-limit": "3Gi"}
	if got := flags(t, "--set", "rank.resources.requests.cpu=2", "--set", "rank.resources.requests.memory=1Gi",
		"--set", "rank.resources.limits.cpu=4", "--set", "rank.resources.limits.memory=3Gi"); !reflect.DeepEqual(got, want) {
		t.Errorf("configured ranking resources %v, want %v", got, want)
	}
	if _, err := helmTemplate(t, "--set", "rank.resources.limits.gpu=1"); err == nil || !strings.Contains(err.Error(), "gpu") {
		t.Errorf("an unknown ranking resource: %v, want a refusal", err)
	}
}

// The site's public address reaches the web app whenever it is known, email or not: link
// previews and the banner kit's codes are written with it.
func TestPublicURLWithoutEmail(t *testing.T) {
	for _, c := range []struct {
		set  []string
		want string
	}{
		{[]string{"web.ingress.enabled=true", "web.ingress.host=thi.example.gov.vn"}, "https://thi.example.gov.vn"},
		{[]string{"web.recovery.publicURL=https://cuocthi.example.gov.vn"}, "https://cuocthi.example.gov.vn"},
		{nil, ""},
	} {
		var args []string
		for _, s := range c.set {
			args = append(args, "--set", s)
		}
		out, err := helmTemplate(t, args...)
		if err != nil {
			t.Fatal(err)
		}
		wc := typed[appsv1.Deployment](t, find(t, objects(t, out), "Deployment", release+"-web")).Spec.Template.Spec.Containers[0]
		v := envVar(wc.Env, "CONTEST_PUBLIC_URL")
		switch {
		case c.want == "" && v != nil:
			t.Errorf("%v: CONTEST_PUBLIC_URL = %q with no address known", c.set, v.Value)
		case c.want != "" && (v == nil || v.Value != c.want):
			t.Errorf("%v: CONTEST_PUBLIC_URL = %+v, want %q", c.set, v, c.want)
		}
	}
}
