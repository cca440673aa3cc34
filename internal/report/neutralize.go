package report

import "strings"

// formulaTriggers are the first characters that make Excel, LibreOffice or Google Sheets
// read a cell as a formula (OWASP "CSV injection"), plus the whitespace they skip first.
const formulaTriggers = "=+-@\t\r\n"

// Neutralize makes s safe to put in a spreadsheet cell: text that a spreadsheet could take
// for a formula gets a leading apostrophe, so it is shown as typed and never evaluated.
// Leading spaces are looked through, because some spreadsheets trim them before parsing.
func Neutralize(s string) string {
	t := strings.TrimLeft(s, " ")
	if t != "" && strings.IndexByte(formulaTriggers, t[0]) >= 0 {
		return "'" + s
	}
	return s
}
