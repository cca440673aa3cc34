package report

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// Cell styles: indexes into stylesXML's cellXfs.
const (
	styleGeneral = iota
	styleHeader
	styleWarning
	styleDate
	styleDecimal1 // styleDecimal1+d-1 shows d decimals, d from 1 to maxStyledDecimals
)

const maxStyledDecimals = 6

// stylesXML is the workbook's style sheet: the header bold on light blue, warnings bold in
// dark red, dates as dd/mm/yyyy and numbers with 1 to 6 decimals. Excel wants the two
// default fills (none, gray125) before any of ours. Colours are RGB, not theme colours:
// the workbook has no theme part.
const stylesXML = xmlHeader + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<numFmts count="7"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>` +
	`<numFmt numFmtId="165" formatCode="0.0"/><numFmt numFmtId="166" formatCode="0.00"/>` +
	`<numFmt numFmtId="167" formatCode="0.000"/><numFmt numFmtId="168" formatCode="0.0000"/>` +
	`<numFmt numFmtId="169" formatCode="0.00000"/><numFmt numFmtId="170" formatCode="0.000000"/></numFmts>` +
	`<fonts count="3">` +
	`<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
	`<font><b/><sz val="11"/><color rgb="FFC00000"/><name val="Calibri"/><family val="2"/></font>` +
	`</fonts>` +
	`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="10">` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>` +
	`<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="168" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="169" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="170" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`</cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>` +
	`</styleSheet>`

// sheetFlush is how much XML a sheet writer gathers before handing it to the compressor.
const sheetFlush = 64 << 10

// sheetWriter writes one worksheet's XML, row by row, to w.
type sheetWriter struct {
	w    io.Writer
	buf  []byte
	cols [][]byte // column letters
	row  int
}

