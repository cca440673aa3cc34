package v1alpha1_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/testutil/kubetest"
)

var env *kubetest.Env

func TestMain(m *testing.M) {
	var err error
	env, err = kubetest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if err := env.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stop envtest:", err)
	}
	os.Exit(code)
}

// namespace creates a namespace for one test so names never collide.
func namespace(t *testing.T) string {
	t.Helper()
	ns := &unstructured.Unstructured{}
	ns.SetAPIVersion("v1")
	ns.SetKind("Namespace")
	ns.SetGenerateName("round-test-")
	if err := env.Client.Create(context.Background(), ns); err != nil {
		t.Fatalf("create namespace: %v", err)
	}
	return ns.GetName()
}

// sample reads one of config/samples as an unstructured object, so tests can break it in
// ways the Go types could not express (wrong enum values, negative numbers, bad strings).
func sample(t *testing.T, file string) *unstructured.Unstructured {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(env.Root, "config", "samples", file))
	if err != nil {
		t.Fatal(err)
	}
	js, err := yaml.YAMLToJSON(raw)
	if err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(js); err != nil {
		t.Fatalf("decode %s: %v", file, err)
	}
	return obj
}

func TestCRDIsInstalledWithShortNames(t *testing.T) {
	dc, err := discovery.NewDiscoveryClientForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	list, err := dc.ServerResourcesForGroupVersion(contestv1alpha1.GroupVersion.String())
	if err != nil {
		t.Fatalf("discover %s: %v", contestv1alpha1.GroupVersion, err)
	}
	var found, status bool
	for _, r := range list.APIResources {
		switch r.Name {
		case "contestrounds":
			found = true
			if !r.Namespaced || r.Kind != "ContestRound" || !contains(r.ShortNames, "cr") || !contains(r.Categories, "contest") {
				t.Errorf("contestrounds resource = %+v", r)
			}
		case "contestrounds/status":
			status = true
		}
	}
	if !found || !status {
		t.Fatalf("contestrounds found=%v, status subresource found=%v", found, status)
	}
}

func TestSamplesAreAccepted(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	want := map[string]struct{ opens, closes time.Time }{
		"dot-1": {vnTime(2024, 8, 17), vnTime(2024, 9, 1)},
		"dot-2": {vnTime(2024, 9, 9), vnTime(2024, 9, 24)},
	}
	for _, file := range []string{"contest_v1alpha1_contestround_dot1.yaml", "contest_v1alpha1_contestround_dot2.yaml"} {
		obj := sample(t, file)
		obj.SetNamespace(ns)
		if err := env.Client.Create(ctx, obj); err != nil {
			t.Fatalf("sample %s refused: %v", file, err)
		}
		var round contestv1alpha1.ContestRound
		if err := env.Client.Get(ctx, client.ObjectKeyFromObject(obj), &round); err != nil {
			t.Fatal(err)
		}
		w := want[round.Name]
		if !round.Spec.OpensAt.Equal(&metav1.Time{Time: w.opens}) || !round.Spec.ClosesAt.Equal(&metav1.Time{Time: w.closes}) {
			t.Errorf("%s window = %s–%s, want %s–%s", round.Name, round.Spec.OpensAt, round.Spec.ClosesAt, w.opens, w.closes)
		}
		if got := len(round.Spec.Exam.Topics); got != 5 {
			t.Errorf("%s has %d topics, want the plan's 5", round.Name, got)
		}
		if p := round.Spec.Prizes; len(p) != 4 || p[0].Count != 1 || p[1].Count != 2 || p[2].Count != 3 || p[3].Count != 5 {
			t.Errorf("%s prizes = %+v, want 1/2/3/5", round.Name, p)
		}
		if len(round.Spec.Ranking.IneligibleOrganizations) != 1 {
			t.Errorf("%s ineligible organizations = %v", round.Name, round.Spec.Ranking.IneligibleOrganizations)
		}
	}
}

