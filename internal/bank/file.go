package bank

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ParseFile parses a .csv or .xlsx file, chosen by extension (any case).
// Errors are prefixed with the path; an *ImportError inside is still found by
// errors.As.
func ParseFile(path string, opts ParseOptions) (*Bank, error) {
	var parse func(io.Reader, ParseOptions) (*Bank, error)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		parse = ParseCSV
	case ".xlsx":
		parse = ParseXLSX
	case ".xls":
		return nil, fmt.Errorf("%s: %w", path, fileError(reasonXLS))
	default:
		return nil, fmt.Errorf("%s: %w", path, fileError(reasonUnsupportedExt(ext)))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bank: open question bank: %w", err)
	}
	defer f.Close() // read-only: a close error cannot lose data
	b, err := parse(f, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}