// writeSheet writes t as a worksheet: column widths, the header row frozen, then the rows.
func writeSheet(ctx context.Context, w io.Writer, t *Table, active bool) error {
	if len(t.Columns) > maxColumns {
		return fmt.Errorf("%d columns, more than the %d a sheet holds", len(t.Columns), maxColumns)
	}
	sw := &sheetWriter{w: w, buf: make([]byte, 0, sheetFlush+4096), cols: make([][]byte, len(t.Columns))}
	for i := range sw.cols {
		sw.cols[i] = columnName(i + 1)
	}
	sw.buf = append(sw.buf, xmlHeader+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`...)
	sw.buf = append(sw.buf, `<sheetViews><sheetView workbookViewId="0"`...)
	if active {
		sw.buf = append(sw.buf, ` tabSelected="1"`...)
	}
	sw.buf = append(sw.buf, `><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>`...)
	sw.buf = append(sw.buf, `<sheetFormatPr defaultRowHeight="15"/>`...)
	if len(t.Columns) > 0 {
		sw.buf = append(sw.buf, `<cols>`...)
		for i, c := range t.Columns {
			width := c.Width
			if width <= 0 || math.IsNaN(width) || width > 255 {
				width = 8.43 // Excel's default
			}
			sw.buf = fmt.Appendf(sw.buf, `<col min="%d" max="%d" width="%s" customWidth="1"/>`, i+1, i+1, strconv.FormatFloat(width, 'f', -1, 64))
		}
		sw.buf = append(sw.buf, `</cols>`...)
	}
	sw.buf = append(sw.buf, `<sheetData>`...)
	if err := sw.header(t.Columns); err != nil {
		return err
	}
	err := t.Each(ctx, func(cells []Cell) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return sw.cells(cells)
	})
	if err != nil {
		return err
	}
	sw.buf = append(sw.buf, `</sheetData></worksheet>`...)
	_, err = w.Write(sw.buf)
	return err
}

func (sw *sheetWriter) header(columns []Column) error {
	sw.startRow()
	for i, c := range columns {
		sw.text(i, Neutralize(c.Title), styleHeader)
	}
	return sw.endRow()
}

// cells writes one row: numbers as numbers, dates as dates, text neutralized (a string
// cell is never evaluated by Excel itself, but copied or saved as CSV it could be).
func (sw *sheetWriter) cells(cells []Cell) error {
	if len(cells) > len(sw.cols) {
		return fmt.Errorf("row %d has %d cells for %d columns", sw.row+1, len(cells), len(sw.cols))
	}
	sw.startRow()
	for i, c := range cells {
		style := styleGeneral
		if c.Warning {
			style = styleWarning
		}
		switch c.kind {
		case kindInt:
			if math.Abs(c.num) < 1<<53 {
				sw.openNumber(i, style)
				sw.buf = strconv.AppendInt(sw.buf, int64(c.num), 10)
				sw.closeNumber()
				continue
			}
		case kindDecimal:
			if !math.IsNaN(c.num) && !math.IsInf(c.num, 0) {
				if !c.Warning && c.decimals >= 1 && c.decimals <= maxStyledDecimals {
					style = styleDecimal1 + c.decimals - 1
				}
				sw.openNumber(i, style)
				sw.buf = strconv.AppendFloat(sw.buf, c.num, 'f', -1, 64)
				sw.closeNumber()
				continue
			}
		case kindDate:
			if serial, ok := excelDate(c.date); ok {
				if !c.Warning {
					style = styleDate
				}
				sw.openNumber(i, style)
				sw.buf = strconv.AppendInt(sw.buf, serial, 10)
				sw.closeNumber()
				continue
			}
		}
		// Text, and any number or date a spreadsheet cannot hold, which CSV's text shows.
		text := c.text
		if c.kind == kindText {
			text = Neutralize(text)
		}
		sw.text(i, text, style)
	}
	return sw.endRow()
}

func (sw *sheetWriter) startRow() {
	sw.row++
	sw.buf = append(sw.buf, `<row r="`...)
	sw.buf = strconv.AppendInt(sw.buf, int64(sw.row), 10)
	sw.buf = append(sw.buf, `">`...)
}

func (sw *sheetWriter) endRow() error {
	if sw.row > maxRows {
		return fmt.Errorf("more than %d rows, the most a sheet holds", maxRows)
	}
	sw.buf = append(sw.buf, `</row>`...)
	if len(sw.buf) >= sheetFlush {
		if _, err := sw.w.Write(sw.buf); err != nil {
			return err
		}
		sw.buf = sw.buf[:0]
	}
	return nil
}

// ref starts cell i of the current row: <c r="B7" (and its style).
func (sw *sheetWriter) ref(i, style int) {
	sw.buf = append(sw.buf, `<c r="`...)
	sw.buf = append(sw.buf, sw.cols[i]...)
	sw.buf = strconv.AppendInt(sw.buf, int64(sw.row), 10)
	sw.buf = append(sw.buf, '"')
	if style != styleGeneral {
		sw.buf = append(sw.buf, ` s="`...)
		sw.buf = strconv.AppendInt(sw.buf, int64(style), 10)
		sw.buf = append(sw.buf, '"')
	}
}

// openNumber starts a number cell, whose value the caller appends, then closeNumber.
func (sw *sheetWriter) openNumber(i, style int) {
	sw.ref(i, style)
	sw.buf = append(sw.buf, `><v>`...)
}

func (sw *sheetWriter) closeNumber() { sw.buf = append(sw.buf, `</v></c>`...) }

// text writes an inline string cell; an empty text is left out (an empty cell).
func (sw *sheetWriter) text(i int, s string, style int) {
	if s == "" && style == styleGeneral {
		return
	}
	sw.ref(i, style)
	sw.buf = append(sw.buf, ` t="inlineStr"><is><t`...)
	s = truncateCell(s)
	if s != "" && (isXMLSpace(s[0]) || isXMLSpace(s[len(s)-1])) {
		sw.buf = append(sw.buf, ` xml:space="preserve"`...)
	}
	sw.buf = append(sw.buf, '>')
	sw.buf = appendEscaped(sw.buf, s, false)
	sw.buf = append(sw.buf, `</t></is></c>`...)
}

func isXMLSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// truncateCell cuts s to the 32,767 characters (UTF-16 code units) a cell holds.
func truncateCell(s string) string {
	if len(s) <= maxCellChars {
		return s
	}
	units := 0
	for i, r := range s {
		n := 1
		if r >= 0x10000 {
			n = 2
		}
		if units+n > maxCellChars {
			return s[:i]
		}
		units += n
	}
	return s
}

// excelDate is the serial number of d's calendar day in Excel's 1900 date system, if Excel
// shows it correctly: it counts from 30 December 1899 from March 1900 on (it takes 1900
// for a leap year, so earlier serials are off by one and not written).
func excelDate(d time.Time) (int64, bool) {
	y, m, day := d.Date()
	if y < 1900 || (y == 1900 && m < time.March) || y > 9999 {
		return 0, false
	}
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	return int64(time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Sub(epoch) / (24 * time.Hour)), true
}

// columnName is a column's letters: 1 is A, 27 is AA.
func columnName(n int) []byte {
	var b []byte
	for n > 0 {
		n--
		b = append([]byte{byte('A' + n%26)}, b...)
		n /= 26
	}
	return b
}

// appendEscaped appends s as XML text (or an attribute value, which also escapes quotes).
// What XML 1.0 cannot hold is written as Excel writes it, _xHHHH_: control characters
// other than tab, line feed and carriage return, and U+FFFE and U+FFFF. So that a text
// that happens to look like _x0041_ is shown as typed rather than as "A", its underscore
// is written _x005F_. Invalid UTF-8 becomes U+FFFD. A carriage return is written &#13;,
// which XML parsers would otherwise turn into a line feed.
func appendEscaped(dst []byte, s string, attr bool) []byte {
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		var esc string
		width := 1
		switch {
		case b == '&':
			esc = "&amp;"
		case b == '<':
			esc = "&lt;"
		case b == '>':
			esc = "&gt;"
		case b == '"' && attr:
			esc = "&quot;"
		case b == '\'' && attr:
			esc = "&apos;"
		case b == '\r':
			esc = "&#13;"
		case (b == '\n' || b == '\t') && attr:
			esc = "&#" + strconv.Itoa(int(b)) + ";"
		case b < 0x20 && b != '\n' && b != '\t':
			esc = fmt.Sprintf("_x%04X_", b)
		case b == '_' && looksEscaped(s[i:]):
			esc = "_x005F_"
		case b >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[i:])
			width = n
			switch {
			case r == utf8.RuneError && n == 1:
				esc = "\uFFFD"
			case r == 0xFFFE || r == 0xFFFF:
				esc = fmt.Sprintf("_x%04X_", r)
			}
		}
		if esc == "" {
			i += width
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, esc...)
		i += width
		start = i
	}
	return append(dst, s[start:]...)
}

// looksEscaped reports whether s starts with _xHHHH_, which Excel would read as an escape.
func looksEscaped(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
