package roundfile

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// notChecked is the API server's note that CEL rules were skipped on a malformed object.
const notChecked = "some validation rules were not checked because the object was invalid"

// loadErr runs Load and returns its *LoadError, failing the test when there is none.
func loadErr(t *testing.T, paths ...string) *LoadError {
	t.Helper()
	rounds, err := Load(context.Background(), paths, "")
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("want a *LoadError, got %v (%d rounds)", err, len(rounds))
	}
	return le
}

func TestLoadSamples(t *testing.T) {
	dir := filepath.Join("..", "..", "config", "samples")
	paths := []string{
		filepath.Join(dir, "contest_v1alpha1_contestround_dot1.yaml"),
		filepath.Join(dir, "contest_v1alpha1_contestround_dot2.yaml"),
	}
	rounds, err := Load(context.Background(), paths, "contest")
	if err != nil {
		t.Fatal(err)
	}
	if len(rounds) != 2 || rounds[0].Name != "dot-1" || rounds[1].Name != "dot-2" {
		t.Fatalf("want dot-1 and dot-2, got %+v", rounds)
	}
	r := rounds[0]
	if r.Namespace != "contest" || r.Kind != "ContestRound" || r.APIVersion != contestv1alpha1.GroupVersion.String() {
		t.Errorf("type or namespace: %s %s %s", r.APIVersion, r.Kind, r.Namespace)
	}
	vn := time.FixedZone("ICT", 7*3600)
	if !r.Spec.OpensAt.Time.Equal(time.Date(2024, 8, 17, 0, 0, 0, 0, vn)) || !r.Spec.ClosesAt.Time.Equal(time.Date(2024, 9, 1, 0, 0, 0, 0, vn)) {
		t.Errorf("window: %v – %v", r.Spec.OpensAt, r.Spec.ClosesAt)
	}
	if r.Spec.Web == nil || r.Spec.Web.PrewarmDuration() != time.Hour || len(r.Spec.Exam.Topics) != 5 {
		t.Errorf("spec not read as written: %+v", r.Spec)
	}
	if got := r.Spec.Ranking.IneligibleOrganizations; len(got) != 1 || got[0] != "Sở Thông tin và Truyền thông tỉnh Bình Thuận" {
		t.Errorf("ineligible organizations: %q", got)
	}
	if r.Labels["app.kubernetes.io/name"] != "contest-platform" {
		t.Errorf("labels: %v", r.Labels)
	}
}

func TestLoadAppliesTheServersDefaults(t *testing.T) {
	dir := t.TempDir()
	withWeb := set(minimalRound("with-web"), "spec.web", map[string]any{"deployment": "contest-web"})
	withWeb = set(withWeb, "metadata.namespace", "elsewhere")
	path := writeFile(t, dir, "rounds.yaml", yamlDocs(t, minimalRound("minimal"), withWeb))

	rounds, err := Load(context.Background(), []string{path}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rounds) != 2 {
		t.Fatalf("want 2 rounds, got %d", len(rounds))
	}
	r := rounds[0]
	if r.Namespace != "default" || rounds[1].Namespace != "elsewhere" {
		t.Errorf("namespaces: %q, %q", r.Namespace, rounds[1].Namespace)
	}
	if r.Generation != 1 {
		t.Errorf("generation %d, want 1 as on creation", r.Generation)
	}
	wantPrizes := []contestv1alpha1.Prize{{Name: "Giải Nhất", Count: 1}, {Name: "Giải Nhì", Count: 2}, {Name: "Giải Ba", Count: 3}, {Name: "Giải Khuyến khích", Count: 5}}
	if !equalSlices(r.Spec.Prizes, wantPrizes) {
		t.Errorf("prizes %+v, want %+v", r.Spec.Prizes, wantPrizes)
	}
	if !equalSlices(r.Spec.Ranking.TieBreak, contestv1alpha1.DefaultTieBreak()) {
		t.Errorf("tie-break %v", r.Spec.Ranking.TieBreak)
	}
	e := r.Spec.Exam
	if e.TimeLimit == nil || e.TimeLimit.Duration != contestv1alpha1.DefaultTimeLimit {
		t.Errorf("time limit %v, want %v", e.TimeLimit, contestv1alpha1.DefaultTimeLimit)
	}
	if e.MaxAttempts != contestv1alpha1.DefaultMaxAttempts || e.TotalQuestions != 15 || e.RevealAnswers != contestv1alpha1.RevealAfterClose {
		t.Errorf("exam defaults: attempts %d, questions %d, reveal %q", e.MaxAttempts, e.TotalQuestions, e.RevealAnswers)
	}
	if !strings.HasPrefix(e.PredictionQuestion, "Dự đoán có bao nhiêu người") {
		t.Errorf("prediction question %q", e.PredictionQuestion)
	}
	if r.Spec.Web != nil {
		t.Errorf("web defaulted without being asked for: %+v", r.Spec.Web)
	}
	w := rounds[1].Spec.Web
	if w == nil || w.OpenReplicas == nil || *w.OpenReplicas != contestv1alpha1.DefaultOpenReplicas ||
		w.ClosedReplicas == nil || *w.ClosedReplicas != contestv1alpha1.DefaultClosedReplicas ||
		w.Prewarm == nil || w.Prewarm.Duration != contestv1alpha1.DefaultPrewarm {
		t.Errorf("web defaults: %+v", w)
	}
}

