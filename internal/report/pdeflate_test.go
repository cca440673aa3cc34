package report

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestParallelDeflateRoundTrip compresses inputs around the chunk size, written in pieces
// of several sizes, and inflates them with the standard library's reader.
func TestParallelDeflateRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 5*chunkSize+123)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	text := bytes.Repeat([]byte(`<row r="1"><c r="A1" t="inlineStr"><is><t>Nguyễn Văn An</t></is></c></row>`), 5*chunkSize/70)
	writers := &sync.Pool{}
	for _, size := range []int{0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 3*chunkSize + 7, len(random)} {
		for _, src := range [][]byte{random[:size], text[:min(size, len(text))]} {
			for _, piece := range []int{1 << 10, 64<<10 + 3, chunkSize + 5} {
				var out bytes.Buffer
				d := newParallelDeflate(&out, xlsxDeflateLevel, writers)
				for p := src; len(p) > 0; {
					n := min(piece, len(p))
					if k, err := d.Write(p[:n]); err != nil || k != n {
						t.Fatalf("write %d: %d %v", n, k, err)
					}
					p = p[n:]
				}
				if err := d.Close(); err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(flate.NewReader(&out))
				if err != nil {
					t.Fatalf("%d bytes in pieces of %d: %v", len(src), piece, err)
				}
				if !bytes.Equal(got, src) {
					t.Fatalf("%d bytes in pieces of %d: got back %d different bytes", len(src), piece, len(got))
				}
			}
		}
	}
}

// TestParallelDeflateWriteError: a failing destination fails the writes or the close,
// and no goroutine is left waiting.
func TestParallelDeflateWriteError(t *testing.T) {
	src := make([]byte, 6*chunkSize) // random: compressed, it stays about as large
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range src {
		src[i] = byte(rng.IntN(256))
	}
	for _, limit := range []int{0, 10, chunkSize / 2, 4 * chunkSize} {
		d := newParallelDeflate(&failingWriter{left: limit}, xlsxDeflateLevel, &sync.Pool{})
		_, werr := d.Write(src)
		cerr := d.Close()
		if !errors.Is(werr, errWriteFailed) && !errors.Is(cerr, errWriteFailed) {
			t.Errorf("limit %d: write %v, close %v", limit, werr, cerr)
		}
		if len(d.pending) != 0 {
			t.Errorf("limit %d: %d chunks still pending", limit, len(d.pending))
		}
		if _, err := d.Write([]byte("x")); err == nil {
			t.Errorf("limit %d: a write after the failure succeeded", limit)
		}
	}
}
