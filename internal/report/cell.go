package report

import (
	"strconv"
	"time"
)

type cellKind uint8

const (
	kindText cellKind = iota
	kindInt
	kindDecimal
	kindDate
)

// Cell is one value of a table. Numbers stay numbers in XLSX, so organizers can sum and
// sort them; CSV shows every cell as String does.
type Cell struct {
	kind     cellKind
	text     string
	num      float64
	decimals int
	date     time.Time
	// Warning asks writers that can to make the cell stand out.
	Warning bool
}

// Text is a text cell; writers neutralize it.
func Text(s string) Cell { return Cell{kind: kindText, text: s} }

// Warning is a text cell that must not be overlooked.
func Warning(s string) Cell { return Cell{kind: kindText, text: s, Warning: true} }

// Int is a whole-number cell.
func Int(n int64) Cell { return Cell{kind: kindInt, num: float64(n), text: strconv.FormatInt(n, 10)} }

// Decimal is a number shown with a fixed number of decimals.
func Decimal(v float64, decimals int) Cell {
	return Cell{kind: kindDecimal, num: v, decimals: decimals, text: strconv.FormatFloat(v, 'f', decimals, 64)}
}

// Date is a calendar date (the year, month and day of d as given). CSV writes it as
// 2006-01-02, which no spreadsheet reads month-first by mistake.
func Date(d time.Time) Cell { return Cell{kind: kindDate, date: d, text: d.Format(time.DateOnly)} }

// String is the cell as CSV shows it, not yet neutralized.
func (c Cell) String() string { return c.text }
