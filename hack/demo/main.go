// Command demo runs a complete contest on one machine: a throwaway PostgreSQL, a local
// kube-apiserver and etcd, the operator, the exam web app and a stand-in kubelet that runs
// the ranking Jobs the operator creates. `make demo` runs it; Ctrl-C stops everything, and so
// does closing its terminal; if it is killed outright, its servers die with it (lifetime_linux.go).
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/controllers"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/cli"
	"github.com/dxcontest/contest-platform/internal/testutil/kubetest"
)

const (
	namespace = "contest"
	contestID = "cds-binhthuan-2024"
	// demoOrganizer is the console account the demo makes.
	demoOrganizer = "btc"
)

// oneTimePassword finds the password `contest admin create` prints.
var oneTimePassword = regexp.MustCompile(`one-time password: (\S+)`)

func main() {
	listen := flag.String("listen", "127.0.0.1:8080", "address of the exam web app")
	opensIn := flag.Duration("opens-in", time.Minute, "when the demo round opens")
	lasts := flag.Duration("lasts", 4*time.Minute, "how long the demo round stays open")
	flag.Parse()
	// A closed terminal sends SIGHUP: stop as on Ctrl-C.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	err := bindToParent()
	if err == nil {
		err = run(ctx, *listen, *opensIn, *lasts)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, listen string, opensIn, lasts time.Duration) error {
	root, err := kubetest.ModuleRoot()
	if err != nil {
		return err
	}
	work := filepath.Join(root, "tmp", "demo")
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	ctrl.SetLogger(zap.New(zap.WriteTo(discard{})))
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	say := func(format string, args ...any) { fmt.Printf("demo: "+format+"\n", args...) }

	// PostgreSQL.
	pg, err := startPostgres(ctx, root, work)
	if err != nil {
		return err
	}
	defer pg.close(root, work)
	dsn := pg.dsn
	say("PostgreSQL is up")

	// kube-apiserver and etcd, with the CRD, started through stand-ins that tie them to the
	// demo. envtest keeps their state in temporary directories: under work, so the next demo
	// clears what a killed one left.
	assets := os.Getenv("KUBEBUILDER_ASSETS")
	if assets == "" {
		assets = filepath.Join(root, "bin", "k8s")
	}
	if assets, err = wrapServers(filepath.Join(work, "bin"), assets); err != nil {
		return err
	}
	tmp := filepath.Join(work, "tmp")
	if err := errors.Join(os.RemoveAll(tmp), os.MkdirAll(tmp, 0o755)); err != nil {
		return err
	}
	os.Setenv("KUBEBUILDER_ASSETS", assets)
	os.Setenv("TMPDIR", tmp)
	env, err := kubetest.Start()
	if err != nil {
		return err
	}
	defer func() { _ = env.Stop() }()
	kubeconfig := filepath.Join(work, "kubeconfig")
	if err := os.WriteFile(kubeconfig, env.KubeConfig(), 0o600); err != nil {
		return err
	}
	os.Setenv("KUBECONFIG", kubeconfig)
	os.Setenv("CONTEST_DATABASE_URL", dsn)
	os.Setenv("CONTEST_SECRET_KEY", randomKey())
	say("kube-apiserver is up; kubeconfig in %s", kubeconfig)

	// Data: schema, the sample question bank, the sample locality and unit lists.
	for _, args := range [][]string{{"migrate"}, {"bank", "import", "--sample"}, {"locality", "import", "--contest", contestID, "--sample"},
		{"unit", "import", "--contest", contestID, "--sample"}} {
		if err := runCLI(ctx, args); err != nil {
			return err
		}
	}

	// An organizer account, so the console can be seen too; its password works once.
	var created bytes.Buffer
	if code := cli.Run(ctx, []string{"admin", "create", "--username", demoOrganizer, "--role", "admin"}, cli.IO{Stdout: &created, Stderr: os.Stderr}); code != 0 {
		return fmt.Errorf("contest admin create: exit %d", code)
	}
	oneTime := oneTimePassword.FindStringSubmatch(created.String())
	if oneTime == nil {
		return fmt.Errorf("contest admin create printed no one-time password: %q", created.String())
	}

	// The cluster objects a Helm install would make: namespace, database Secret, web Deployment.
	c := env.Client
	opens := time.Now().Add(opensIn).Truncate(time.Second)
	for _, obj := range []client.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "contest-database", Namespace: namespace}, StringData: map[string]string{"dsn": dsn}},
		webDeployment(),
		demoRound(opens, opens.Add(lasts)),
	} {
		if err := c.Create(ctx, obj); err != nil {
			return fmt.Errorf("create %T: %w", obj, err)
		}
	}

	// The operator, the web app and the stand-in kubelet.
	errs := make(chan error, 3)
	go func() { errs <- runOperator(ctx, env) }()
	webLog, err := os.Create(filepath.Join(work, "web.log"))
	if err != nil {
		return err
	}
	defer webLog.Close()
	go func() {
		args := []string{"web", "--listen", listen, "--namespace", namespace, "--secure-cookies=false", "--challenge-bits", "14", "--drain-delay", "0s"}
		if code := cli.Run(ctx, args, cli.IO{Stdout: webLog, Stderr: webLog}); code != 0 {
			errs <- fmt.Errorf("contest web exited %d: see %s", code, webLog.Name())
			return
		}
		errs <- nil
	}()
	go func() { errs <- runJobs(ctx, c, logger) }()

	kubectl := filepath.Join(root, "bin", "k8s", "kubectl")
	fmt.Printf(`
  Contest:   http://%s   (register, then start an attempt once the round opens)
  Console:   http://%s/console   user %s, one-time password %s (choose your own at the first sign-in)
  Web log:   %s
  Round:     "Đợt thử" opens %s and closes %s; ranking runs 30 s after it closes.
  Watch it:  KUBECONFIG=%s %s get contestrounds -n %s -w
  Report:    CONTEST_DATABASE_URL='%s' go run . report --round dot-demo --namespace %s --format xlsx --out dot-demo.xlsx
  Stop:      Ctrl-C

`, listen, listen, demoOrganizer, oneTime[1], webLog.Name(), opens.Format("15:04:05"), opens.Add(lasts).Format("15:04:05"), kubeconfig, kubectl, namespace, dsn, namespace)

	select {
	case <-ctx.Done():
		say("stopping")
		return nil
	case err := <-errs:
		if err == nil && ctx.Err() != nil {
			return nil
		}
		return err
	}
}

