package locale

import (
	"fmt"
	"time"
)

// TimeUsed writes the time an attempt took as the ranking compares it: every unit down to
// seconds, never rounded up (4 min 59.9 s is not 5 minutes), with millis decimals of a
// second (0–3), e.g. "12 phút 05 giây", "0 phút 03 giây" or, with 3, "4 phút 02,100 giây".
// Minutes are always shown, so a three-second attempt does not read as a slip.
// A negative duration (a clock that went back) shows as zero.
func TimeUsed(lang string, d time.Duration, decimals int) string {
	d = max(d, 0)
	decimals = min(max(decimals, 0), 3)
	unit := time.Second
	for range decimals {
		unit /= 10
	}
	d = d.Truncate(unit)
	h, m := int(d/time.Hour), int(d/time.Minute)%60
	whole := int(d/time.Second) % 60
	sec := fmt.Sprintf("%02d", whole)
	if decimals > 0 {
		sep := ","
		if lang == English {
			sep = "."
		}
		sec += sep + fmt.Sprintf("%0*d", decimals, int((d%time.Second)/unit))
	}
	if h > 0 {
		return T(lang, "duration.used.hms", h, m, sec)
	}
	return T(lang, "duration.used.ms", m, sec)
}