func TestDefaultsFollowThePlan(t *testing.T) {
	ctx := context.Background()
	minimal := &contestv1alpha1.ContestRound{
		ObjectMeta: metav1.ObjectMeta{Name: "minimal", Namespace: namespace(t)},
		Spec: contestv1alpha1.ContestRoundSpec{
			Contest:  contestv1alpha1.ContestRef{ID: "demo", Title: "Demo"},
			Title:    "Đợt thử",
			OpensAt:  metav1.NewTime(vnTime(2030, 1, 1)),
			ClosesAt: metav1.NewTime(vnTime(2030, 1, 2)),
			Exam: contestv1alpha1.ExamRules{
				Bank:   contestv1alpha1.BankRef{Name: "mau", Version: 1},
				Topics: []contestv1alpha1.TopicQuota{{Topic: "tong-quan", Questions: 15}},
			},
			Web: &contestv1alpha1.WebScaling{Deployment: "contest-web"},
		},
	}
	// Zero values are omitted on the wire so the server's defaults apply.
	if err := env.Client.Create(ctx, minimal); err != nil {
		t.Fatalf("minimal round refused: %v", err)
	}
	var got contestv1alpha1.ContestRound
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(minimal), &got); err != nil {
		t.Fatal(err)
	}
	e := got.Spec.Exam
	if e.TotalQuestions != 15 || e.MaxAttempts != 3 || e.TimeLimit == nil || e.TimeLimit.Duration != 30*time.Minute || e.RevealAnswers != contestv1alpha1.RevealAfterClose || e.PredictionQuestion == "" {
		t.Errorf("exam defaults = %+v", e)
	}
	wantPrizes := []contestv1alpha1.Prize{{Name: "Giải Nhất", Count: 1}, {Name: "Giải Nhì", Count: 2}, {Name: "Giải Ba", Count: 3}, {Name: "Giải Khuyến khích", Count: 5}}
	if fmt.Sprint(got.Spec.Prizes) != fmt.Sprint(wantPrizes) {
		t.Errorf("prizes = %+v, want %+v", got.Spec.Prizes, wantPrizes)
	}
	if fmt.Sprint(got.Spec.Ranking.TieBreak) != fmt.Sprint(contestv1alpha1.DefaultTieBreak()) {
		t.Errorf("tie-break = %v, want %v", got.Spec.Ranking.TieBreak, contestv1alpha1.DefaultTieBreak())
	}
	if w := got.Spec.Web; w.OpenReplicas == nil || *w.OpenReplicas != 3 || w.ClosedReplicas == nil || *w.ClosedReplicas != 1 || w.Prewarm == nil || w.Prewarm.Duration != 30*time.Minute {
		t.Errorf("web defaults = %+v", w)
	}
}