func runCLI(ctx context.Context, args []string) error {
	var stderr bytes.Buffer
	if code := cli.Run(ctx, args, cli.IO{Stdout: discard{}, Stderr: &stderr}); code != 0 {
		return fmt.Errorf("contest %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
	return nil
}

func runOperator(ctx context.Context, env *kubetest.Env) error {
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{Scheme: env.Scheme, Metrics: metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0", Cache: cache.Options{DefaultNamespaces: map[string]cache.Config{namespace: {}}}})
	if err != nil {
		return err
	}
	if err := controllers.Register(mgr, controllers.Config{Clock: controllers.RealClock{}, Registerer: prometheus.NewRegistry(),
		RankJob: controllers.RankJobConfig{Image: "contest-platform:demo", DatabaseSecret: "contest-database", DatabaseSecretKey: "dsn",
			ServiceAccount: "contest-rank", BackoffLimit: 1}}); err != nil {
		return err
	}
	return mgr.Start(ctx)
}

// runJobs stands in for the kubelet: no containers run here, so it runs each ranking Job's
// command in this process and records the outcome in the Job's status.
func runJobs(ctx context.Context, c client.Client, logger *slog.Logger) error {
	done := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
		var jobs batchv1.JobList
		if err := c.List(ctx, &jobs, client.InNamespace(namespace)); err != nil {
			continue
		}
		for i := range jobs.Items {
			job := &jobs.Items[i]
			if done[job.Name] || len(job.Status.Conditions) > 0 {
				continue
			}
			done[job.Name] = true
			fmt.Printf("demo: running ranking Job %s: contest %s\n", job.Name, strings.Join(job.Spec.Template.Spec.Containers[0].Args, " "))
			err := runCLI(ctx, job.Spec.Template.Spec.Containers[0].Args)
			if err != nil {
				logger.Error("ranking job failed", "job", job.Name, "err", err)
			}
			if err := finishJob(ctx, c, job, err == nil); err != nil {
				logger.Error("mark job finished", "job", job.Name, "err", err)
			}
		}
	}
}

func finishJob(ctx context.Context, c client.Client, job *batchv1.Job, ok bool) error {
	now := metav1.Now()
	job.Status.StartTime = &now
	if ok {
		job.Status.Succeeded, job.Status.CompletionTime = 1, &now
		job.Status.Conditions = []batchv1.JobCondition{
			{Type: batchv1.JobSuccessCriteriaMet, Status: corev1.ConditionTrue, LastTransitionTime: now},
			{Type: batchv1.JobComplete, Status: corev1.ConditionTrue, LastTransitionTime: now},
		}
	} else {
		job.Status.Failed = 1
		job.Status.Conditions = []batchv1.JobCondition{
			{Type: batchv1.JobFailureTarget, Status: corev1.ConditionTrue, Reason: "BackoffLimitExceeded", LastTransitionTime: now},
			{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, Reason: "BackoffLimitExceeded", LastTransitionTime: now},
		}
	}
	return c.Status().Update(ctx, job)
}

func webDeployment() *appsv1.Deployment {
	labels := map[string]string{"app.kubernetes.io/name": "contest-web"}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "contest-web", Namespace: namespace},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](1),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "contest-platform:demo", Args: []string{"web"}}}}},
		},
	}
}

