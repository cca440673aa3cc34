// Package zipedit rewrites one part of a ZIP file (an XLSX workbook, a DOCX) for tests
// that need a file a spreadsheet program would never write: broken XML, bytes that are
// not UTF-8, a part missing.
package zipedit

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
)

// Edit returns data with the part called name replaced by edit's result (nil removes the
// part); every other part is copied as it is. It fails the test when name is not there.
func Edit(t testing.TB, data []byte, name string, edit func(part []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("zipedit: %v", err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, f := range zr.File {
		part, err := readPart(f)
		if err != nil {
			t.Fatalf("zipedit: %s: %v", f.Name, err)
		}
		if f.Name == name {
			found = true
			if part = edit(part); part == nil {
				continue
			}
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatalf("zipedit: %v", err)
		}
		if _, err := w.Write(part); err != nil {
			t.Fatalf("zipedit: %v", err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatalf("zipedit: %v", err)
	}
	if !found {
		t.Fatalf("zipedit: no part %q", name)
	}
	return out.Bytes()
}

func readPart(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// AfterDeclaration inserts text on a line of its own after an XML part's declaration
// (<?xml …?>), or at the start of a part without one.
func AfterDeclaration(text string) func([]byte) []byte {
	return func(part []byte) []byte {
		i := bytes.Index(part, []byte("?>")) + 2
		if i < 2 {
			i = 0
		}
		return append(append(append([]byte{}, part[:i]...), "\n"+text...), part[i:]...)
	}
}
