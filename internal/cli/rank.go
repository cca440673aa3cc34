package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/rankcontract"
	"github.com/dxcontest/contest-platform/internal/rankjob"
	"github.com/dxcontest/contest-platform/internal/roundfile"
	"github.com/dxcontest/contest-platform/internal/store"
)

func rankCommand() Command {
	const summary = "Rank a closed round: store the full ranking and report the winners (the operator's Job runs this)."
	return Command{
		Name:    "rank",
		Summary: summary,
		Run: func(ctx context.Context, args []string, out IO) int {
			fs := newFlagSet("rank", summary, out)
			name := fs.String("round", "", "name of the ContestRound to rank (required)")
			namespace := fs.String("namespace", envDefault("POD_NAMESPACE", "default"), "namespace of the round")
			var files stringList
			fs.Var(&files, "rounds-file", "read the round from this YAML file instead of the cluster; the summary is printed, no ConfigMap written (repeatable)")
			dsn := databaseFlag(fs)
			if code, done := parseFlags(fs, args, out); done {
				return code
			}
			if *name == "" {
				fmt.Fprintln(out.Stderr, "contest rank: --round is required")
				return ExitUsage
			}
			pool, code, ok := openDatabase(ctx, "rank", *dsn, out)
			if !ok {
				return code
			}
			defer pool.Close()

			var round *contestv1alpha1.ContestRound
			var kube client.Client
			var err error
			if len(files) > 0 {
				round, err = roundFromFiles(ctx, files, *namespace, *name)
			} else {
				kube, err = newKubeClient()
				if err == nil {
					round = &contestv1alpha1.ContestRound{}
					err = kube.Get(ctx, client.ObjectKey{Namespace: *namespace, Name: *name}, round)
				}
			}
			if err != nil {
				fmt.Fprintf(out.Stderr, "contest rank: round %s/%s: %v\n", *namespace, *name, err)
				return ExitError
			}
			start := time.Now()
			res, err := rankjob.Run(ctx, pool, round, func(ctx context.Context, n string, v int) (*bank.Bank, error) {
				return store.LoadBank(ctx, pool, n, v)
			}, time.Now())
			if err != nil {
				fmt.Fprintf(out.Stderr, "contest rank: ranking %s/%s failed: %v\n", *namespace, *name, err)
				return ExitError
			}
			sum := res.Summary
			js, err := json.MarshalIndent(sum, "", "  ")
			if err != nil {
				fmt.Fprintf(out.Stderr, "contest rank: %v\n", err)
				return ExitError
			}
			if kube != nil {
				if err := writeSummary(ctx, kube, round, js); err != nil {
					fmt.Fprintf(out.Stderr, "contest rank: write summary ConfigMap: %v\n", err)
					return ExitError
				}
			}
			fmt.Fprintf(out.Stderr, "contest rank: ranked %s/%s: %d participants, %d attempts, %d perfect, %d winners, %d undecided ties, in %s (%s)\n",
				*namespace, *name, sum.Participants, sum.Attempts, sum.Perfect, len(sum.Winners), len(sum.BoundaryTies), time.Since(start).Round(time.Millisecond), res.Timings)
			fmt.Fprintln(out.Stdout, string(js))
			return ExitOK
		},
	}
}

func roundFromFiles(ctx context.Context, files []string, namespace, name string) (*contestv1alpha1.ContestRound, error) {
	rounds, err := roundfile.Load(ctx, files, namespace)
	if err != nil {
		return nil, err
	}
	for i := range rounds {
		if rounds[i].Name == name {
			return &rounds[i], nil
		}
	}
	return nil, fmt.Errorf("not in the rounds files")
}

func newKubeClient() (client.Client, error) {
	cfg, err := ctrl.GetConfig()
	if err != nil {
		return nil, fmt.Errorf("find the cluster: %w", err)
	}
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return nil, err
	}
	if err := contestv1alpha1.AddToScheme(scheme); err != nil {
		return nil, err
	}
	return client.New(cfg, client.Options{Scheme: scheme})
}

// writeSummary leaves the summary in the round's ConfigMap (the operator usually created it
// already, empty, so the job's Role can be limited to that one name).
func writeSummary(ctx context.Context, kube client.Client, round *contestv1alpha1.ContestRound, js []byte) error {
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: rankcontract.ConfigMapName(round.Name), Namespace: round.Namespace}}
	err := kube.Get(ctx, client.ObjectKeyFromObject(cm), cm)
	switch {
	case apierrors.IsNotFound(err):
		cm.Data = map[string]string{rankcontract.SummaryKey: string(js)}
		if err := controllerutil.SetControllerReference(round, cm, kube.Scheme()); err != nil {
			return err
		}
		return kube.Create(ctx, cm)
	case err != nil:
		return err
	}
	if cm.Data == nil {
		cm.Data = map[string]string{}
	}
	cm.Data[rankcontract.SummaryKey] = string(js)
	return kube.Update(ctx, cm)
}
