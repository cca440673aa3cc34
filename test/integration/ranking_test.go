// Package integration runs the operator, the ranking job's command and PostgreSQL
// together: a round closes, the Job appears, the test runs the Job's command itself and
// marks the Job finished as a kubelet would, and the round's status shows the winners.
package integration

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/controllers"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/cli"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/kubetest"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
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
	_ = env.Stop()
	os.Exit(code)
}

const ineligibleOrg = "Sở Thông tin và Truyền thông tỉnh Bình Thuận"

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// person is one contestant and the attempts they take: correct answers and prediction.
type person struct {
	name     string
	org      string
	attempts [][2]int64
}

// The expected outcome is known by construction: people differ on correct answers or on
// prediction distance (actual = 3 perfect results, the ineligible person's included).
var people = []person{
	{"Nguyễn Văn An", "UBND xã Tiến Lợi", [][2]int64{{15, 3}}},
	{"Trần Thị Bình", "Trường THPT Phan Bội Châu", [][2]int64{{15, 5}}},
	{"Lê Văn Cường", ineligibleOrg, [][2]int64{{15, 3}}},
	{"Phạm Thị Dung", "Công an tỉnh", [][2]int64{{10, 3}, {14, 3}, {12, 3}}},
	{"Hoàng Văn Em", "UBND huyện Hàm Thuận Bắc", [][2]int64{{14, 10}}},
	{"Võ Thị Gấm", "Bệnh viện tỉnh", [][2]int64{{13, 3}}},
	{"Đặng Văn Hải", "Bộ Chỉ huy Quân sự tỉnh", [][2]int64{{13, 10}}},
	{"Bùi Thị Hoa", "Trường Đại học Phan Thiết", [][2]int64{{12, 3}}},
	{"Đỗ Văn Khánh", "Tỉnh đoàn", [][2]int64{{12, 10}}},
	{"Hồ Thị Lan", "Sở Giáo dục và Đào tạo", [][2]int64{{11, 3}}},
	{"Ngô Văn Minh", "Báo Bình Thuận", [][2]int64{{10, 3}}},
	{"Dương Thị Nga", "UBND phường Mũi Né", [][2]int64{{9, 3}}},
	{"Lý Văn Phúc", "Điện lực Bình Thuận", [][2]int64{{8, 3}}},
	{"Mai Thị Quỳnh", "Người dân", [][2]int64{{7, 3}}},
}

var wantWinners = []struct{ prize, name string }{
	{"Giải Nhất", "Nguyễn Văn An"},
	{"Giải Nhì", "Trần Thị Bình"}, {"Giải Nhì", "Phạm Thị Dung"},
	{"Giải Ba", "Hoàng Văn Em"}, {"Giải Ba", "Võ Thị Gấm"}, {"Giải Ba", "Đặng Văn Hải"},
	{"Giải Khuyến khích", "Bùi Thị Hoa"}, {"Giải Khuyến khích", "Đỗ Văn Khánh"}, {"Giải Khuyến khích", "Hồ Thị Lan"},
	{"Giải Khuyến khích", "Ngô Văn Minh"}, {"Giải Khuyến khích", "Dương Thị Nga"},
}

