package roundfile

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"sigs.k8s.io/yaml"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/config/crd"
)

// Rounds files come from platform engineers' values and ConfigMaps, typed by hand. Whatever
// the file, Load admits rounds the API server would store, and admitting them again as
// written gives the same rounds; or it refuses the file with problems that each name it,
// a document within it and a reason. `make fuzz` runs this target.
//
// It runs Load's loader on a schema built once: building it compiles the CRD's CEL rules,
// which is most of Load's time, does not depend on the file, and would leave the fuzzer a
// few inputs a second.
func FuzzLoad(f *testing.F) {
	schema, err := newCRDSchema(crd.ContestRoundCRD(), contestv1alpha1.GroupVersion.Version)
	if err != nil {
		f.Fatal(err)
	}
	load := func(path string) ([]contestv1alpha1.ContestRound, error) {
		l := &loader{schema: schema, namespace: "contest", seen: map[string]Problem{}}
		l.loadFile(context.Background(), path)
		if len(l.problems) > 0 {
			return nil, &LoadError{Problems: l.problems}
		}
		return l.rounds, nil
	}
	for _, name := range []string{"contest_v1alpha1_contestround_dot1.yaml", "contest_v1alpha1_contestround_dot2.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "config", "samples", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	good, err := yaml.Marshal(minimalRound("good"))
	if err != nil {
		f.Fatal(err)
	}
	bad, err := yaml.Marshal(set(minimalRound("bad"), "spec.exam.maxAttempts", int64(11)))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		string(good), string(good) + "---\n" + string(bad), "# nothing yet\n---\n\n",
		string(good) + "---\napiVersion: v1\nkind: [\n", "apiVersion: v1\nmetadata:\n\tname: x\n",
		"# a round\nkind: ContestRound\nkind: ContestRound\nspec: {}\nspec: {}\n", "- a\n- b\n",
		string(good) + "--- round two\n" + string(good), "---\n# dot-0 was cancelled\n---\n" + string(good) + "---\n~\n",
		strings.Replace(string(good), "kind: ContestRound", "", 1),
		strings.Replace(string(good), "Đợt thử", "Đo\u0323\u0302t thu\u0309\x00", 1),
		strings.Replace(string(good), "Đợt thử", "\xff\xfe", 1),
		strings.Replace(string(good), "2024-09-01T00:00:00+07:00", "2024-08-01T00:00:00+07:00", 1),
		strings.Replace(string(good), "version: 1", "version: 99999999999999999999999", 1),
		"a: &a [*a, *a]\n", "a: &a [x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c]\n",
		"", "\x00", "---", "{", "null\n", "42\n", "\"x\"\n", "\ufeff" + string(good),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "rounds.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		rounds, err := load(path)
		if err != nil {
			checkLoadError(t, err, path, data)
			return
		}
		for _, r := range rounds {
			if r.Kind != "ContestRound" || r.Name == "" || r.Namespace == "" || !r.Spec.ClosesAt.After(r.Spec.OpensAt.Time) {
				t.Fatalf("admitted an invalid round: %+v", r)
			}
		}
		// Admitted rounds written out as YAML are admitted again unchanged: defaults and
		// pruning are applied once and for all.
		var out bytes.Buffer
		for _, r := range rounds {
			doc, err := yaml.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			out.WriteString("---\n")
			out.Write(doc)
		}
		again := filepath.Join(t.TempDir(), "again.yaml")
		if err := os.WriteFile(again, out.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		reloaded, err := load(again)
		if err != nil || !reflect.DeepEqual(reloaded, rounds) {
			t.Fatalf("written out and loaded again: %v\n%s", err, out.String())
		}
	})
}

func checkLoadError(t *testing.T, err error, path string, data []byte) {
	t.Helper()
	var le *LoadError
	if !errors.As(err, &le) || len(le.Problems) == 0 {
		t.Fatalf("error %T %v, want a *LoadError listing the problems", err, err)
	}
	documents := bytes.Count(data, []byte("\n---")) + 1 // documents are separated by lines starting with ---
	if bytes.HasPrefix(data, []byte("---")) {
		documents++
	}
	for _, p := range le.Problems {
		switch {
		case p.File != path || p.Reason == "":
			t.Fatalf("problem without its file or reason: %+v", p)
		case p.Document < 0 || p.Document > documents:
			t.Fatalf("problem in document %d of %d: %+v", p.Document, documents, p)
		case !utf8.ValidString(p.Error()):
			t.Fatalf("problem is not readable text: %q", p.Error())
		}
	}
	// Problems are bounded by what the file holds: at most a few per field written.
	if bound := 16 + 2*len(data); len(le.Problems) > bound {
		t.Fatalf("%d problems from %d bytes", len(le.Problems), len(data))
	}
}
