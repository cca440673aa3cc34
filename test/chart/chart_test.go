// Package chart tests the Helm chart (charts/contest-platform) and the kustomize tree
// (config/): helm lint, renders with default and full values compared with committed
// snapshots, every rendered object validated by kubeconform (JSON schemas generated from
// the envtest kube-apiserver's OpenAPI) and by a server-side dry-run on that API server,
// and a real install, upgrade and uninstall on it.
//
// The tools come from `make helm kubeconform kustomize test-crds` (bin/). Update the
// snapshots after an intended change with `go test ./test/chart -update`.
package chart

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/dxcontest/contest-platform/internal/testutil/kubetest"
)

var update = flag.Bool("update", false, "rewrite the render snapshots in testdata/")

// The release every render uses.
const (
	release   = "contest"
	namespace = "contest"
)

var (
	env        *kubetest.Env
	root       string
	chartDir   string
	tools      struct{ helm, kubeconform, kustomize string }
	schemaDir  string
	kubeVer    string
	dyn        dynamic.Interface
	mapper     meta.RESTMapper
	kubeconfig string
)

func TestMain(m *testing.M) {
	flag.Parse()
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chart tests:", err)
		code = 1
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	var err error
	if root, err = kubetest.ModuleRoot(); err != nil {
		return 1, err
	}
	chartDir = filepath.Join(root, "charts", "contest-platform")
	for name, dst := range map[string]*string{"helm": &tools.helm, "kubeconform": &tools.kubeconform, "kustomize": &tools.kustomize} {
		*dst = filepath.Join(root, "bin", name)
		if _, err := os.Stat(*dst); err != nil {
			return 1, fmt.Errorf("no %s in bin/: run `make helm kubeconform kustomize test-crds` first: %w", name, err)
		}
	}
	tmp, err := os.MkdirTemp("", "contest-chart-test-")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(tmp)
	// Helm keeps its own state (repositories, cache) out of the user's home.
	for _, v := range []string{"HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"} {
		if err := os.Setenv(v, filepath.Join(tmp, strings.ToLower(v))); err != nil {
			return 1, err
		}
	}

	start := time.Now()
	if env, err = kubetest.Start(); err != nil {
		return 1, err
	}
	defer func() { _ = env.Stop() }()
	ctx := context.Background()
	if err := apiextensionsv1.AddToScheme(env.Scheme); err != nil {
		return 1, err
	}

	// The CRDs of optional dependencies the chart can render objects for: the Prometheus
	// Operator's ServiceMonitor (fetched by `make test-crds` from its Go module).
	// The module proxy does not serve CloudNativePG's module, so its Cluster gets a minimal
	// hand-written schema (hack/schemas/) and no dry-run.
	extra, err := filepath.Glob(filepath.Join(root, "bin", "test-crds", "*.yaml"))
	if err != nil || len(extra) == 0 {
		return 1, fmt.Errorf("no CRDs in bin/test-crds: run `make test-crds`")
	}
	if err := installCRDs(ctx, extra); err != nil {
		return 1, err
	}
	for _, ns := range []string{namespace, "contest-extra", "contest-system"} {
		if err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			return 1, fmt.Errorf("create namespace %s: %w", ns, err)
		}
	}

	dc, err := discovery.NewDiscoveryClientForConfig(env.Config)
	if err != nil {
		return 1, err
	}
	info, err := dc.ServerVersion()
	if err != nil {
		return 1, err
	}
	kubeVer = info.GitVersion
	if dyn, err = dynamic.NewForConfig(env.Config); err != nil {
		return 1, err
	}
	// Every CRD is installed by now, so a mapper read once knows every kind.
	groups, err := restmapper.GetAPIGroupResources(dc)
	if err != nil {
		return 1, err
	}
	mapper = restmapper.NewDiscoveryRESTMapper(groups)

	schemaDir = filepath.Join(tmp, "schemas")
	if err := os.Mkdir(schemaDir, 0o755); err != nil {
		return 1, err
	}
	n, err := writeSchemas(ctx, env.Config, schemaDir)
	if err != nil {
		return 1, fmt.Errorf("generate JSON schemas from the API server's OpenAPI: %w", err)
	}
	kubeconfig = filepath.Join(tmp, "kubeconfig")
	if err := os.WriteFile(kubeconfig, env.KubeConfig(), 0o600); err != nil {
		return 1, err
	}
	fmt.Fprintf(os.Stderr, "chart tests: envtest %s up, %d JSON schemas generated in %s\n", kubeVer, n, time.Since(start).Round(time.Millisecond))
	return m.Run(), nil
}