func equalSlices[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLoadRefusesInvalidRounds(t *testing.T) {
	for _, tc := range invalidCases() {
		t.Run(tc.name, func(t *testing.T) {
			obj := tc.round()
			name := obj["metadata"].(map[string]any)["name"].(string)
			path := writeFile(t, t.TempDir(), "round.yaml", yamlDocs(t, obj))

			le := loadErr(t, path)
			matched := false
			for _, p := range le.Problems {
				if p.File != path || p.Document != 1 || p.Round != name {
					t.Errorf("problem not located at %s (document 1, round %s): %+v", path, name, p)
				}
				switch {
				case p.Field == tc.field && strings.Contains(p.Reason, tc.reason):
					matched = true
				case p.Field == "" && strings.HasPrefix(p.Reason, notChecked):
				default:
					t.Errorf("unexpected problem: %v", p)
				}
			}
			if !matched {
				t.Errorf("want %s: …%s…, got:\n%v", tc.field, tc.reason, le)
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	dir := t.TempDir()
	twoProblems := set(minimalRound("two"), "spec.exam.maxAttempts", int64(11))
	twoProblems = set(twoProblems, "spec.extra", true)
	first := writeFile(t, dir, "first.yaml", yamlDocs(t,
		minimalRound("good"),
		twoProblems,
		set(minimalRound("early"), "spec.closesAt", "2024-08-01T00:00:00+07:00"),
	))
	second := writeFile(t, dir, "second.yaml", yamlDocs(t, set(minimalRound("short"), "spec.exam.timeLimit", "30s")))

	le := loadErr(t, first, second)
	want := []Problem{
		{File: first, Document: 2, Round: "two", Field: "spec.extra", Reason: "unknown field"},
		{File: first, Document: 2, Round: "two", Field: "spec.exam.maxAttempts", Reason: "Invalid value: 11: spec.exam.maxAttempts in body should be less than or equal to 10"},
		{File: first, Document: 3, Round: "early", Field: "spec", Reason: "Invalid value: closesAt must be later than opensAt: a round closes after it opens"},
		{File: second, Document: 1, Round: "short", Field: "spec.exam", Reason: "Invalid value: timeLimit must be between 1m and 3h"},
	}
	if !equalSlices(le.Problems, want) {
		t.Fatalf("problems:\n%v\nwant:\n%v", le, &LoadError{Problems: want})
	}
	lines := strings.Split(le.Error(), "\n")
	if len(lines) != 4 || lines[2] != first+" (document 3, round early): spec: Invalid value: closesAt must be later than opensAt: a round closes after it opens" {
		t.Errorf("message:\n%s", le)
	}
}

func TestLoadRefusesDuplicateNames(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.yaml", yamlDocs(t, minimalRound("dot-1"), minimalRound("dot-2")))
	// Another namespace does not help: the web app knows rounds by name.
	b := writeFile(t, dir, "b.yaml", yamlDocs(t, minimalRound("dot-3"), set(minimalRound("dot-2"), "metadata.namespace", "other")))

	le := loadErr(t, a, b)
	want := Problem{File: b, Document: 2, Round: "dot-2", Field: "metadata.name",
		Reason: `Duplicate value: "dot-2": round names must be unique across all rounds files; dot-2 is also defined in ` + a + " (document 2)"}
	if len(le.Problems) != 1 || le.Problems[0] != want {
		t.Fatalf("problems:\n%v\nwant:\n%v", le, want)
	}
}

func TestLoadFileProblems(t *testing.T) {
	dir := t.TempDir()
	good := yamlDocs(t, minimalRound("good"))
	goodLines := strings.Count(good, "\n")
	tests := []struct {
		name    string
		content string // no file is written when empty
		want    []Problem
	}{
		{name: "missing file", want: []Problem{{Reason: "cannot read the file: no such file or directory"}}},
		{name: "empty file", content: "# nothing yet\n---\n\n", want: []Problem{{Reason: "no ContestRound in the file"}}},
		{name: "syntax error in the second document", content: good + "---\napiVersion: v1\nkind: [\n",
			want: []Problem{{Document: 2, Reason: "invalid YAML: line " + strconv.Itoa(goodLines+3) + ": did not find expected node content"}}},
		{name: "tab for indentation", content: "apiVersion: v1\nmetadata:\n\tname: x\n",
			want: []Problem{{Document: 1, Reason: "invalid YAML: line 3: found character that cannot start any token"}}},
		{name: "key given twice", content: "# a round\nkind: ContestRound\nkind: ContestRound\nspec: {}\nspec: {}\n",
			want: []Problem{
				{Document: 1, Reason: `invalid YAML: line 3: key "kind" already set in map`},
				{Document: 1, Reason: `invalid YAML: line 5: key "spec" already set in map`},
			}},
		{name: "list instead of a round", content: "- " + strings.ReplaceAll(strings.TrimSpace(good), "\n", "\n  ") + "\n",
			want: []Problem{{Document: 1, Reason: "a document must be a mapping (an object with apiVersion, kind, metadata and spec), not a list"}}},
		{name: "text after a separator", content: good + "--- round two\n" + yamlDocs(t, minimalRound("two")),
			want: []Problem{{Reason: "line " + strconv.Itoa(goodLines+1) + `: invalid YAML document separator: text after "---": round two`}}},
		{name: "empty documents are skipped and not counted",
			content: "---\n# dot-0 was cancelled\n---\n" + good + "---\n~\n---\n" + yamlDocs(t, set(minimalRound("bad"), "spec.exam.maxAttempts", int64(11))),
			want: []Problem{{Document: 2, Round: "bad", Field: "spec.exam.maxAttempts",
				Reason: "Invalid value: 11: spec.exam.maxAttempts in body should be less than or equal to 10"}}},
		{name: "no kind", content: yamlDocs(t, set(minimalRound("nokind"), "kind", nil)),
			want: []Problem{{Document: 1, Round: "nokind", Field: "kind", Reason: `Invalid value: "": must be ContestRound`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".yaml")
			if tt.content != "" {
				writeFile(t, dir, filepath.Base(path), tt.content)
			}
			for i := range tt.want {
				tt.want[i].File = path
			}
			le := loadErr(t, path)
			if !equalSlices(le.Problems, tt.want) {
				t.Fatalf("problems:\n%v\nwant:\n%v", le, &LoadError{Problems: tt.want})
			}
		})
	}
}

func TestProblemError(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "r.yaml", Reason: "no ContestRound in the file"}, "r.yaml: no ContestRound in the file"},
		{Problem{File: "r.yaml", Document: 3, Reason: "invalid YAML: line 9: x"}, "r.yaml (document 3): invalid YAML: line 9: x"},
		{Problem{File: "r.yaml", Document: 2, Round: "dot-2", Field: "spec", Reason: "Invalid value: closesAt must be later than opensAt"},
			"r.yaml (document 2, round dot-2): spec: Invalid value: closesAt must be later than opensAt"},
	}
	for _, tt := range tests {
		if got := tt.p.Error(); got != tt.want {
			t.Errorf("got  %q\nwant %q", got, tt.want)
		}
	}
}

func TestLoadStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := writeFile(t, t.TempDir(), "r.yaml", yamlDocs(t, minimalRound("r")))
	_, err := Load(ctx, []string{path}, "")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
}

func TestLoadNoFiles(t *testing.T) {
	rounds, err := Load(context.Background(), nil, "")
	if err != nil || len(rounds) != 0 {
		t.Fatalf("got %v, %v", rounds, err)
	}
}

func TestLoadDropsStatusAsOnCreate(t *testing.T) {
	// A file exported with `kubectl get -o yaml` carries status; the server drops it on
	// creation (status is a subresource), so it is neither validated nor kept.
	obj := set(minimalRound("exported"), "status", map[string]any{"phase": "Bogus", "participants": int64(7)})
	path := writeFile(t, t.TempDir(), "r.yaml", yamlDocs(t, obj))
	rounds, err := Load(context.Background(), []string{path}, "")
	if err != nil {
		t.Fatal(err)
	}
	if st := rounds[0].Status; st.Phase != "" || st.Participants != 0 {
		t.Errorf("status kept: %+v", st)
	}
}

func TestLoadRefusesUnreadableMetadata(t *testing.T) {
	path := writeFile(t, t.TempDir(), "r.yaml", yamlDocs(t, set(minimalRound("x"), "metadata.name", int64(5))))
	le := loadErr(t, path)
	if len(le.Problems) != 1 || le.Problems[0].Field != "metadata" || !strings.Contains(le.Problems[0].Reason, "cannot unmarshal number") {
		t.Fatalf("problems:\n%v", le)
	}
}
