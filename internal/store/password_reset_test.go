package store_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

const resetContest = "cds-binhthuan-2024"

// resetFixture is a database with two contestants of resetContest; the first shares its
// email with a third contestant.
func resetFixture(t *testing.T) (*pgxpool.Pool, []int64) {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.Migrated(t)
	locs, err := locality.Sample()
	if err != nil {
		t.Fatal(err)
	}
	if err := store.ReplaceLocalities(ctx, pool, resetContest, locs); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, email := range []string{"Khai@Example.vn", "", "khai@example.vn"} {
		id, err := store.CreateContestant(ctx, pool, store.Contestant{
			ContestID: resetContest, NationalID: fmt.Sprintf("06019200000%d", i), Phone: fmt.Sprintf("091230000%d", i),
			FullName: "Nguyễn Thị Minh Khai", BirthDate: time.Date(1992, 3, 15, 0, 0, 0, 0, time.UTC), Gender: "female",
			Email: email, ParticipantGroup: "official", Organization: "UBND xã Tiến Lợi", LocalityCode: "22963",
			PasswordHash: fmt.Sprintf("$argon2id$old-%d", i),
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return pool, ids
}

func secret(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }

func passwordOf(t *testing.T, pool *pgxpool.Pool, id int64) string {
	t.Helper()
	ct, err := store.ContestantByID(context.Background(), pool, resetContest, id)
	if err != nil {
		t.Fatal(err)
	}
	return ct.PasswordHash
}

// A link works once, before it expires, and only while the password is the one it was
// issued for; a reset revokes the others.
func TestPasswordResetLink(t *testing.T) {
	ctx := context.Background()
	pool, ids := resetFixture(t)
	now := time.Date(2024, 8, 20, 9, 0, 0, 0, time.UTC)
	issue := func(s string, who int64) {
		t.Helper()
		if _, err := store.IssuePasswordReset(ctx, pool, store.NewPasswordReset{ContestID: resetContest, ContestantID: who,
			Kind: store.ResetLink, Channel: store.ChannelEmail, SecretHash: secret(s), Now: now, Expires: now.Add(30 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	issue("a", ids[0])
	issue("b", ids[0])
	issue("other", ids[1])

	if _, err := store.LiveResetLink(ctx, pool, resetContest, secret("a"), now.Add(29*time.Minute)); err != nil {
		t.Fatalf("a link before its expiry: %v", err)
	}
	for name, at := range map[string]time.Time{"at its expiry": now.Add(30 * time.Minute), "after": now.Add(31 * time.Minute)} {
		if _, err := store.LiveResetLink(ctx, pool, resetContest, secret("a"), at); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a link %s: %v, want ErrNotFound", name, err)
		}
		if _, err := store.ResetPassword(ctx, pool, resetContest, secret("a"), "$new", at); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("reset with a link %s: %v, want ErrNotFound", name, err)
		}
	}
	if _, err := store.LiveResetLink(ctx, pool, "another-contest", secret("a"), now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a link of another contest: %v, want ErrNotFound", err)
	}
	if passwordOf(t, pool, ids[0]) != "$argon2id$old-0" {
		t.Fatal("a refused reset changed the password")
	}

	spent, err := store.ResetPassword(ctx, pool, resetContest, secret("a"), "$argon2id$new", now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if spent.ContestantID != ids[0] || spent.Channel != store.ChannelEmail {
		t.Errorf("spent %+v", spent)
	}
	if passwordOf(t, pool, ids[0]) != "$argon2id$new" {
		t.Fatal("the password did not change")
	}
	for _, s := range []string{"a", "b"} {
		if _, err := store.LiveResetLink(ctx, pool, resetContest, secret(s), now.Add(2*time.Minute)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("link %s after the reset: %v, want ErrNotFound", s, err)
		}
	}
	if _, err := store.ResetPassword(ctx, pool, resetContest, secret("a"), "$argon2id$again", now.Add(2*time.Minute)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second use: %v, want ErrNotFound", err)
	}
	if _, err := store.LiveResetLink(ctx, pool, resetContest, secret("other"), now.Add(2*time.Minute)); err != nil {
		t.Errorf("another person's link after the reset: %v", err)
	}

	// A link issued before a password change is dead even when nothing else revoked it.
	issue("c", ids[0])
	if _, err := pool.Exec(ctx, `UPDATE contestant SET password_hash = '$argon2id$changed' WHERE id = $1`, ids[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := store.LiveResetLink(ctx, pool, resetContest, secret("c"), now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a link issued for the old password: %v, want ErrNotFound", err)
	}
}

// Of many concurrent uses of one link (and of two links of one person), exactly one
// succeeds, and the password is the winner's.
func TestPasswordResetConcurrentUses(t *testing.T) {
	ctx := context.Background()
	pool, ids := resetFixture(t)
	now := time.Now()
	for _, s := range []string{"x", "y"} {
		if _, err := store.IssuePasswordReset(ctx, pool, store.NewPasswordReset{ContestID: resetContest, ContestantID: ids[0],
			Kind: store.ResetLink, Channel: store.ChannelEmail, SecretHash: secret(s), Now: now, Expires: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	const n = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	var won []string
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := []string{"x", "y"}[i%2]
			hash := fmt.Sprintf("$argon2id$by-%d", i)
			_, err := store.ResetPassword(ctx, pool, resetContest, secret(s), hash, now)
			switch {
			case err == nil:
				mu.Lock()
				won = append(won, hash)
				mu.Unlock()
			case !errors.Is(err, store.ErrNotFound):
				t.Errorf("use %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if len(won) != 1 {
		t.Fatalf("%d concurrent uses succeeded (%v), want 1", len(won), won)
	}
	if got := passwordOf(t, pool, ids[0]); got != won[0] {
		t.Fatalf("password %q, the winner set %q", got, won[0])
	}
}

// Tries at a code are counted before they are checked: however many arrive at once, no
// more than the limit are given the code to compare with; a new code replaces the old one.
func TestPasswordResetCodeTries(t *testing.T) {
	ctx := context.Background()
	pool, ids := resetFixture(t)
	now := time.Now()
	issueCode := func(s string) int64 {
		t.Helper()
		id, err := store.IssuePasswordReset(ctx, pool, store.NewPasswordReset{ContestID: resetContest, ContestantID: ids[0],
			Kind: store.ResetCode, Channel: store.ChannelSMS, SecretHash: secret(s), Now: now, Expires: now.Add(10 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	old := issueCode("old")
	code := issueCode("new")
	if _, err := store.TryResetCode(ctx, pool, resetContest, ids[1], 5, now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("someone without a code: %v, want ErrNotFound", err)
	}

	const maxTries, n = 5, 30
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[int]bool{}
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := store.TryResetCode(ctx, pool, resetContest, ids[0], maxTries, now)
			if errors.Is(err, store.ErrNotFound) {
				return
			}
			if err != nil {
				t.Error(err)
				return
			}
			if r.ID != code {
				t.Errorf("tried code %d, want the newest, %d (the older one, %d, is revoked)", r.ID, code, old)
			}
			mu.Lock()
			if seen[r.Attempts] || r.Attempts > maxTries {
				t.Errorf("try number %d given twice or beyond the limit", r.Attempts)
			}
			seen[r.Attempts] = true
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(seen) != maxTries {
		t.Fatalf("%d tries were given the code, want %d", len(seen), maxTries)
	}
	// The code is used up: it can no longer be exchanged for a link.
	err := store.ExchangeResetCode(ctx, pool, resetContest, code, store.NewPasswordReset{ContestantID: ids[0],
		SecretHash: secret("link"), Now: now, Expires: now.Add(time.Minute)})
	if err != nil {
		t.Fatalf("exchanging a code is decided by its checker; the store only spends it once: %v", err)
	}
	if err := store.ExchangeResetCode(ctx, pool, resetContest, code, store.NewPasswordReset{ContestantID: ids[0],
		SecretHash: secret("link2"), Now: now, Expires: now.Add(time.Minute)}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a code exchanged twice: %v, want ErrNotFound", err)
	}
	link, err := store.LiveResetLink(ctx, pool, resetContest, secret("link"), now)
	if err != nil || link.Channel != store.ChannelSMS || link.ContestantID != ids[0] {
		t.Fatalf("the link a code was exchanged for: %+v %v", link, err)
	}
	if n, err := store.RevokePasswordResets(ctx, pool, resetContest, ids[0], now); err != nil || n != 1 {
		t.Fatalf("revoke: %d %v, want the one live link", n, err)
	}
	if _, err := store.LiveResetLink(ctx, pool, resetContest, secret("link"), now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a revoked link: %v", err)
	}
}

// A helpdesk's code, issued in the caller's transaction with RevokeAll, revokes the
// person's live links as well as codes, only the person's, and only if that transaction
// commits.
func TestPasswordResetHelpdeskCodeRevokesAll(t *testing.T) {
	ctx := context.Background()
	pool, ids := resetFixture(t)
	now := time.Now()
	issue := func(q store.Querier, who int64, kind, channel, s string, all bool) error {
		_, err := store.IssuePasswordReset(ctx, q, store.NewPasswordReset{ContestID: resetContest, ContestantID: who,
			Kind: kind, Channel: channel, SecretHash: secret(s), IssuedBy: "dieu.hanh", RevokeAll: all, Now: now, Expires: now.Add(30 * time.Minute)})
		return err
	}
	for _, r := range []struct {
		who           int64
		kind, channel string
		s             string
	}{{ids[0], store.ResetLink, store.ChannelEmail, "link"}, {ids[1], store.ResetLink, store.ChannelEmail, "other's link"}} {
		if err := issue(pool, r.who, r.kind, r.channel, r.s, false); err != nil {
			t.Fatal(err)
		}
	}
	live := func(s string) bool {
		t.Helper()
		_, err := store.LiveResetLink(ctx, pool, resetContest, secret(s), now)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}

	// A code without RevokeAll (an SMS) leaves the links alone.
	if err := issue(pool, ids[0], store.ResetCode, store.ChannelSMS, "sms", false); err != nil {
		t.Fatal(err)
	}
	if !live("link") {
		t.Fatal("an SMS code revoked the person's link")
	}

	// Rolled back with the caller's transaction: nothing changes.
	boom := errors.New("the audit entry could not be written")
	err := store.InTx(ctx, pool, func(tx store.Querier) error {
		if err := issue(tx, ids[0], store.ResetCode, store.ChannelHelpdesk, "helpdesk", true); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("the transaction: %v", err)
	}
	var codes int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM password_reset WHERE contestant_id = $1 AND kind = 'code'
		AND revoked_at IS NULL AND channel = 'sms'`, ids[0]).Scan(&codes); err != nil || codes != 1 {
		t.Fatalf("after a rollback, live SMS codes: %d (%v), want 1", codes, err)
	}
	if !live("link") {
		t.Fatal("a rolled-back helpdesk code revoked the person's link")
	}

	// Committed: the link and the SMS code are revoked, the helpdesk's code is the one live
	// reset; another person's link stays.
	if err := store.InTx(ctx, pool, func(tx store.Querier) error {
		return issue(tx, ids[0], store.ResetCode, store.ChannelHelpdesk, "helpdesk", true)
	}); err != nil {
		t.Fatal(err)
	}
	if live("link") {
		t.Error("the helpdesk's code left the person's link live")
	}
	if !live("other's link") {
		t.Error("the helpdesk's code revoked another person's link")
	}
	r, err := store.TryResetCode(ctx, pool, resetContest, ids[0], 5, now)
	if err != nil || r.Channel != store.ChannelHelpdesk || r.Attempts != 1 {
		t.Fatalf("the live code: %+v %v, want the helpdesk's", r, err)
	}
	var by string
	var revoked int
	if err := pool.QueryRow(ctx, `SELECT issued_by, (SELECT count(*) FROM password_reset WHERE contestant_id = $2 AND revoked_at IS NOT NULL)
		FROM password_reset WHERE id = $1`, r.ID, ids[0]).Scan(&by, &revoked); err != nil || by != "dieu.hanh" || revoked != 2 {
		t.Fatalf("issued by %q, %d revoked (%v), want dieu.hanh and 2", by, revoked, err)
	}
}

func TestPasswordResetRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	pool, ids := resetFixture(t)
	now := time.Now()
	for name, r := range map[string]store.NewPasswordReset{
		"short hash":      {ContestID: resetContest, ContestantID: ids[0], Kind: store.ResetLink, Channel: store.ChannelEmail, SecretHash: []byte("x"), Now: now, Expires: now.Add(time.Minute)},
		"unknown kind":    {ContestID: resetContest, ContestantID: ids[0], Kind: "magic", Channel: store.ChannelEmail, SecretHash: secret("a"), Now: now, Expires: now.Add(time.Minute)},
		"unknown channel": {ContestID: resetContest, ContestantID: ids[0], Kind: store.ResetLink, Channel: "fax", SecretHash: secret("a"), Now: now, Expires: now.Add(time.Minute)},
		"already expired": {ContestID: resetContest, ContestantID: ids[0], Kind: store.ResetLink, Channel: store.ChannelEmail, SecretHash: secret("a"), Now: now, Expires: now},
	} {
		if _, err := store.IssuePasswordReset(ctx, pool, r); err == nil {
			t.Errorf("%s: issued", name)
		}
	}
	_, err := store.IssuePasswordReset(ctx, pool, store.NewPasswordReset{ContestID: "another-contest", ContestantID: ids[0],
		Kind: store.ResetLink, Channel: store.ChannelEmail, SecretHash: secret("a"), Now: now, Expires: now.Add(time.Minute)})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a contestant of another contest: %v, want ErrNotFound", err)
	}
}

func TestContestantsByEmail(t *testing.T) {
	ctx := context.Background()
	pool, ids := resetFixture(t)
	got, err := store.ContestantsByEmail(ctx, pool, resetContest, "KHAI@example.VN", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != ids[0] || got[1].ID != ids[2] {
		t.Fatalf("by email: %+v, want contestants %d and %d", got, ids[0], ids[2])
	}
	if got, _ := store.ContestantsByEmail(ctx, pool, resetContest, "khai@example.vn", 1); len(got) != 1 {
		t.Fatalf("limit 1 gave %d", len(got))
	}
	if got, _ := store.ContestantsByEmail(ctx, pool, resetContest, "", 5); len(got) != 0 {
		t.Fatalf("the empty address matched %d contestants", len(got))
	}
}

// Resets are kept a while after they expire (the helpdesk may be asked about them), then
// pruned.
func TestPrunePasswordResets(t *testing.T) {
	ctx := context.Background()
	pool, ids := resetFixture(t)
	now := time.Now()
	for s, issued := range map[string]time.Time{"old": now.Add(-9 * 24 * time.Hour), "recent": now.Add(-2 * 24 * time.Hour), "live": now} {
		if _, err := store.IssuePasswordReset(ctx, pool, store.NewPasswordReset{ContestID: resetContest, ContestantID: ids[0],
			Kind: store.ResetLink, Channel: store.ChannelEmail, SecretHash: secret(s), Now: issued, Expires: issued.Add(30 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.PrunePasswordResets(ctx, pool, now, 7*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM password_reset WHERE secret_hash = $1`, secret("old")).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the reset expired 9 days ago: %d rows (%v)", n, err)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM password_reset`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d resets left, want the recent and the live one (%v)", n, err)
	}
}
