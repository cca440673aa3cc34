package contestdata

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/rankjob"
	"github.com/dxcontest/contest-platform/internal/store"
)

// Ranked is opts's round closed and ranked by the ranking job (the attempts still running
// closed at their deadline, the Department of Information and Communications' staff
// ineligible), as a report reads it.
func Ranked(opts Options) Options {
	opts.Variant = "ranked"
	opts.Prepare = func(ctx context.Context, pool *pgxpool.Pool) error {
		o := opts.withDefaults()
		ns, name, _ := strings.Cut(o.Round, "/")
		round := &contestv1alpha1.ContestRound{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: contestv1alpha1.ContestRoundSpec{Contest: contestv1alpha1.ContestRef{ID: o.Contest},
				Ranking: contestv1alpha1.RankingRules{IneligibleUnits: []string{"STTTT"}}}}
		_, err := rankjob.Run(ctx, pool, round, func(ctx context.Context, name string, version int) (*bank.Bank, error) {
			return store.LoadBank(ctx, pool, name, version)
		}, time.Now())
		return err
	}
	return opts
}
