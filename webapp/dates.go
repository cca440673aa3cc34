package webapp

import (
	"fmt"
	"time"
)

// lastDay is the last day a round is open, in Vietnam time: a round "until the end of 31/8"
// closes at midnight starting 1/9, so the instant just before the close decides.
func lastDay(closes time.Time, loc *time.Location) time.Time {
	return closes.Add(-time.Nanosecond).In(loc)
}

// Days shows the days from one instant to the day before another ends, as banners and
// previews say them: "17/8 – 31/8/2024", "20/12/2024 – 5/1/2025" (English: "17 Aug – 31 Aug
// 2024").
func (tr translator) Days(opens, closes time.Time) string {
	from, to := opens.In(tr.loc), lastDay(closes, tr.loc)
	if from.YearDay() == to.YearDay() && from.Year() == to.Year() {
		if tr.lang == langEN {
			return to.Format("2 Jan 2006")
		}
		return to.Format("2/1/2006")
	}
	if tr.lang == langEN {
		if from.Year() == to.Year() {
			return fmt.Sprintf("%s – %s", from.Format("2 Jan"), to.Format("2 Jan 2006"))
		}
		return fmt.Sprintf("%s – %s", from.Format("2 Jan 2006"), to.Format("2 Jan 2006"))
	}
	if from.Year() == to.Year() {
		return fmt.Sprintf("%s – %s", from.Format("2/1"), to.Format("2/1/2006"))
	}
	return fmt.Sprintf("%s – %s", from.Format("2/1/2006"), to.Format("2/1/2006"))
}