// seed registers the people and records their attempts through the store, as the web app does.
func seed(t *testing.T, pool *pgxpool.Pool, roundKey string, opens, closes time.Time) {
	t.Helper()
	ctx := context.Background()
	b, err := bank.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.SaveBank(ctx, pool, b); err != nil {
		t.Fatal(err)
	}
	locs, _ := locality.Sample()
	if err := store.ReplaceLocalities(ctx, pool, "cds", locs); err != nil {
		t.Fatal(err)
	}
	var quotas []exam.Quota
	for _, tp := range bank.PlanTopics() {
		quotas = append(quotas, exam.Quota{Topic: tp.Code, Questions: 3})
	}
	attempts := attempt.New(store.NewAttempts(pool), func(context.Context, string, int) (*bank.Bank, error) { return b, nil })
	rules := attempt.Rules{Round: roundKey, MaxAttempts: 3, TimeLimit: 30 * time.Minute, OpensAt: opens, ClosesAt: closes,
		BankName: "mau", BankVersion: 1, Quotas: quotas}
	for i, p := range people {
		id, err := store.CreateContestant(ctx, pool, store.Contestant{ContestID: "cds", NationalID: fmt.Sprintf("0600900%05d", i),
			Phone: fmt.Sprintf("09100%05d", i), FullName: p.name, BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), Gender: "male",
			ParticipantGroup: "official", Organization: p.org, LocalityCode: "22915", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range p.attempts {
			a, err := attempts.Start(ctx, rules, id)
			if err != nil {
				t.Fatal(err)
			}
			key, _ := exam.Score(a.Paper, b, exam.Answers{})
			answers := exam.Answers{}
			for q, it := range key.PerItem {
				if int64(q) < at[0] {
					answers[q] = it.CorrectOption
				} else if it.CorrectOption == "A" {
					answers[q] = "B"
				} else {
					answers[q] = "A"
				}
			}
			if _, _, err := attempts.Submit(ctx, a.ID, id, answers, at[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func startManager(t *testing.T, ns string, c controllers.Clock) context.CancelFunc {
	t.Helper()
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{Scheme: env.Scheme, Metrics: metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0", Cache: cache.Options{DefaultNamespaces: map[string]cache.Config{ns: {}}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := controllers.Register(mgr, controllers.Config{Clock: c, Registerer: prometheus.NewRegistry(),
		Controller: controller.Options{SkipNameValidation: ptr.To(true)},
		RankJob:    controllers.RankJobConfig{Image: "contest:test", DatabaseSecret: "contest-database", DatabaseSecretKey: "dsn", ServiceAccount: "contest-rank", BackoffLimit: 2},
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = mgr.Start(ctx); close(done) }()
	stop := func() { cancel(); <-done }
	t.Cleanup(stop)
	return stop
}

func waitFor(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		ok, detail := cond()
		if ok {
			return
		}
		last = detail
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; last: %s", what, last)
}

func jobs(t *testing.T, ns string) []batchv1.Job {
	t.Helper()
	var list batchv1.JobList
	if err := env.Client.List(context.Background(), &list, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	return list.Items
}

func getRound(t *testing.T, ns, name string) *contestv1alpha1.ContestRound {
	t.Helper()
	var r contestv1alpha1.ContestRound
	if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// runJob does what the kubelet would: runs the Job's container command with its
// environment (the DSN from the Secret) and reports the outcome in the Job's status.
func runJob(t *testing.T, job *batchv1.Job, kubeconfig string, fail bool) {
	t.Helper()
	ctx := context.Background()
	c := job.Spec.Template.Spec.Containers[0]
	if len(c.Command) != 1 || c.Command[0] != "/contest" {
		t.Fatalf("job command %v", c.Command)
	}
	for _, e := range c.Env {
		if e.ValueFrom == nil { // a plain value, e.g. GOMEMLIMIT
			t.Setenv(e.Name, e.Value)
			continue
		}
		var s corev1.Secret
		if err := env.Client.Get(ctx, client.ObjectKey{Namespace: job.Namespace, Name: e.ValueFrom.SecretKeyRef.Name}, &s); err != nil {
			t.Fatal(err)
		}
		t.Setenv(e.Name, string(s.Data[e.ValueFrom.SecretKeyRef.Key]))
	}
	t.Setenv("KUBECONFIG", kubeconfig)
	code := 0
	if !fail {
		var out, errOut bytes.Buffer
		code = cli.Run(ctx, c.Args, cli.IO{Stdout: &out, Stderr: &errOut})
		if code != 0 {
			t.Fatalf("job command %v exited %d: %s", c.Args, code, errOut.String())
		}
	}
	now := metav1.Now()
	job.Status.StartTime = &now
	if fail {
		job.Status.Failed = 1
		job.Status.Conditions = []batchv1.JobCondition{
			{Type: batchv1.JobFailureTarget, Status: corev1.ConditionTrue, Reason: "BackoffLimitExceeded", Message: "Job has reached the specified backoff limit", LastTransitionTime: now},
			{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, Reason: "BackoffLimitExceeded", Message: "Job has reached the specified backoff limit", LastTransitionTime: now},
		}
	} else {
		job.Status.Succeeded = 1
		job.Status.CompletionTime = &now
		job.Status.Conditions = []batchv1.JobCondition{
			{Type: batchv1.JobSuccessCriteriaMet, Status: corev1.ConditionTrue, LastTransitionTime: now},
			{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: now},
		}
	}
	if err := env.Client.Status().Update(ctx, job); err != nil {
		t.Fatalf("mark job finished: %v", err)
	}
}

func TestRoundIsRankedByItsJob(t *testing.T) {
	ctx := context.Background()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "ranking-"}}
	if err := env.Client.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	dsn := pgtest.Empty(t)
	pool := pgtest.Connect(t, dsn)
	if _, err := store.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if err := env.Client.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "contest-database", Namespace: ns.Name},
		Data: map[string][]byte{"dsn": []byte(dsn)}}); err != nil {
		t.Fatal(err)
	}
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(kubeconfig, env.KubeConfig(), 0o600); err != nil {
		t.Fatal(err)
	}

	opens, closes := time.Now().Add(-time.Hour).Truncate(time.Second), time.Now().Add(time.Hour).Truncate(time.Second)
	seed(t, pool, ns.Name+"/dot-1", opens, closes)
	round := &contestv1alpha1.ContestRound{
		ObjectMeta: metav1.ObjectMeta{Name: "dot-1", Namespace: ns.Name},
		Spec: contestv1alpha1.ContestRoundSpec{
			Contest: contestv1alpha1.ContestRef{ID: "cds", Title: "Tìm hiểu về chuyển đổi số"}, Title: "Đợt 1",
			OpensAt: metav1.NewTime(opens), ClosesAt: metav1.NewTime(closes),
			Exam: contestv1alpha1.ExamRules{Bank: contestv1alpha1.BankRef{Name: "mau", Version: 1},
				Topics: []contestv1alpha1.TopicQuota{{Topic: "tong-quan", Questions: 15}}},
			Ranking: contestv1alpha1.RankingRules{IneligibleOrganizations: []string{ineligibleOrg}},
		},
	}
	if err := env.Client.Create(ctx, round); err != nil {
		t.Fatal(err)
	}

	clk := &clock{now: closes.Add(31 * time.Minute)} // closed and drained
	stop := startManager(t, ns.Name, clk)
	waitFor(t, "the ranking Job", func() (bool, string) {
		return len(jobs(t, ns.Name)) == 1 && getRound(t, ns.Name, "dot-1").Status.Phase == contestv1alpha1.PhaseRanking,
			fmt.Sprintf("%d jobs, phase %s", len(jobs(t, ns.Name)), getRound(t, ns.Name, "dot-1").Status.Phase)
	})

	// Restarting the manager mid-ranking creates no second Job.
	stop()
	startManager(t, ns.Name, clk)
	time.Sleep(time.Second)
	if n := len(jobs(t, ns.Name)); n != 1 {
		t.Fatalf("%d Jobs after a manager restart, want 1", n)
	}

	job := jobs(t, ns.Name)[0]
	if job.OwnerReferences[0].Name != "dot-1" || *job.Spec.BackoffLimit != 2 || job.Spec.ActiveDeadlineSeconds == nil {
		t.Fatalf("job owner %v, backoffLimit %v, deadline %v", job.OwnerReferences, *job.Spec.BackoffLimit, job.Spec.ActiveDeadlineSeconds)
	}
	runJob(t, &job, kubeconfig, false)
	waitFor(t, "phase Ranked", func() (bool, string) {
		return getRound(t, ns.Name, "dot-1").Status.Phase == contestv1alpha1.PhaseRanked, string(getRound(t, ns.Name, "dot-1").Status.Phase)
	})

	st := getRound(t, ns.Name, "dot-1").Status
	if st.Participants != 14 || st.Attempts != 16 || st.PerfectScores != 3 {
		t.Errorf("counts: %d participants, %d attempts, %d perfect; want 14, 16, 3", st.Participants, st.Attempts, st.PerfectScores)
	}
	if len(st.Winners) != len(wantWinners) {
		t.Fatalf("%d winners, want %d: %+v", len(st.Winners), len(wantWinners), st.Winners)
	}
	for i, w := range wantWinners {
		got := st.Winners[i]
		if got.Prize != w.prize || got.Name != w.name {
			t.Errorf("winner %d: %s %s, want %s %s", i+1, got.Prize, got.Name, w.prize, w.name)
		}
		if len(got.MaskedNationalID) != 12 || got.MaskedNationalID[3] != '*' {
			t.Errorf("winner %d national ID not masked: %q", i+1, got.MaskedNationalID)
		}
	}
	if c := meta.FindStatusCondition(st.Conditions, contestv1alpha1.ConditionRankingComplete); c == nil || c.Status != metav1.ConditionTrue {
		t.Errorf("RankingComplete: %+v", c)
	}
	if c := meta.FindStatusCondition(st.Conditions, contestv1alpha1.ConditionPrizesDecided); c == nil || c.Status != metav1.ConditionTrue {
		t.Errorf("PrizesDecided: %+v", c)
	}
	if st.Report == nil || st.Report.Job != job.Name || st.Report.ConfigMap != "dot-1-ranking" {
		t.Errorf("report ref %+v", st.Report)
	}

	// A re-rank runs a new Job; when it fails, the round says so.
	r := getRound(t, ns.Name, "dot-1")
	r.Annotations = map[string]string{contestv1alpha1.RerankAnnotation: "after-appeal-1"}
	if err := env.Client.Update(ctx, r); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a second Job", func() (bool, string) {
		return len(jobs(t, ns.Name)) == 2, fmt.Sprint(len(jobs(t, ns.Name)))
	})
	for _, j := range jobs(t, ns.Name) {
		if j.Name != job.Name {
			runJob(t, &j, kubeconfig, true)
		}
	}
	waitFor(t, "phase Failed", func() (bool, string) {
		return getRound(t, ns.Name, "dot-1").Status.Phase == contestv1alpha1.PhaseFailed, string(getRound(t, ns.Name, "dot-1").Status.Phase)
	})
	c := meta.FindStatusCondition(getRound(t, ns.Name, "dot-1").Status.Conditions, contestv1alpha1.ConditionRankingComplete)
	if c.Reason != contestv1alpha1.ReasonJobFailed || !bytes.Contains([]byte(c.Message), []byte("BackoffLimitExceeded")) {
		t.Errorf("failed condition %+v", c)
	}
}
