package report_test

// The report of a ranked round of 1,000,000 attempts by 500,000 people, as organizers
// download it (docs/BENCHMARKS.md, "Organizer statistics at 1,000,000 attempts"):
//
//	hack/with-postgres.sh go test -run '^$' -bench Report -benchtime 1x ./internal/report/

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/report"
	"github.com/dxcontest/contest-platform/internal/testutil/benchmeter"
	"github.com/dxcontest/contest-platform/internal/testutil/contestdata"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// BenchmarkReport1M builds the report and writes it whole, as XLSX (the console's
// download) and as zipped CSV files, to nowhere: what is measured is reading and encoding.
func BenchmarkReport1M(b *testing.B) {
	dsn, _ := contestdata.Clone(b, contestdata.Ranked(contestdata.Options{}))
	pool := pgtest.Connect(b, dsn)
	ctx := context.Background()
	for _, w := range []struct {
		name  string
		write func(context.Context, io.Writer, *report.Report) error
	}{
		{"xlsx", report.WriteXLSX},
		{"csv", report.WriteCSVZip},
	} {
		b.Run(w.name, func(b *testing.B) {
			cpu := benchmeter.ReadCPU()
			var build time.Duration
			var out countingWriter
			for range b.N {
				start := time.Now()
				rep, err := report.Build(ctx, pool, contestdata.DefaultRound, report.Options{})
				if err != nil {
					b.Fatal(err)
				}
				build += time.Since(start)
				if err := w.write(ctx, &out, rep); err != nil {
					b.Fatal(err)
				}
				if rep.Run.Participants < 490_000 {
					b.Fatal(fmt.Sprint("ranked ", rep.Run.Participants))
				}
			}
			benchmeter.ReportCPU(b, cpu, benchmeter.ReadCPU(), "go-CPU-µs/op")
			b.ReportMetric(build.Seconds()/float64(b.N), "build-s/op")
			b.ReportMetric(float64(out.n)/float64(b.N)/(1<<20), "MiB/op")
		})
	}
}

// countingWriter counts what is written to it and keeps nothing.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}