func TestInvalidRoundsAreRefusedWithAMessage(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	tests := []struct {
		name    string
		breakIt func(spec map[string]any)
		want    string // a substring of the API server's message that tells the user what to fix
	}{
		{"closes when it opens", func(s map[string]any) { s["closesAt"] = s["opensAt"] },
			"closesAt must be later than opensAt"},
		{"closes before it opens", func(s map[string]any) { s["closesAt"] = "2024-08-01T00:00:00+07:00" },
			"closesAt must be later than opensAt"},
		{"topic counts add up to 14", func(s map[string]any) { topics(s)[0]["questions"] = int64(2) },
			"the questions per topic must add up to totalQuestions"},
		{"topic listed twice", func(s map[string]any) { topics(s)[1]["topic"] = "tong-quan" },
			"each topic may be listed only once"},
		{"zero attempts", func(s map[string]any) { exam(s)["maxAttempts"] = int64(0) },
			"spec.exam.maxAttempts: Invalid value: 0: spec.exam.maxAttempts in body should be greater than or equal to 1"},
		{"eleven attempts", func(s map[string]any) { exam(s)["maxAttempts"] = int64(11) },
			"spec.exam.maxAttempts in body should be less than or equal to 10"},
		{"time limit of 30 seconds", func(s map[string]any) { exam(s)["timeLimit"] = "30s" },
			"timeLimit must be between 1m and 3h"},
		{"time limit of 4 hours", func(s map[string]any) { exam(s)["timeLimit"] = "4h" },
			"timeLimit must be between 1m and 3h"},
		{"time limit that is not a duration", func(s map[string]any) { exam(s)["timeLimit"] = "half an hour" },
			"spec.exam.timeLimit in body should match"},
		{"prize with no winners", func(s map[string]any) { prizes(s)[3]["count"] = int64(0) },
			"spec.prizes[3].count in body should be greater than or equal to 1"},
		{"two prizes with one name", func(s map[string]any) { prizes(s)[1]["name"] = "Giải Nhất" },
			"prize names must be unique"},
		{"no prizes", func(s map[string]any) { s["prizes"] = []any{} },
			"spec.prizes in body should have at least 1 items"},
		{"more prize places than status.winners holds", func(s map[string]any) {
			s["prizes"] = []any{map[string]any{"name": "Giải Nhất", "count": int64(1000)}, map[string]any{"name": "Giải Nhì", "count": int64(1)}}
		}, "the prizes award more than 1000 places in all (the sum of their counts)"},
		{"prize condition below zero", func(s map[string]any) { prizes(s)[0]["minCorrect"] = int64(-1) },
			"spec.prizes[0].minCorrect in body should be greater than or equal to 0"},
		{"prize condition above the questions drawn", func(s map[string]any) {
			for _, p := range prizes(s) {
				p["minCorrect"] = int64(16)
			}
		}, "a prize's minCorrect is more than exam.totalQuestions, so nobody could meet it"},
		{"lower prize asking for more correct answers", func(s map[string]any) {
			prizes(s)[0]["minCorrect"] = int64(12)
			prizes(s)[1]["minCorrect"] = int64(13)
		}, "a prize's minCorrect is more than the minCorrect of a prize listed before it"},
		{"tie-break key twice", func(s map[string]any) {
			ranking(s)["tieBreak"] = []any{"Correct", "TimeUsed", "Correct"}
		}, "tieBreak keys must be unique"},
		{"unknown tie-break key", func(s map[string]any) { ranking(s)["tieBreak"] = []any{"Correct", "Fastest"} },
			`spec.ranking.tieBreak[1]: Unsupported value: "Fastest": supported values: "Correct", "PredictionDistance", "TimeUsed", "SubmittedAt"`},
		{"negative open replicas", func(s map[string]any) { web(s)["openReplicas"] = int64(-1) },
			"spec.web.openReplicas in body should be greater than or equal to 0"},
		{"negative closed replicas", func(s map[string]any) { web(s)["closedReplicas"] = int64(-2) },
			"spec.web.closedReplicas in body should be greater than or equal to 0"},
		{"unknown reveal policy", func(s map[string]any) { exam(s)["revealAnswers"] = "Sometimes" },
			`spec.exam.revealAnswers: Unsupported value: "Sometimes"`},
		{"contest id with capitals", func(s map[string]any) { s["contest"].(map[string]any)["id"] = "CDS 2024" },
			"spec.contest.id in body should match"},
		{"round title too long", func(s map[string]any) { s["title"] = strings.Repeat("Đ", 201) },
			"spec.title: Too long: may not be more than 200"},
		{"empty ineligible organization", func(s map[string]any) { ranking(s)["ineligibleOrganizations"] = []any{""} },
			"spec.ranking.ineligibleOrganizations[0] in body should be at least 1 chars long"},
		{"ineligible unit code with a space", func(s map[string]any) { ranking(s)["ineligibleUnits"] = []any{"STTTT", "Sở TTTT"} },
			"spec.ranking.ineligibleUnits[1] in body should match"},
		{"ineligible unit listed twice", func(s map[string]any) { ranking(s)["ineligibleUnits"] = []any{"STTTT", "SYT", "STTTT"} },
			"ineligibleUnits must be unique: a code is listed twice"},
		{"ineligible unit code too long", func(s map[string]any) { ranking(s)["ineligibleUnits"] = []any{strings.Repeat("A", 33)} },
			"spec.ranking.ineligibleUnits[0]: Too long: may not be more than 32"},
		{"no opening time", func(s map[string]any) { delete(s, "opensAt") },
			"spec.opensAt: Required value"},
		{"opening time without a date", func(s map[string]any) { s["opensAt"] = "17/8/2024" },
			"spec.opensAt"},
		{"no topics", func(s map[string]any) { exam(s)["topics"] = []any{} },
			"spec.exam.topics in body should have at least 1 items"},
		{"bank version zero", func(s map[string]any) { exam(s)["bank"].(map[string]any)["version"] = int64(0) },
			"spec.exam.bank.version in body should be greater than or equal to 1"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := sample(t, "contest_v1alpha1_contestround_dot1.yaml")
			obj.SetNamespace(ns)
			obj.SetName(fmt.Sprintf("invalid-%d", i))
			spec := obj.Object["spec"].(map[string]any)
			tt.breakIt(spec)
			err := env.Client.Create(ctx, obj)
			if err == nil {
				t.Fatal("the API server accepted an invalid round")
			}
			if !apierrors.IsInvalid(err) && !apierrors.IsBadRequest(err) {
				t.Fatalf("error is not a validation error: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("message does not say what to fix:\n got: %v\nwant: …%s…", err, tt.want)
			}
		})
	}
}

