package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Publication records that a round's results are public, when and by whom.
type Publication struct {
	Round       string
	PublishedAt time.Time
	PublishedBy string
}

// Publish makes a round's results public. Publishing a published round changes nothing
// (created is false) and keeps the first publication's time and author.
func Publish(ctx context.Context, pool *pgxpool.Pool, round, by string) (created bool, err error) {
	tag, err := pool.Exec(ctx, `INSERT INTO result_publication (round, published_by) VALUES ($1, $2)
		ON CONFLICT (round) DO NOTHING`, round, by)
	if err != nil {
		return false, fmt.Errorf("publish results of %s: %w", round, err)
	}
	return tag.RowsAffected() == 1, nil
}

// Unpublish withdraws a round's results from the public; removed is false when they were
// not public.
func Unpublish(ctx context.Context, pool *pgxpool.Pool, round string) (removed bool, err error) {
	tag, err := pool.Exec(ctx, `DELETE FROM result_publication WHERE round = $1`, round)
	if err != nil {
		return false, fmt.Errorf("unpublish results of %s: %w", round, err)
	}
	return tag.RowsAffected() == 1, nil
}

// IsPublished says whether a round's results are public.
func IsPublished(ctx context.Context, pool *pgxpool.Pool, round string) (bool, error) {
	_, ok, err := PublicationOf(ctx, pool, round)
	return ok, err
}

// PublicationOf returns a round's publication; ok is false when it is not published.
func PublicationOf(ctx context.Context, pool *pgxpool.Pool, round string) (p Publication, ok bool, err error) {
	p.Round = round
	err = pool.QueryRow(ctx, `SELECT published_at, published_by FROM result_publication WHERE round = $1`,
		round).Scan(&p.PublishedAt, &p.PublishedBy)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return p, false, nil
	case err != nil:
		return p, false, fmt.Errorf("read publication of %s: %w", round, err)
	}
	return p, true, nil
}
