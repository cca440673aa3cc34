package chart

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// A real `helm install`, `helm upgrade` and `helm uninstall` of the full values on the
// envtest API server (no kubelet: nothing runs, every object is stored). It checks what
// only a cluster shows: generated Secrets survive upgrades (Helm's lookup), an upgrade
// leaves the web Deployment's replica count to the operator, and uninstall keeps the CRD,
// the rounds and the bundled database's password.
func TestInstallUpgradeUninstall(t *testing.T) {
	ctx := context.Background()
	const ns = "lifecycle"
	if err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
		t.Fatal(err)
	}
	helm := func(args ...string) string {
		t.Helper()
		out, err := runTool(t, tools.helm, append(args, "--namespace", ns, "--kubeconfig", kubeconfig)...)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	values := append(valuesArgs("values-full.yaml"), "--set", "operator.watchNamespaces={"+ns+"}")

	out := helm(append([]string{"install", release, chartDir}, values...)...)
	if !strings.Contains(out, "STATUS: deployed") || !strings.Contains(out, "user btc") {
		t.Errorf("helm install printed:\n%s", out)
	}
	secrets := map[string]string{}
	for _, s := range []struct{ name, key string }{
		{release + "-web", "secret-key"}, {release + "-postgresql", "password"}, {release + "-database", "dsn"},
	} {
		var sec corev1.Secret
		if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: s.name}, &sec); err != nil {
			t.Fatal(err)
		}
		if len(sec.Data[s.key]) < 16 {
			t.Errorf("Secret %s key %s: %d bytes", s.name, s.key, len(sec.Data[s.key]))
		}
		secrets[s.name+"/"+s.key] = string(sec.Data[s.key])
	}
	if !strings.Contains(secrets[release+"-database/dsn"], ":"+secrets[release+"-postgresql/password"]+"@contest-postgresql.lifecycle.svc:5432/") {
		t.Errorf("the DSN does not carry the generated password: %q", secrets[release+"-database/dsn"])
	}

	// The operator scales the web Deployment (here: by hand, with its field owner).
	web := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: release + "-web"}}
	if err := env.Client.Patch(ctx, web, client.RawPatch("application/merge-patch+json", []byte(`{"spec":{"replicas":7}}`)),
		client.FieldOwner("contest-operator")); err != nil {
		t.Fatal(err)
	}

	helm(append([]string{"upgrade", release, chartDir, "--set", "web.extraArgs={--challenge-bits=20}"}, values...)...)
	for key, before := range secrets {
		name, k, _ := strings.Cut(key, "/")
		var sec corev1.Secret
		if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &sec); err != nil {
			t.Fatal(err)
		}
		if string(sec.Data[k]) != before {
			t.Errorf("helm upgrade changed the generated %s", key)
		}
	}
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(web), web); err != nil {
		t.Fatal(err)
	}
	if got := ptr.Deref(web.Spec.Replicas, 0); got != 7 {
		t.Errorf("after helm upgrade the web Deployment has %d replicas, want the operator's 7", got)
	}
	if !slices.Contains(web.Spec.Template.Spec.Containers[0].Args, "--challenge-bits=20") {
		t.Errorf("helm upgrade did not apply: args %q", web.Spec.Template.Spec.Containers[0].Args)
	}

	helm("uninstall", release)
	var crd apiextensionsv1.CustomResourceDefinition
	if err := env.Client.Get(ctx, client.ObjectKey{Name: "contestrounds.contest.dxcontest.io"}, &crd); err != nil {
		t.Errorf("the CRD is gone after helm uninstall: %v", err)
	}
	var rounds contestv1alpha1.ContestRoundList
	if err := env.Client.List(ctx, &rounds, client.InNamespace(ns)); err != nil || len(rounds.Items) != 2 {
		t.Errorf("after helm uninstall %d rounds remain (%v), want both kept", len(rounds.Items), err)
	}
	var pw corev1.Secret
	if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: release + "-postgresql"}, &pw); err != nil {
		t.Errorf("the bundled database's password Secret is gone after uninstall: %v", err)
	}
	for _, obj := range []client.Object{&appsv1.Deployment{}, &corev1.Service{}} {
		err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: release + "-web"}, obj)
		if !isNotFound(err) {
			t.Errorf("%T %s-web after uninstall: %v", obj, release, err)
		}
	}

	// A reinstall adopts the kept objects and reuses the kept password.
	helm(append([]string{"install", release, chartDir}, values...)...)
	var dsn corev1.Secret
	if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: release + "-database"}, &dsn); err != nil {
		t.Fatal(err)
	}
	if string(dsn.Data["dsn"]) != secrets[release+"-database/dsn"] {
		t.Error("a reinstall generated a new database password although the data volume keeps the old one")
	}
	helm("uninstall", release)
}

// The kustomize tree: config/default with the optional Prometheus and NetworkPolicy parts
// switched on (as their comments in config/default/kustomization.yaml describe) builds,
// validates with kubeconform and passes a server-side dry-run.
func TestKustomize(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(root, "config"))); err != nil {
		t.Fatal(err)
	}
	kfile := filepath.Join(dir, "default", "kustomization.yaml")
	data, err := os.ReadFile(kfile)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, part := range []string{"../prometheus", "../network-policy"} {
		commented := regexp.MustCompile(`(?m)^#- ` + regexp.QuoteMeta(part) + `$`)
		if !commented.MatchString(text) {
			t.Fatalf("config/default/kustomization.yaml has no line `#- %s` to enable", part)
		}
		text = commented.ReplaceAllString(text, "- "+part)
	}
	if err := os.WriteFile(kfile, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runTool(t, tools.kustomize, "build", filepath.Join(dir, "default"))
	if err != nil {
		t.Fatal(err)
	}
	objs := objects(t, out)
	kinds := map[string]int{}
	for _, o := range objs {
		kinds[o.GetKind()]++
		gvk := o.GroupVersionKind()
		m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil {
			t.Fatal(err)
		}
		if m.Scope.Name() == meta.RESTScopeNameNamespace && o.GetNamespace() != "contest-system" {
			t.Errorf("%s %s in namespace %q, want contest-system", o.GetKind(), o.GetName(), o.GetNamespace())
		}
	}
	for _, kind := range []string{"CustomResourceDefinition", "Deployment", "ServiceMonitor", "NetworkPolicy", "ClusterRole", "Service"} {
		if kinds[kind] == 0 {
			t.Errorf("kustomize build config/default (all parts on) has no %s", kind)
		}
	}
	kubeconform(t, out, len(objs))
	dryRun(t, objs)
}
