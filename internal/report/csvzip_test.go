package report

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strconv"
	"testing"
)

// TestWriteCSVZip: one file per table, each byte for byte what WriteCSV writes, including
// a table large enough to be compressed in several chunks on several cores.
func TestWriteCSVZip(t *testing.T) {
	big := &Table{Name: "Lớn", File: "lon", Columns: []Column{{"Số", 8}, {"Tên", 20}}}
	for i := range 60_000 {
		big.rows = append(big.rows, []Cell{Int(int64(i)), Text("Thí sinh số " + strconv.Itoa(i))})
	}
	rep := &Report{Tables: []*Table{sampleTable(), big, {Name: "Trống", File: "trong", Columns: []Column{{"A", 1}}}}}
	var buf bytes.Buffer
	if err := WriteCSVZip(context.Background(), &buf, rep); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(rep.Tables) {
		t.Fatalf("%d files, want %d", len(zr.File), len(rep.Tables))
	}
	for i, f := range zr.File {
		tbl := rep.Tables[i]
		if f.Name != CSVFileName(tbl) {
			t.Errorf("file %d is %q, want %q", i, f.Name, CSVFileName(tbl))
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc) // checks the CRC too
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		var want bytes.Buffer
		if err := WriteCSV(context.Background(), &want, tbl); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s: %d bytes differ from WriteCSV's %d", f.Name, len(got), want.Len())
		}
	}
}