func demoRound(opens, closes time.Time) *contestv1alpha1.ContestRound {
	var topics []contestv1alpha1.TopicQuota
	for _, t := range bank.PlanTopics() {
		topics = append(topics, contestv1alpha1.TopicQuota{Topic: t.Code, Questions: 3})
	}
	return &contestv1alpha1.ContestRound{
		ObjectMeta: metav1.ObjectMeta{Name: "dot-demo", Namespace: namespace},
		Spec: contestv1alpha1.ContestRoundSpec{
			Contest:  contestv1alpha1.ContestRef{ID: contestID, Title: "Cuộc thi trực tuyến “Tìm hiểu về chuyển đổi số” (bản chạy thử)"},
			Title:    "Đợt thử",
			OpensAt:  metav1.NewTime(opens),
			ClosesAt: metav1.NewTime(closes),
			Exam: contestv1alpha1.ExamRules{Bank: contestv1alpha1.BankRef{Name: bank.SampleName, Version: bank.SampleVersion},
				Topics: topics, TimeLimit: &metav1.Duration{Duration: time.Minute}, RevealAnswers: contestv1alpha1.RevealAfterSubmit},
			// Only 10 right answers of 15 or more take a prize, as in config/samples: without a
			// condition, 2 right answers and a quick finish won a prize in the demo.
			Prizes: []contestv1alpha1.Prize{{Name: "Giải Nhất", Count: 1, MinCorrect: 10}, {Name: "Giải Nhì", Count: 2, MinCorrect: 10},
				{Name: "Giải Ba", Count: 3, MinCorrect: 10}, {Name: "Giải Khuyến khích", Count: 5, MinCorrect: 10}},
			Ranking: contestv1alpha1.RankingRules{IneligibleOrganizations: []string{"Sở Thông tin và Truyền thông tỉnh Bình Thuận"}},
			Web:     &contestv1alpha1.WebScaling{Deployment: "contest-web", OpenReplicas: ptr.To[int32](3), ClosedReplicas: ptr.To[int32](1), Prewarm: &metav1.Duration{Duration: 30 * time.Second}},
		},
	}
}

func parseAssignments(s string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			out[k] = v
		}
	}
	return out
}

func randomKey() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
