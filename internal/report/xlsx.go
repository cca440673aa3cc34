package report

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
)

// WriteXLSX writes the report as one workbook, a sheet per table, the summary first and
// active. Sheets are streamed: the ranking of a large round is never held in memory.
func WriteXLSX(ctx context.Context, w io.Writer, rep *Report) error {
	return WriteTablesXLSX(ctx, w, rep.Tables...)
}

// WriteTablesXLSX writes tables as one workbook, a sheet each, the first active.
//
// The workbook's XML is written here rather than by excelize: its per-cell path and
// compression on one core took 13 s of CPU for a round of a million attempts, against the
// 10 s the whole report may take (docs/decisions.md, "The report's XLSX is written by
// hand"). What is written is the small part of SpreadsheetML the report needs: inline
// strings, numbers, dates, five styles, column widths and a frozen header.
func WriteTablesXLSX(ctx context.Context, w io.Writer, tables ...*Table) error {
	if len(tables) == 0 {
		return fmt.Errorf("a workbook needs at least one sheet")
	}
	seen := map[string]bool{}
	for _, t := range tables {
		if err := checkSheetName(t.Name); err != nil {
			return err
		}
		key := strings.ToLower(t.Name)
		if seen[key] {
			return fmt.Errorf("sheet name %q is used twice", t.Name)
		}
		seen[key] = true
	}
	zw := newZipWriter(w)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypesXML(len(tables))},
		{"_rels/.rels", rootRelsXML},
		{"docProps/app.xml", appXML},
		{"xl/workbook.xml", workbookXML(tables)},
		{"xl/_rels/workbook.xml.rels", workbookRelsXML(len(tables))},
		{"xl/styles.xml", stylesXML},
	}
	for _, p := range parts {
		f, err := zw.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	for i, t := range tables {
		f, err := zw.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1))
		if err != nil {
			return err
		}
		if err := writeSheet(ctx, f, t, i == 0); err != nil {
			return fmt.Errorf("sheet %s: %w", t.Name, err)
		}
	}
	return zw.Close()
}

// xlsxDeflateLevel is klauspost/compress's fastest level: the sheets are mostly markup,
// which compresses well even so, and the report's time matters more than its size.
const xlsxDeflateLevel = flate.BestSpeed

// newZipWriter is a zip writer whose entries are deflated on every core (parallelDeflate):
// the XLSX's parts and the zipped CSV files.
func newZipWriter(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	writers := &sync.Pool{}
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return newParallelDeflate(out, xlsxDeflateLevel, writers), nil
	})
	return zw
}

// Excel's limits (Excel specifications and limits).
const (
	maxSheetName = 31
	maxRows      = 1_048_576
	maxColumns   = 16_384
	maxCellChars = 32_767
)

// checkSheetName rejects a name Excel would refuse to open: empty, longer than 31
// characters, with one of : \ / ? * [ ], or starting or ending with an apostrophe.
func checkSheetName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("sheet name is empty")
	case utf8.RuneCountInString(name) > maxSheetName:
		return fmt.Errorf("sheet name %q is longer than %d characters", name, maxSheetName)
	case strings.ContainsAny(name, `:\/?*[]`):
		return fmt.Errorf("sheet name %q has one of the characters : \\ / ? * [ ]", name)
	case strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'"):
		return fmt.Errorf("sheet name %q starts or ends with an apostrophe", name)
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == utf8.RuneError || r == 0xFFFE || r == 0xFFFF }):
		return fmt.Errorf("sheet name %q has a control character", name)
	}
	return nil
}

func contentTypesXML(sheets int) string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`)
	for i := 1; i <= sheets; i++ {
		fmt.Fprintf(&b, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i)
	}
	b.WriteString(`</Types>`)
	return b.String()
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const rootRelsXML = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const appXML = xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>contest-platform</Application></Properties>`

func workbookXML(tables []*Table) string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<bookViews><workbookView activeTab="0"/></bookViews><sheets>`)
	for i, t := range tables {
		fmt.Fprintf(&b, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, escapeAttr(t.Name), i+1, i+1)
	}
	b.WriteString(`</sheets></workbook>`)
	return b.String()
}

func workbookRelsXML(sheets int) string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i := 1; i <= sheets; i++ {
		fmt.Fprintf(&b, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i, i)
	}
	fmt.Fprintf(&b, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`, sheets+1)
	b.WriteString(`</Relationships>`)
	return b.String()
}

func escapeAttr(s string) string {
	return string(appendEscaped(nil, s, true))
}
