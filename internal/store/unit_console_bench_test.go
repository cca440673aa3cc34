package store_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/report"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// The console's unit pages and the daily export at the scale of a large round: 500,000
// people (70 % in 3,000 units, 30 % typed one of 20,000 spellings, skewed as typing is) and
// 1,000,000 finished attempts over two weeks. Each statement's plan is logged (EXPLAIN
// ANALYZE, BUFFERS) and timed:
//
//	hack/with-postgres.sh go test -run '^$' -bench UnitConsole -benchtime 3x -v ./internal/store/
const (
	benchPeople   = 500_000
	benchAttempts = 1_000_000
	benchRound    = "contest/dot-1"
	benchZone     = "Asia/Ho_Chi_Minh"
)

func seedUnitConsole(b *testing.B, pool *pgxpool.Pool) (units []unit.Unit, biggest string) {
	b.Helper()
	ctx := context.Background()
	if err := store.ReplaceLocalities(ctx, pool, contest, sampleLocalities(b)); err != nil {
		b.Fatal(err)
	}
	communes, err := store.ListLocalities(ctx, pool, contest)
	if err != nil {
		b.Fatal(err)
	}
	var codes []string
	for _, l := range communes {
		if l.ParentCode != "" {
			codes = append(codes, l.Code)
		}
	}
	for top := range 100 {
		n := 50 + top
		units = append(units, unit.Unit{Code: fmt.Sprintf("U%03d", top), Name: fmt.Sprintf("Sở số %d", top), Type: unit.TypeAgency, Headcount: &n})
		for sub := range 29 {
			units = append(units, unit.Unit{Code: fmt.Sprintf("U%03d-%02d", top, sub), Name: fmt.Sprintf("Phòng %d", sub),
				ParentCode: fmt.Sprintf("U%03d", top), Type: unit.TypeAgency})
		}
	}
	if err := store.ReplaceUnits(ctx, pool, contest, units); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO question_bank (name, version, checksum, content) VALUES ('mau', 1, 'c', '{}')`); err != nil {
		b.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	birth := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"contestant"},
		[]string{"contest_id", "national_id", "phone", "full_name", "birth_date", "gender", "participant_group", "organization",
			"organization_key", "unit_code", "locality_code", "password_hash"},
		pgx.CopyFromSlice(benchPeople, func(i int) ([]any, error) {
			var org string
			var code any
			if i%10 < 7 {
				u := units[rnd.IntN(len(units))]
				org, code = u.Name, u.Code
			} else {
				org = fmt.Sprintf("Hội viên chi hội số %d", int(rnd.ExpFloat64()*2000)%20_000)
				if i%3 == 0 {
					org = strings.ToUpper(org)
				}
			}
			return []any{contest, fmt.Sprintf("06009%07d", i), fmt.Sprintf("09%08d", i), "Nguyễn Văn An", birth, "male", "official",
				org, unit.Key(org), code, codes[i%len(codes)], "x"}, nil
		})); err != nil {
		b.Fatal(err)
	}
	var firstID int64
	if err := pool.QueryRow(ctx, `SELECT min(id) FROM contestant`).Scan(&firstID); err != nil {
		b.Fatal(err)
	}
	opens := time.Date(2024, 8, 17, 0, 0, 0, 0, time.UTC)
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"attempt"},
		[]string{"round", "contestant_id", "attempt_no", "status", "started_at", "deadline", "submitted_at", "bank_name", "bank_version", "paper", "total", "correct", "prediction"},
		pgx.CopyFromSlice(benchAttempts, func(i int) ([]any, error) {
			start := opens.Add(time.Duration(rnd.Int64N(int64(14 * 24 * time.Hour))))
			return []any{benchRound, firstID + int64(i/2), int16(i%2 + 1), "submitted", start, start.Add(30 * time.Minute), start.Add(10 * time.Minute),
				"mau", int32(1), []byte(`{"items":[]}`), int16(15), int16(rnd.IntN(16)), int64(rnd.IntN(200_000))}, nil
		})); err != nil {
		b.Fatal(err)
	}
	// A table that has lived is vacuumed: its visibility map lets counts come from indexes.
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE contestant, attempt, unit`); err != nil {
		b.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT organization_key FROM contestant WHERE unit_code IS NULL
		GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`).Scan(&biggest); err != nil {
		b.Fatal(err)
	}
	return units, biggest
}

func BenchmarkUnitConsole(b *testing.B) {
	ctx := context.Background()
	pool := pgtest.Migrated(b)
	units, biggest := seedUnitConsole(b, pool)
	// One mapping made, for the mapped list to have something.
	if _, err := store.MapSpelling(ctx, pool, contest, unit.Key("Hội viên chi hội số 5"), units[1].Code); err != nil {
		b.Fatal(err)
	}
	explain := map[string][]any{
		"FreeTextSpellings": {contest, "", 50, 0},
		"MappedSpellings":   {contest, 50, 0},
		"MapSpelling":       {contest, biggest, units[0].Code},
		"UnmapSpelling":     {contest, unit.Key("Hội viên chi hội số 5"), units[1].Code},
		"UnitRegistrations": {contest},
		"FreeTextPeople":    {contest},
		"FirstDays":         {benchRound, benchZone},
	}
	for name, args := range explain {
		// In a transaction rolled back: EXPLAIN ANALYZE runs the updates.
		tx, err := pool.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := tx.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+store.ConsoleUnitSQL[name], args...)
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		_ = tx.Rollback(ctx)
		b.Logf("%s:\n%s", name, strings.Join(lines, "\n"))
	}

	run := func(name string, f func() error) {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("FreeTextSpellings", func() error {
		_, err := store.FreeTextSpellings(ctx, pool, contest, "", 50, 0)
		return err
	})
	run("FreeTextSpellingsFiltered", func() error {
		_, err := store.FreeTextSpellings(ctx, pool, contest, "số 12", 50, 0)
		return err
	})
	run("MapAndUnmapTheBiggestSpelling", func() error {
		if _, err := store.MapSpelling(ctx, pool, contest, biggest, units[0].Code); err != nil {
			return err
		}
		_, err := store.UnmapSpelling(ctx, pool, contest, biggest, units[0].Code)
		return err
	})
	run("UnitRegistrations", func() error {
		_, _, err := store.UnitRegistrations(ctx, pool, contest)
		return err
	})
	run("FirstDays", func() error {
		return store.FirstDays(ctx, pool, benchRound, benchZone, func(store.FirstDayCount) error { return nil })
	})
	run("ParticipationByDay", func() error {
		_, err := store.ParticipationByDay(ctx, pool, benchRound, benchZone)
		return err
	})
	run("DailyExportXLSX", func() error {
		tables := report.Daily(pool, contest, benchRound, report.DailyOptions{From: time.Date(2024, 8, 17, 0, 0, 0, 0, time.UTC),
			To: time.Date(2024, 8, 31, 17, 0, 0, 0, time.UTC), Now: time.Now(), Location: mustZone(b)})
		return report.WriteTablesXLSX(ctx, io.Discard, tables...)
	})
}

func mustZone(b *testing.B) *time.Location {
	loc, err := time.LoadLocation(benchZone)
	if err != nil {
		b.Fatal(err)
	}
	return loc
}
