package certificate

import (
	"bytes"
	"testing"
)

// BenchmarkWrite draws one certificate: the cost of a download that misses the cache
// (docs/BENCHMARKS.md, "Certificates (issue 14)").
func BenchmarkWrite(b *testing.B) {
	c := sample()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, colors, c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/pdf")
}

// BenchmarkWriteWinners draws a round's 11 prize certificates as one file.
func BenchmarkWriteWinners(b *testing.B) {
	cs := make([]Certificate, 11)
	for i := range cs {
		cs[i] = sample()
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, colors, cs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/pdf")
}