// Prizes may award as many places as status.winners holds (1000), and no more (refused
// above); the CEL rule's cost estimate fits the API server's budget (or the CRD would not
// install at all).
func TestPrizePlacesUpToWhatStatusHolds(t *testing.T) {
	obj := sample(t, "contest_v1alpha1_contestround_dot1.yaml")
	obj.SetNamespace(namespace(t))
	spec := obj.Object["spec"].(map[string]any)
	spec["prizes"] = []any{map[string]any{"name": "Giải Nhất", "count": int64(1)}, map[string]any{"name": "Giải Khuyến khích", "count": int64(999)}}
	if err := env.Client.Create(context.Background(), obj); err != nil {
		t.Fatalf("prizes of 1000 places in all refused: %v", err)
	}
}

// A prize may ask for every question right (minCorrect = totalQuestions), and lower prizes
// for as much or less; a condition left out is none.
func TestPrizeConditionsAccepted(t *testing.T) {
	obj := sample(t, "contest_v1alpha1_contestround_dot1.yaml")
	obj.SetNamespace(namespace(t))
	spec := obj.Object["spec"].(map[string]any)
	spec["prizes"] = []any{
		map[string]any{"name": "Giải Nhất", "count": int64(1), "minCorrect": int64(15)},
		map[string]any{"name": "Giải Nhì", "count": int64(2), "minCorrect": int64(15)},
		map[string]any{"name": "Giải Ba", "count": int64(3), "minCorrect": int64(0)},
		map[string]any{"name": "Giải Khuyến khích", "count": int64(5)},
	}
	if err := env.Client.Create(context.Background(), obj); err != nil {
		t.Fatalf("prize conditions refused: %v", err)
	}
}

func TestOpensAtCannotMoveOnceOpened(t *testing.T) {
	ctx := context.Background()
	obj := sample(t, "contest_v1alpha1_contestround_dot2.yaml")
	obj.SetNamespace(namespace(t))
	if err := env.Client.Create(ctx, obj); err != nil {
		t.Fatal(err)
	}
	var round contestv1alpha1.ContestRound
	key := client.ObjectKeyFromObject(obj)
	if err := env.Client.Get(ctx, key, &round); err != nil {
		t.Fatal(err)
	}

	// Before opening, the organizers may still move the round.
	round.Spec.OpensAt = metav1.NewTime(round.Spec.OpensAt.Add(24 * time.Hour))
	if err := env.Client.Update(ctx, &round); err != nil {
		t.Fatalf("moving opensAt of a scheduled round refused: %v", err)
	}

	opened := metav1.NewTime(round.Spec.OpensAt.Time)
	round.Status.Phase = contestv1alpha1.PhaseOpen
	round.Status.OpenedAt = &opened
	if err := env.Client.Status().Update(ctx, &round); err != nil {
		t.Fatalf("status update: %v", err)
	}

	moved := round.DeepCopy()
	moved.Spec.OpensAt = metav1.NewTime(round.Spec.OpensAt.Add(-time.Hour))
	err := env.Client.Update(ctx, moved)
	if err == nil || !strings.Contains(err.Error(), "opensAt cannot move once the round has opened") {
		t.Fatalf("moving opensAt of an opened round: got %v", err)
	}

	stricter := round.DeepCopy()
	stricter.Spec.Exam.MaxAttempts = 1
	err = env.Client.Update(ctx, stricter)
	if err == nil || !strings.Contains(err.Error(), "the exam rules (bank, topics, attempts, time limit) cannot change once the round has opened") {
		t.Fatalf("changing the exam rules of an opened round: got %v", err)
	}

	extended := round.DeepCopy()
	extended.Spec.ClosesAt = metav1.NewTime(round.Spec.ClosesAt.Add(48 * time.Hour))
	if err := env.Client.Update(ctx, extended); err != nil {
		t.Fatalf("extending closesAt of an opened round refused: %v", err)
	}
}