// installCRDs creates CRDs from files and waits until they are served and published in
// the OpenAPI document.
func installCRDs(ctx context.Context, files []string) error {
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var crd apiextensionsv1.CustomResourceDefinition
		if err := yaml.UnmarshalStrict(data, &crd); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if err := env.Client.Create(ctx, &crd); err != nil {
			return fmt.Errorf("install %s: %w", f, err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			var got apiextensionsv1.CustomResourceDefinition
			if err := env.Client.Get(ctx, client.ObjectKeyFromObject(&crd), &got); err != nil {
				return err
			}
			if established(&got) {
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("CRD %s not established after 30s", crd.Name)
			}
			time.Sleep(100 * time.Millisecond)
		}
		// The OpenAPI v3 document of the new group appears shortly after.
		for _, v := range crd.Spec.Versions {
			path := "/openapi/v3/apis/" + crd.Spec.Group + "/" + v.Name
			for {
				raw, err := discoveryRaw(ctx, path)
				if err == nil && bytes.Contains(raw, []byte(crd.Spec.Names.Kind)) {
					break
				}
				if time.Now().After(deadline) {
					return fmt.Errorf("OpenAPI for %s not published after 30s: %v", path, err)
				}
				time.Sleep(200 * time.Millisecond)
			}
		}
	}
	return nil
}

func established(crd *apiextensionsv1.CustomResourceDefinition) bool {
	for _, c := range crd.Status.Conditions {
		if c.Type == apiextensionsv1.Established && c.Status == apiextensionsv1.ConditionTrue {
			return true
		}
	}
	return false
}

func discoveryRaw(ctx context.Context, path string) ([]byte, error) {
	dc, err := discovery.NewDiscoveryClientForConfig(env.Config)
	if err != nil {
		return nil, err
	}
	return dc.RESTClient().Get().AbsPath(path).DoRaw(ctx)
}

// ---- running the tools ----

// runTool runs a tool and returns its standard output; a failure reports both outputs.
func runTool(t *testing.T, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return stdout.String(), fmt.Errorf("%s %s: %w\n%s%s", filepath.Base(name), strings.Join(args, " "), err, stderr.String(), stdout.String())
	}
	return stdout.String(), nil
}

// helmTemplate renders the chart as release "contest" in namespace "contest".
func helmTemplate(t *testing.T, args ...string) (string, error) {
	t.Helper()
	base := []string{"template", release, chartDir, "--namespace", namespace}
	return runTool(t, tools.helm, append(base, args...)...)
}

func valuesArgs(files ...string) []string {
	var args []string
	for _, f := range files {
		args = append(args, "--values", filepath.Join(root, "test", "chart", f))
	}
	return args
}

// render renders twice and replaces, line by line, whatever differs between the two
// renders (the randomly generated keys and passwords) with <generated>, so the result
// can be compared with a snapshot.
func render(t *testing.T, args ...string) string {
	t.Helper()
	a, err := helmTemplate(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	b, err := helmTemplate(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(la) != len(lb) {
		t.Fatalf("two renders with the same values differ in length (%d and %d lines)", len(la), len(lb))
	}
	for i := range la {
		if la[i] == lb[i] {
			continue
		}
		key, _, ok := strings.Cut(la[i], ": ")
		if !ok {
			t.Fatalf("two renders differ at line %d, which is not a key: value line: %q", i+1, la[i])
		}
		la[i] = key + ": <generated>"
	}
	return strings.Join(la, "\n")
}

// snapshot compares a render with testdata/<name>.yaml (or rewrites it with -update).
func snapshot(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(root, "test", "chart", "testdata", name+".yaml")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v (create it with `go test ./test/chart -update`)", err)
		return
	}
	if string(want) != got {
		t.Errorf("the render differs from %s; if the change is intended, run `go test ./test/chart -update` and review the diff:\n%s",
			path, lineDiff(string(want), got))
	}
}

// lineDiff lists the first lines that differ, enough to see what changed.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl == gl {
			continue
		}
		fmt.Fprintf(&b, "line %d:\n  - %s\n  + %s\n", i+1, wl, gl)
		if shown++; shown == 10 {
			b.WriteString("  ...\n")
			break
		}
	}
	return b.String()
}

