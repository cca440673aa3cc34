package report

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
)

// chunkSize is how much of a sheet one goroutine compresses at a time. Each chunk is
// compressed without the previous one as its dictionary (as pigz can): at 1 MiB that costs
// well under 1 % of the file's size.
const chunkSize = 1 << 20

// parallelDeflate is a zip entry's deflate compressor that compresses chunks of what is
// written to it on several cores at once and writes them out in order. Each chunk ends
// with a sync flush, which leaves the stream byte-aligned, so the chunks' streams join into
// one valid deflate stream; the last chunk is closed, which writes the final block.
// At most inFlight chunks are held (each chunkSize plus its compressed form), so memory
// stays bounded however large the sheet.
type parallelDeflate struct {
	out      io.Writer
	level    int
	cur      *deflateChunk   // being filled
	pending  []*deflateChunk // submitted, in order
	inFlight int
	sem      chan struct{} // limits the compressing goroutines to the cores
	free     sync.Pool     // *deflateChunk
	writers  *sync.Pool    // *flate.Writer at level, shared by a workbook's entries
	err      error
	closed   bool
}

type deflateChunk struct {
	in   []byte
	out  bytes.Buffer
	last bool
	done chan struct{}
	err  error
}

// newParallelDeflate returns a compressor writing to out at the given klauspost/compress
// flate level; writers pools its flate writers (all at that level).
func newParallelDeflate(out io.Writer, level int, writers *sync.Pool) *parallelDeflate {
	procs := runtime.GOMAXPROCS(0)
	return &parallelDeflate{out: out, level: level, inFlight: procs + 1, sem: make(chan struct{}, procs), writers: writers}
}

func (d *parallelDeflate) Write(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	if d.closed {
		return 0, errors.New("deflate: write after close")
	}
	n := len(p)
	for len(p) > 0 {
		if d.cur == nil {
			d.cur = d.chunk()
		}
		in := d.cur.in
		k := copy(in[len(in):cap(in)], p)
		d.cur.in = in[:len(in)+k]
		p = p[k:]
		if len(d.cur.in) == cap(d.cur.in) {
			if err := d.submit(false); err != nil {
				return n - len(p), err
			}
		}
	}
	return n, nil
}

// Close compresses what is left, writes every chunk out and ends the stream.
func (d *parallelDeflate) Close() error {
	if d.closed {
		return d.err
	}
	d.closed = true
	if d.err != nil {
		d.drain()
		return d.err
	}
	if d.cur == nil {
		d.cur = d.chunk()
	}
	if err := d.submit(true); err != nil {
		return err
	}
	for len(d.pending) > 0 {
		if err := d.writeOldest(); err != nil {
			d.drain()
			return err
		}
	}
	return nil
}

// chunk is a free chunk with an input buffer of chunkSize.
func (d *parallelDeflate) chunk() *deflateChunk {
	if c, ok := d.free.Get().(*deflateChunk); ok {
		return c
	}
	return &deflateChunk{in: make([]byte, 0, chunkSize)}
}

// submit hands the buffered input to a goroutine, first writing out the oldest chunk when
// inFlight are already held.
func (d *parallelDeflate) submit(last bool) error {
	for len(d.pending) >= d.inFlight {
		if err := d.writeOldest(); err != nil {
			d.drain()
			return err
		}
	}
	c := d.cur
	d.cur = nil
	c.last, c.err, c.done = last, nil, make(chan struct{})
	c.out.Reset()
	d.pending = append(d.pending, c)
	d.sem <- struct{}{}
	go func() {
		defer func() { <-d.sem; close(c.done) }()
		c.err = d.compress(c)
	}()
	return nil
}

// writeOldest waits for the oldest chunk and writes it out.
func (d *parallelDeflate) writeOldest() error {
	c := d.pending[0]
	<-c.done
	d.pending = d.pending[1:]
	err := c.err
	if err == nil {
		_, err = d.out.Write(c.out.Bytes())
	}
	c.in = c.in[:0]
	d.free.Put(c)
	if err != nil {
		d.err = err
	}
	return err
}

// drain waits for every chunk still being compressed, after a failure.
func (d *parallelDeflate) drain() {
	for _, c := range d.pending {
		<-c.done
	}
	d.pending = nil
}

func (d *parallelDeflate) compress(c *deflateChunk) error {
	fw, _ := d.writers.Get().(*flate.Writer)
	if fw == nil {
		var err error
		if fw, err = flate.NewWriter(&c.out, d.level); err != nil {
			return err
		}
	} else {
		fw.Reset(&c.out)
	}
	defer d.writers.Put(fw)
	if _, err := fw.Write(c.in); err != nil {
		return err
	}
	if c.last {
		return fw.Close()
	}
	return fw.Flush()
}
