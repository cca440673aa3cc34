package webapp

import (
	"fmt"
	"time"

	"github.com/dxcontest/contest-platform/internal/locale"
)

// Languages: Vietnamese first, English second. The texts are internal/locale's catalogs.
const (
	langVI = locale.Vietnamese
	langEN = locale.English
)

// translator renders texts in one language: templates call .T "key", .Time, .Number and
// .Duration on the view, which embeds it.
type translator struct {
	lang string
	loc  *time.Location
}

// T translates a key, formatting args into it; a key no catalog has reads as itself
// (visible in review, never a blank).
func (tr translator) T(code string, args ...any) string {
	return locale.T(tr.lang, code, args...)
}

// Time shows an instant in Vietnam time, in the reader's language.
func (tr translator) Time(t time.Time) string {
	t = t.In(tr.loc)
	if tr.lang == langEN {
		return t.Format("15:04, 2 Jan 2006")
	}
	return t.Format("15:04 ngày 02/01/2006")
}

// TimeUsed shows the time an attempt took to the second, as the ranking compares it
// (locale.TimeUsed): "12 phút 05 giây".
func (tr translator) TimeUsed(d time.Duration) string { return locale.TimeUsed(tr.lang, d, 0) }

// TimeUsedMillis shows it to the millisecond, for organizers explaining a tie-break:
// "4 phút 02,100 giây".
func (tr translator) TimeUsedMillis(d time.Duration) string { return locale.TimeUsed(tr.lang, d, 3) }

// Duration shows a time limit ("30 phút"); times used are shown by TimeUsed.
func (tr translator) Duration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return tr.T("duration.hm", h, m)
	case s == 0:
		return tr.T("duration.m", m)
	default:
		return tr.T("duration.ms", m, s)
	}
}

// Number writes a count with the reader's thousands separator.
func (tr translator) Number(n int64) string {
	sep := "."
	if tr.lang == langEN {
		sep = ","
	}
	s := fmt.Sprint(n)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return neg + s
}
