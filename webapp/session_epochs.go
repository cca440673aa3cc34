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
// epoch and name, so checking that a cookie has not been ended, and showing whose it is,
// cost one database read per person per TTL rather than one per page. Ending sessions on
// this replica takes effect at once; on the others within the TTL (a name changed by the
// helpdesk, likewise).
type sessionEpochs struct {
	cache     *expirable.LRU[int64, sessionHolder]
	contestID string
	q         store.Querier
	log       *slog.Logger
}

const (
	// sessionEpochEntries bounds the cache's memory (about 150 bytes an entry): more people
	// than one replica serves in a TTL.
	sessionEpochEntries = 200_000
	defaultEpochTTL     = 2 * time.Minute
)

func newSessionEpochs(q store.Querier, contestID string, ttl time.Duration, log *slog.Logger) *sessionEpochs {
	return &sessionEpochs{cache: expirable.NewLRU[int64, sessionHolder](sessionEpochEntries, nil, ttl), contestID: contestID, q: q, log: log}
}

// sessionHolder is what a session's check reads of the person (store.SessionHolder).
type sessionHolder struct {
	epoch int64
	name  string
}

// valid says whether a decoded session has not been ended, and the name of whose it is.
// When the database cannot be asked it says yes (without a name): the request that follows
// needs the database anyway and will fail there with the right answer (503), and a
// sign-in's own expiry still holds.
func (e *sessionEpochs) valid(ctx context.Context, s session) (name string, ok bool) {
	if h, ok := e.cache.Get(s.ContestantID); ok {
		return h.name, s.Epoch == h.epoch
	}
	epoch, name, err := store.SessionHolder(ctx, e.q, e.contestID, s.ContestantID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "", false
	case err != nil:
		e.log.WarnContext(ctx, "session epoch not checked", "contestant", s.ContestantID, "err", err)
		return "", true
	}
	e.cache.Add(s.ContestantID, sessionHolder{epoch: epoch, name: name})
	return name, s.Epoch == epoch
}

// ended forgets on this replica what it knew of a contestant whose sessions were just
// ended: the next request reads the new epoch, committed by then.
func (e *sessionEpochs) ended(contestantID int64) { e.cache.Remove(contestantID) }
