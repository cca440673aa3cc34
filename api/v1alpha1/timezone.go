package v1alpha1

import (
	"sync"
	"time"
)

// TimeZoneName is where the contest takes place: every time shown to people (status
// messages, events, pages, reports) is shown in it, and days are counted in it. It is an
// IANA name PostgreSQL knows too, since the database counts participation by day.
const TimeZoneName = "Asia/Ho_Chi_Minh"

// TimeZone is the contest's time zone, loaded once. The binary embeds the time zone
// database (main.go imports time/tzdata), so the load only fails in a test binary on a
// machine without one; then it is a fixed +07:00 zone under the same name, which gives the
// same times: Vietnam has kept +07:00, without daylight saving time, since 1975.
func TimeZone() *time.Location { return timeZone() }

var timeZone = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation(TimeZoneName); err == nil {
		return loc
	}
	return time.FixedZone(TimeZoneName, 7*60*60)
})