func TestStatusIsASubresource(t *testing.T) {
	ctx := context.Background()
	obj := sample(t, "contest_v1alpha1_contestround_dot1.yaml")
	obj.SetNamespace(namespace(t))
	if err := env.Client.Create(ctx, obj); err != nil {
		t.Fatal(err)
	}
	key := client.ObjectKeyFromObject(obj)
	var round contestv1alpha1.ContestRound
	if err := env.Client.Get(ctx, key, &round); err != nil {
		t.Fatal(err)
	}
	generation := round.Generation

	// A status write through the main resource is ignored...
	round.Status.Phase = contestv1alpha1.PhaseRanked
	round.Spec.Title = "Đợt 1 (sửa)"
	if err := env.Client.Update(ctx, &round); err != nil {
		t.Fatal(err)
	}
	if err := env.Client.Get(ctx, key, &round); err != nil {
		t.Fatal(err)
	}
	if round.Status.Phase != "" || round.Spec.Title != "Đợt 1 (sửa)" || round.Generation != generation+1 {
		t.Fatalf("after main update: phase %q, title %q, generation %d (was %d)", round.Status.Phase, round.Spec.Title, round.Generation, generation)
	}

	// ...and the status subresource changes status only, without a new generation.
	round.Status.Phase = contestv1alpha1.PhaseScheduled
	round.Status.Participants = 1234
	round.Status.PerfectScores = 56
	round.Status.ObservedGeneration = round.Generation
	round.Status.Conditions = []metav1.Condition{{
		Type: "Open", Status: metav1.ConditionFalse, Reason: "NotYetOpen", Message: "opens at 2024-08-17 00:00 +07",
		ObservedGeneration: round.Generation, LastTransitionTime: metav1.Now(),
	}}
	round.Spec.Title = "ignored through status"
	if err := env.Client.Status().Update(ctx, &round); err != nil {
		t.Fatal(err)
	}
	var after contestv1alpha1.ContestRound
	if err := env.Client.Get(ctx, key, &after); err != nil {
		t.Fatal(err)
	}
	if after.Status.Phase != contestv1alpha1.PhaseScheduled || after.Status.Participants != 1234 || len(after.Status.Conditions) != 1 {
		t.Fatalf("status not stored: %+v", after.Status)
	}
	if after.Spec.Title != "Đợt 1 (sửa)" || after.Generation != round.Generation {
		t.Fatalf("status update changed spec or generation: title %q, generation %d", after.Spec.Title, after.Generation)
	}

	// Status values are validated too.
	bad := after.DeepCopy()
	bad.Status.Phase = "Paused"
	if err := env.Client.Status().Update(ctx, bad); err == nil || !strings.Contains(err.Error(), `Unsupported value: "Paused"`) {
		t.Fatalf("unknown phase in status: got %v", err)
	}
}

