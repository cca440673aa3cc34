package webapp

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"github.com/dxcontest/contest-platform/internal/store"
)

// sessionEpochs remembers, per replica and for a short while, each contestant's session
// epoch, so checking that a cookie has not been ended costs one database read per person
// per TTL rather than one per request. Ending sessions on this replica takes effect at once;
// on the others within the TTL.
type sessionEpochs struct {
	cache     *expirable.LRU[int64, int64]
	contestID string
	q         store.Querier
	log       *slog.Logger
}

const (
	// sessionEpochEntries bounds the cache's memory (about 100 bytes an entry): more people
	// than one replica serves in a TTL.
	sessionEpochEntries = 200_000
	defaultEpochTTL     = 2 * time.Minute
)

func newSessionEpochs(q store.Querier, contestID string, ttl time.Duration, log *slog.Logger) *sessionEpochs {
	return &sessionEpochs{cache: expirable.NewLRU[int64, int64](sessionEpochEntries, nil, ttl), contestID: contestID, q: q, log: log}
}

// valid says whether a decoded session has not been ended. When the database cannot be
// asked it says yes: the request that follows needs the database anyway and will fail
// there with the right answer (503), and a sign-in's own expiry still holds.
func (e *sessionEpochs) valid(ctx context.Context, s session) bool {
	if epoch, ok := e.cache.Get(s.ContestantID); ok {
		return s.Epoch == epoch
	}
	epoch, err := store.SessionEpoch(ctx, e.q, e.contestID, s.ContestantID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return false
	case err != nil:
		e.log.WarnContext(ctx, "session epoch not checked", "contestant", s.ContestantID, "err", err)
		return true
	}
	e.cache.Add(s.ContestantID, epoch)
	return s.Epoch == epoch
}

// ended records on this replica that a contestant's sessions now need epoch.
func (e *sessionEpochs) ended(contestantID, epoch int64) { e.cache.Add(contestantID, epoch) }
