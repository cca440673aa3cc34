package roundfile

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/testutil/kubetest"
)

// TestSameAnswersAsTheAPIServer sends the invalid cases and two valid rounds to a real
// kube-apiserver (envtest) and checks that Load refuses with the same fields and reasons
// and defaults to the same spec. It is the one slow test of the package (a few seconds).
func TestSameAnswersAsTheAPIServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a kube-apiserver")
	}
	env, err := kubetest.Start()
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("no envtest binaries: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := env.Stop(); err != nil {
			t.Errorf("stop envtest: %v", err)
		}
	})
	ctx := context.Background()
	nsObj := &unstructured.Unstructured{}
	nsObj.SetAPIVersion("v1")
	nsObj.SetKind("Namespace")
	nsObj.SetName("roundfile")
	if err := env.Client.Create(ctx, nsObj); err != nil {
		t.Fatal(err)
	}
	const ns = "roundfile"
	dir := t.TempDir()

	t.Run("refusals", func(t *testing.T) {
		for _, tc := range invalidCases() {
			if tc.loaderOnly {
				continue
			}
			t.Run(tc.name, func(t *testing.T) {
				obj := tc.round()
				path := writeFile(t, dir, strings.ReplaceAll(tc.name, " ", "-")+".yaml", yamlDocs(t, obj))
				_, err := Load(ctx, []string{path}, ns)
				var le *LoadError
				if !errors.As(err, &le) {
					t.Fatalf("Load: %v", err)
				}
				serverErr := env.Client.Create(ctx, &unstructured.Unstructured{Object: set(obj, "metadata.namespace", ns)}, client.FieldValidation("Strict"))
				if got, want := serverProblems(t, serverErr), loaderProblems(le); !slices.Equal(got, want) {
					t.Errorf("API server:\n  %s\nLoad:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
				}
			})
		}
	})

	t.Run("defaults", func(t *testing.T) {
		rounds := []map[string]any{
			minimalRound("minimal"),
			set(minimalRound("with-web"), "spec.web", map[string]any{"deployment": "contest-web"}),
		}
		path := writeFile(t, dir, "valid.yaml", yamlDocs(t, rounds...))
		loaded, err := Load(ctx, []string{path}, ns)
		if err != nil {
			t.Fatal(err)
		}
		for i, obj := range rounds {
			if err := env.Client.Create(ctx, &unstructured.Unstructured{Object: set(obj, "metadata.namespace", ns)}, client.FieldValidation("Strict")); err != nil {
				t.Fatal(err)
			}
			var stored contestv1alpha1.ContestRound
			if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: loaded[i].Name}, &stored); err != nil {
				t.Fatal(err)
			}
			if !equality.Semantic.DeepEqual(stored.Spec, loaded[i].Spec) {
				t.Errorf("%s: API server stored\n%+v\nLoad returned\n%+v", loaded[i].Name, stored.Spec, loaded[i].Spec)
			}
			if stored.Generation != loaded[i].Generation || stored.Namespace != loaded[i].Namespace {
				t.Errorf("%s: generation/namespace %d/%s vs %d/%s", loaded[i].Name,
					stored.Generation, stored.Namespace, loaded[i].Generation, loaded[i].Namespace)
			}
		}
	})
}

// serverProblems lists what the API server said as "field: reason" lines, sorted; a strict
// decoding error becomes one "field: unknown field" line per field.
func serverProblems(t *testing.T, err error) []string {
	t.Helper()
	var status apierrors.APIStatus
	if err == nil || !errors.As(err, &status) {
		t.Fatalf("the API server did not refuse with a status: %v", err)
	}
	var lines []string
	switch {
	case apierrors.IsInvalid(err):
		for _, c := range status.Status().Details.Causes {
			msg := c.Message
			if c.Field == "<nil>" {
				// Load keeps only the detail of an error about no field in particular.
				msg = strings.TrimPrefix(strings.TrimPrefix(msg, "Invalid value: null: "), `Invalid value: "": `)
			}
			lines = append(lines, c.Field+": "+msg)
		}
	case apierrors.IsBadRequest(err):
		_, msg, ok := strings.Cut(status.Status().Message, "strict decoding error: ")
		if !ok {
			t.Fatalf("unexpected bad request: %v", err)
		}
		for _, part := range strings.Split(msg, ", ") {
			f, ok := strings.CutPrefix(part, "unknown field ")
			if !ok {
				t.Fatalf("unexpected strict decoding error: %v", err)
			}
			lines = append(lines, strings.Trim(f, `"`)+": unknown field")
		}
	default:
		t.Fatalf("unexpected refusal: %v", err)
	}
	slices.Sort(lines)
	return lines
}

// loaderProblems lists Load's problems as serverProblems does.
func loaderProblems(le *LoadError) []string {
	var lines []string
	for _, p := range le.Problems {
		field := p.Field
		if field == "" {
			field = "<nil>"
		}
		lines = append(lines, field+": "+p.Reason)
	}
	slices.Sort(lines)
	return lines
}
