package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/ranking"
)

// seconds is d in seconds with 0–6 decimals. The text is rounded in whole microseconds
// (half up), not through a float, so 660.0005 shows as 660.001 as people round.
func seconds(d time.Duration, decimals int) Cell {
	c := Decimal(d.Seconds(), decimals)
	us := d.Microseconds()
	if decimals < 0 || decimals > 6 || us < 0 {
		return c
	}
	unit := int64(1)
	for range 6 - decimals {
		unit *= 10
	}
	n := (us + unit/2) / unit
	div := 1_000_000 / unit
	c.num = float64(n) / float64(div) // so that XLSX shows what CSV shows
	c.text = strconv.FormatInt(n/div, 10)
	if decimals > 0 {
		c.text += fmt.Sprintf(".%0*d", decimals, n%div)
	}
	return c
}

// clock is d as h:mm:ss, whole seconds truncated (the seconds column has the rest).
func clock(d time.Duration) string {
	s := int64(d / time.Second)
	return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
}

// timestamp is t in loc to the microsecond, as the database stores and ranking compares
// it. It is text, not a spreadsheet date: those hold no time zone and round below a
// millisecond. Year first, so text order is time order.
func timestamp(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04:05.000000")
}

// timestampMillis is timestamp for reading, to the millisecond.
func timestampMillis(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04:05.000")
}

func yesNo(b bool) string {
	if b {
		return "Có"
	}
	return "Không"
}

// groupLabel is the plan's Vietnamese name of a stored participant group.
func groupLabel(stored string) string {
	if l := person.ParticipantGroup(stored).Label(); l != "" {
		return l
	}
	return stored
}

// organizationLabel names the people who gave no organization.
func organizationLabel(org string) string {
	if strings.TrimSpace(org) == "" {
		return "(Không ghi đơn vị)"
	}
	return org
}

// otherLabel is the line of people who chose no unit and typed text (or none).
func otherLabel(org string) string {
	if strings.TrimSpace(org) == "" {
		return "Khác — (không ghi đơn vị)"
	}
	return "Khác — " + org
}

// reasonLabel translates the ranking's ineligibility reasons (internal/ranking) into
// Vietnamese; a reason it does not know is shown as stored.
func reasonLabel(reason string) string {
	if reason == "" {
		return ""
	}
	parts := strings.Split(reason, "; ")
	for i, p := range parts {
		switch {
		case p == ranking.ReasonFlagged:
			parts[i] = "Ban Tổ chức đánh dấu không xét giải"
		case strings.HasPrefix(p, ranking.ReasonFlagged+": "):
			parts[i] = "Ban Tổ chức đánh dấu không xét giải: " + strings.TrimPrefix(p, ranking.ReasonFlagged+": ")
		case strings.HasPrefix(p, "organization ") && strings.HasSuffix(p, " is excluded"):
			org, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(p, "organization "), " is excluded"))
			if err == nil {
				parts[i] = fmt.Sprintf("Đơn vị “%s” không thuộc đối tượng xét giải", org)
			}
		case strings.HasPrefix(p, "unit ") && strings.Contains(p, " is under excluded unit "):
			code, above, _ := strings.Cut(strings.TrimPrefix(p, "unit "), " is under excluded unit ")
			c, err1 := strconv.Unquote(code)
			a, err2 := strconv.Unquote(above)
			if err1 == nil && err2 == nil {
				parts[i] = fmt.Sprintf("Đơn vị mã %s trực thuộc đơn vị mã %s, không thuộc đối tượng xét giải", c, a)
			}
		case strings.HasPrefix(p, "unit ") && strings.HasSuffix(p, " is excluded"):
			code, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(p, "unit "), " is excluded"))
			if err == nil {
				parts[i] = fmt.Sprintf("Đơn vị mã %s không thuộc đối tượng xét giải", code)
			}
		}
	}
	return strings.Join(parts, "; ")
}

// tieBreakLabel explains a tie-break key in the committee's words.
func tieBreakLabel(k string) string {
	switch ranking.Key(k) {
	case ranking.KeyCorrect:
		return "số câu trả lời đúng (nhiều hơn xếp trên)"
	case ranking.KeyPredictionDistance:
		return "chênh lệch giữa dự đoán và số người trả lời đúng tất cả (ít hơn xếp trên)"
	case ranking.KeyTimeUsed:
		return "thời gian làm bài (ít hơn xếp trên)"
	case ranking.KeySubmittedAt:
		return "thời điểm nộp bài (sớm hơn xếp trên)"
	}
	return k
}

// placesLabel lists the prize places a boundary tie reaches: "1 suất Giải Nhì, 1 suất Giải Ba".
func placesLabel(places []ranking.Place) string {
	parts := make([]string, len(places))
	for i, p := range places {
		parts[i] = fmt.Sprintf("%d suất %s", p.Count, p.Prize)
	}
	return strings.Join(parts, ", ")
}
