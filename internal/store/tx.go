package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// InTx runs fn in a transaction on q (a savepoint when q is a transaction already),
// committed when fn returns nil: an organizer's action and its audit entry go together.
func InTx(ctx context.Context, q Querier, fn func(tx Querier) error) error {
	return pgx.BeginFunc(ctx, q, func(tx pgx.Tx) error { return fn(tx) })
}
