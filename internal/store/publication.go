package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Publication records that a round's results are public, when and by whom.
type Publication struct {
	Round       string
	PublishedAt time.Time
	PublishedBy string
}

// Publish makes a round's results public. Publishing a published round changes nothing
// (created is false) and keeps the first publication's time and author.
func Publish(ctx context.Context, q Querier, round, by string) (created bool, err error) {
	tag, err := q.Exec(ctx, `INSERT INTO result_publication (round, published_by) VALUES ($1, $2)
		ON CONFLICT (round) DO NOTHING`, round, by)
	if err != nil {
		return false, fmt.Errorf("publish results of %s: %w", round, err)
	}
	return tag.RowsAffected() == 1, nil
}

// Unpublish withdraws a round's results from the public; removed is false when they were
// not public.
func Unpublish(ctx context.Context, q Querier, round string) (removed bool, err error) {
	tag, err := q.Exec(ctx, `DELETE FROM result_publication WHERE round = $1`, round)
	if err != nil {
		return false, fmt.Errorf("unpublish results of %s: %w", round, err)
	}
	return tag.RowsAffected() == 1, nil
}

// IsPublished says whether a round's results are public.
func IsPublished(ctx context.Context, q Querier, round string) (bool, error) {
	_, err := PublicationOf(ctx, q, round)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// PublicationOf returns a round's publication, or an error wrapping ErrNotFound when its
// results are not published.
func PublicationOf(ctx context.Context, q Querier, round string) (Publication, error) {
	p := Publication{Round: round}
	err := q.QueryRow(ctx, `SELECT published_at, published_by FROM result_publication WHERE round = $1`,
		round).Scan(&p.PublishedAt, &p.PublishedBy)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return p, fmt.Errorf("publication of %s: %w", round, ErrNotFound)
	case err != nil:
		return p, fmt.Errorf("read publication of %s: %w", round, err)
	}
	return p, nil
}