// objects splits a multi-document YAML stream into objects.
func objects(t *testing.T, manifest string) []*unstructured.Unstructured {
	t.Helper()
	dec := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(manifest), 4096)
	var out []*unstructured.Unstructured
	for {
		var m map[string]any
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("decode the render: %v", err)
		}
		if len(m) == 0 {
			continue
		}
		out = append(out, &unstructured.Unstructured{Object: m})
	}
}

// kubeconform validates a manifest against the generated schemas (and the hand-written
// ones in hack/schemas/ for kinds whose CRDs are not available) in strict mode: unknown
// fields are errors. Every object must have a schema.
func kubeconform(t *testing.T, manifest string, want int) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "manifest.yaml")
	if err := os.WriteFile(file, []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runTool(t, tools.kubeconform, "-strict", "-summary", "-verbose", "-output", "json",
		"-schema-location", filepath.Join(schemaDir, "{{ .ResourceKind }}{{ .KindSuffix }}.json"),
		"-schema-location", filepath.Join(root, "hack", "schemas", "{{ .ResourceKind }}{{ .KindSuffix }}.json"),
		file)
	var res struct {
		Resources []struct {
			Kind, Name, Status, Msg string
		} `json:"resources"`
		Summary struct{ Valid, Invalid, Errors, Skipped int } `json:"summary"`
	}
	if jerr := json.Unmarshal([]byte(out), &res); jerr != nil {
		t.Fatalf("kubeconform: %v (output: %s)", errors.Join(err, jerr), out)
	}
	for _, r := range res.Resources {
		if r.Status != "statusValid" {
			t.Errorf("kubeconform: %s %s: %s %s", r.Kind, r.Name, r.Status, r.Msg)
		}
	}
	if res.Summary.Valid != want || res.Summary.Invalid+res.Summary.Errors+res.Summary.Skipped != 0 {
		t.Errorf("kubeconform: %+v, want %d valid and nothing else", res.Summary, want)
	}
}

// dryRun applies every object with a server-side dry-run (server-side apply, strict
// field validation) on the envtest API server: its schema, defaulting and the CRD's CEL
// rules all run, nothing is stored. Kinds without a CRD there are skipped, by name.
func dryRun(t *testing.T, objs []*unstructured.Unstructured) {
	t.Helper()
	ctx := context.Background()
	for _, obj := range objs {
		gvk := obj.GroupVersionKind()
		if gvk.Group == "postgresql.cnpg.io" {
			t.Logf("dry-run: skipping %s %s: the CloudNativePG CRD is not installed in envtest (kubeconform checks it against hack/schemas/)", gvk.Kind, obj.GetName())
			continue
		}
		m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil {
			t.Errorf("dry-run: %s %s: %v", gvk, obj.GetName(), err)
			continue
		}
		data, err := json.Marshal(obj.Object)
		if err != nil {
			t.Fatal(err)
		}
		var ri dynamic.ResourceInterface = dyn.Resource(m.Resource)
		if m.Scope.Name() == "namespace" {
			if obj.GetNamespace() == "" {
				t.Errorf("dry-run: %s %s has no namespace: templates must set metadata.namespace", gvk.Kind, obj.GetName())
				continue
			}
			ri = dyn.Resource(m.Resource).Namespace(obj.GetNamespace())
		}
		_, err = ri.Patch(ctx, obj.GetName(), types.ApplyPatchType, data, metav1.PatchOptions{
			DryRun: []string{metav1.DryRunAll}, FieldManager: "chart-test", Force: ptrTo(true), FieldValidation: "Strict",
		})
		if err != nil {
			t.Errorf("dry-run: %s %s/%s: %v", gvk.Kind, obj.GetNamespace(), obj.GetName(), err)
		}
	}
}

func ptrTo[T any](v T) *T { return &v }

// find returns the one object of a kind and name.
func find(t *testing.T, objs []*unstructured.Unstructured, kind, name string) *unstructured.Unstructured {
	t.Helper()
	for _, o := range objs {
		if o.GetKind() == kind && o.GetName() == name {
			return o
		}
	}
	t.Fatalf("the render has no %s %s", kind, name)
	return nil
}

func has(objs []*unstructured.Unstructured, kind string) bool {
	for _, o := range objs {
		if o.GetKind() == kind {
			return true
		}
	}
	return false
}

// typed converts an object to its Go type.
func typed[T any](t *testing.T, o *unstructured.Unstructured) *T {
	t.Helper()
	var v T
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &v); err != nil {
		t.Fatalf("%s %s: %v", o.GetKind(), o.GetName(), err)
	}
	return &v
}

func isNotFound(err error) bool { return apierrors.IsNotFound(err) }