func TestPrinterColumns(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	obj := sample(t, "contest_v1alpha1_contestround_dot1.yaml")
	obj.SetNamespace(ns)
	if err := env.Client.Create(ctx, obj); err != nil {
		t.Fatal(err)
	}
	var round contestv1alpha1.ContestRound
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(obj), &round); err != nil {
		t.Fatal(err)
	}
	round.Status.Phase = contestv1alpha1.PhaseRanked
	round.Status.Participants = 45210
	round.Status.PerfectScores = 312
	if err := env.Client.Status().Update(ctx, &round); err != nil {
		t.Fatal(err)
	}

	// What `kubectl get contestrounds` asks for: the server-side Table rendering.
	table := getTable(t, ns)
	var names []string
	for _, c := range table.ColumnDefinitions {
		names = append(names, c.Name)
	}
	if got, want := strings.Join(names, ","), "Name,Phase,Opens,Closes,Participants,Perfect,Age"; got != want {
		t.Fatalf("columns = %s, want %s", got, want)
	}
	if len(table.Rows) != 1 {
		t.Fatalf("%d rows, want 1", len(table.Rows))
	}
	cells := table.Rows[0].Cells
	if cells[0] != "dot-1" || cells[1] != "Ranked" || fmt.Sprint(cells[4]) != "45210" || fmt.Sprint(cells[5]) != "312" {
		t.Fatalf("row = %v", cells)
	}
	// Opens and Closes show the declared instants as written (a date column would show an
	// age, and "<invalid>" for a round in the future).
	if cells[2] != "2024-08-17T00:00:00+07:00" || cells[3] != "2024-09-01T00:00:00+07:00" {
		t.Fatalf("opens/closes cells = %v, %v", cells[2], cells[3])
	}
	if !regexp.MustCompile(`^[0-9]+[smhdy]`).MatchString(fmt.Sprint(cells[6])) {
		t.Fatalf("age cell = %v", cells[6])
	}
}

func getTable(t *testing.T, ns string) *metav1.Table {
	t.Helper()
	cfg := rest.CopyConfig(env.Config)
	cfg.GroupVersion = &contestv1alpha1.GroupVersion
	cfg.APIPath = "/apis"
	cfg.NegotiatedSerializer = serializer.NewCodecFactory(env.Scheme).WithoutConversion()
	rc, err := rest.RESTClientFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := rc.Get().Namespace(ns).Resource("contestrounds").
		SetHeader("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").
		Do(context.Background()).Raw()
	if err != nil {
		t.Fatalf("get table: %v", err)
	}
	var table metav1.Table
	if err := yaml.Unmarshal(raw, &table); err != nil {
		t.Fatalf("decode table: %v", err)
	}
	return &table
}

func vnTime(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.FixedZone("ICT", 7*3600))
}

func exam(spec map[string]any) map[string]any    { return spec["exam"].(map[string]any) }
func ranking(spec map[string]any) map[string]any { return spec["ranking"].(map[string]any) }
func web(spec map[string]any) map[string]any     { return spec["web"].(map[string]any) }

func topics(spec map[string]any) []map[string]any { return maps(exam(spec)["topics"]) }
func prizes(spec map[string]any) []map[string]any { return maps(spec["prizes"]) }
func maps(list any) []map[string]any {
	var out []map[string]any
	for _, v := range list.([]any) {
		out = append(out, v.(map[string]any))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Unit codes as the unit list allows them are accepted, and read back as written.
func TestIneligibleUnitsAccepted(t *testing.T) {
	ctx := context.Background()
	obj := sample(t, "contest_v1alpha1_contestround_dot1.yaml")
	obj.SetNamespace(namespace(t))
	codes := []any{"STTTT", "X22915", "A.1_b-2"}
	obj.Object["spec"].(map[string]any)["ranking"].(map[string]any)["ineligibleUnits"] = codes
	if err := env.Client.Create(ctx, obj); err != nil {
		t.Fatalf("round with ineligible units refused: %v", err)
	}
	var round contestv1alpha1.ContestRound
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(obj), &round); err != nil {
		t.Fatal(err)
	}
	if got := round.Spec.Ranking.IneligibleUnits; len(got) != 3 || got[2] != "A.1_b-2" {
		t.Errorf("ineligibleUnits = %v", got)
	}
}
