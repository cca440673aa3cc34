package webapp

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// replica is a second replica of the app on the same database, with its own server.
func (e *env) replica() *env {
	e.t.Helper()
	cfg := e.app.cfg
	cfg.Registerer, cfg.Gatherer = nil, nil
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	app, err := New(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler())
	e.t.Cleanup(srv.Close)
	e.t.Cleanup(app.StopScans)
	return &env{t: e.t, pool: e.pool, app: app, srv: srv, rounds: e.rounds, bank: e.bank}
}

// heldScans makes the app's scans wait for release, and counts those that started.
type heldScans struct {
	started atomic.Int32
	release chan struct{}
}

func holdScans(a *App) *heldScans {
	h := &heldScans{release: make(chan struct{})}
	a.scans.hold = func(ctx context.Context) {
		h.started.Add(1)
		select {
		case <-h.release:
		case <-ctx.Done():
		}
	}
	return h
}

// quickly gets a page and fails the test when it does not answer within 20 seconds
// (a page waiting for a held scan would never answer).
func (b *browser) quickly(path string) response {
	b.e.t.Helper()
	got := make(chan response, 1)
	go func() { got <- b.get(path) }()
	select {
	case r := <-got:
		if r.status != http.StatusOK {
			b.e.t.Fatalf("%s: %d %s", path, r.status, alertOf(r.body))
		}
		return r
	case <-time.After(20 * time.Second):
		b.e.t.Fatalf("%s waits for the scan", path)
		return response{}
	}
}

// The review queue's scan runs in the background: the page answers while it runs and
// says so; one scan of a round runs at a time across two replicas on one database; its
// result shows on both once it is stored, and a decision on the other replica is checked
// against it; a result older than scanStale makes the next page scan again.
func TestIntegrityScanInTheBackground(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	fast, fastID := e.named(1, "Trần Văn Nhanh")
	fast.submitAttempt(true)
	e.enableConsole()
	e.account("dieu.hanh", "editor", "mat-khau-dieu-hanh-2024")
	ed := e.signedInAs("dieu.hanh", "mat-khau-dieu-hanh-2024")
	other := e.replica()
	ed2 := &browser{e: other, client: ed.client}
	h1, h2 := holdScans(e.app), holdScans(other.app)

	// The first page starts the scan and answers at once, without a list.
	page := ed.quickly("/console/integrity?round=dot-1")
	if !strings.Contains(page.body, "Đang quét lần đầu") || !strings.Contains(page.body, "Chưa có kết quả quét của đợt thi này.") ||
		strings.Contains(page.body, "Trần Văn Nhanh") {
		t.Errorf("the page during the first scan: %s", alertOf(page.body))
	}
	// Neither replica starts another while it runs, asked or not.
	page = ed2.quickly("/console/integrity?round=dot-1")
	if !strings.Contains(page.body, "Đang quét lần đầu") {
		t.Errorf("the other replica does not say a scan runs")
	}
	if r := ed2.get("/console/integrity?round=dot-1&rescan=1"); r.status != http.StatusSeeOther {
		t.Errorf("rescan: %d", r.status)
	}
	ed.quickly("/console/integrity?round=dot-1")
	waitFor(t, func() bool { return h1.started.Load() == 1 })
	if n1, n2 := h1.started.Load(), h2.started.Load(); n1 != 1 || n2 != 0 {
		t.Errorf("scans started: %d here, %d on the other replica; want one in all", n1, n2)
	}
	if r := ed2.decide("dot-1", fastID, "dismissed", "Giáo viên tin học, làm lại lần hai"); r.status != http.StatusConflict {
		t.Errorf("a decision before any scan finished: %d", r.status)
	}

	// Done: both replicas show the one result; a decision on the other replica (which never
	// scanned) is checked against it.
	close(h1.release)
	e.app.scans.wg.Wait()
	page = ed2.quickly("/console/integrity?round=dot-1")
	if !strings.Contains(page.body, "Quét lúc") || strings.Contains(page.body, "Đang quét") || !strings.Contains(page.body, "Trần Văn Nhanh</strong>") {
		t.Errorf("the other replica after the scan: %s", alertOf(page.body))
	}
	if r := ed2.decide("dot-1", fastID, "dismissed", "Giáo viên tin học, làm lại lần hai"); r.status != http.StatusSeeOther {
		t.Errorf("a decision on the stored scan: %d %s", r.status, alertOf(r.body))
	}

	// Recent: new evidence waits for the next scan, and opening the page starts none.
	late, _ := e.named(2, "Lê Văn Muộn")
	late.submitAttempt(true)
	h1 = holdScans(e.app)
	if page = ed.quickly("/console/integrity?round=dot-1"); strings.Contains(page.body, "Lê Văn Muộn") || strings.Contains(page.body, "Đang quét") {
		t.Errorf("a recent result is scanned again on opening the page")
	}
	// Stale: the next page scans again, showing the previous result meanwhile.
	if _, err := e.pool.Exec(ctx, `UPDATE integrity_scan SET scanned_at = scanned_at - $1 * interval '1 second'`, (scanStale + time.Second).Seconds()); err != nil {
		t.Fatal(err)
	}
	page = ed.quickly("/console/integrity?round=dot-1")
	if !strings.Contains(page.body, "Đang quét lại") || !strings.Contains(page.body, "Quét lúc") || strings.Contains(page.body, "Lê Văn Muộn") {
		t.Errorf("the page during a new scan of a stale result: %s", alertOf(page.body))
	}
	close(h1.release)
	e.app.scans.wg.Wait()
	if page = ed2.quickly("/console/integrity?round=dot-1"); !strings.Contains(page.body, "Lê Văn Muộn</strong>") || strings.Contains(page.body, "Đang quét") {
		t.Errorf("the new scan's result is not shown: %s", alertOf(page.body))
	}
	if n := h1.started.Load() + h2.started.Load(); n != 1 {
		t.Errorf("%d scans for one stale result", n)
	}
}

// A replica that stops mid-scan gives the round's lease back: another replica scans at
// once instead of waiting for the lease to expire.
func TestIntegrityScanStoppedGivesTheLeaseBack(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	e.account("dieu.hanh", "editor", "mat-khau-dieu-hanh-2024")
	ed := e.signedInAs("dieu.hanh", "mat-khau-dieu-hanh-2024")
	other := e.replica()
	ed2 := &browser{e: other, client: ed.client}
	h1 := holdScans(e.app)
	ed.quickly("/console/integrity?round=dot-1")
	waitFor(t, func() bool { return h1.started.Load() == 1 })
	e.app.StopScans()
	page := ed2.quickly("/console/integrity?round=dot-1")
	if !strings.Contains(page.body, "Lần quét gần nhất không thành công") || !strings.Contains(page.body, "Đang quét lần đầu") {
		t.Errorf("after the first replica stopped: %s", alertOf(page.body))
	}
	other.app.scans.wg.Wait()
	if page = ed2.quickly("/console/integrity?round=dot-1"); !strings.Contains(page.body, "Quét lúc") || !strings.Contains(page.body, "Không có ai cần xem xét.") {
		t.Errorf("the other replica's scan: %s", alertOf(page.body))
	}
}

// A replica scans one round at a time: while it scans one, a page of another round that
// wants a scan says the server is busy and claims nothing (another replica, or a later
// page, scans it); a round whose result is recent is shown as usual.
func TestIntegrityScanOneRoundAtATimePerReplica(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.enableConsole()
	e.account("dieu.hanh", "editor", "mat-khau-dieu-hanh-2024")
	ed := e.signedInAs("dieu.hanh", "mat-khau-dieu-hanh-2024")
	ed.quickly("/console/integrity?round=dot-0")
	e.app.scans.wg.Wait()

	h := holdScans(e.app)
	ed.quickly("/console/integrity?round=dot-1")
	waitFor(t, func() bool { return h.started.Load() == 1 })
	const busy = "Máy chủ đang quét một đợt thi khác"
	if page := ed.quickly("/console/integrity?round=dot-0"); strings.Contains(page.body, busy) || !strings.Contains(page.body, "Quét lúc") {
		t.Errorf("a round with a recent result while another is scanned: %s", alertOf(page.body))
	}
	if page := ed.quickly("/console/integrity?round=dot-2"); !strings.Contains(page.body, busy) || strings.Contains(page.body, "Đang quét") {
		t.Errorf("a round never scanned while another is: %s", alertOf(page.body))
	}
	if page := ed.quickly("/console/integrity?round=dot-0&rescan=1"); !strings.Contains(page.body, busy) {
		t.Errorf("Quét lại while another round is scanned: %s", alertOf(page.body))
	}
	var rows int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM integrity_scan WHERE round = 'contest/dot-2'`).Scan(&rows); err != nil || rows != 0 {
		t.Errorf("a busy replica claimed the round: %d rows (%v)", rows, err)
	}

	close(h.release)
	e.app.scans.wg.Wait()
	ed.quickly("/console/integrity?round=dot-2")
	e.app.scans.wg.Wait()
	if page := ed.quickly("/console/integrity?round=dot-2"); !strings.Contains(page.body, "Quét lúc") || strings.Contains(page.body, busy) {
		t.Errorf("the round once the replica is free: %s", alertOf(page.body))
	}
	if n := h.started.Load(); n != 2 {
		t.Errorf("%d scans, want dot-1's and dot-2's", n)
	}
}
