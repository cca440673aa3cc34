package locale

import (
	"testing"
	"time"
)

func TestTimeUsed(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		d        time.Duration
		lang     string
		decimals int
		want     string
	}{
		{3 * time.Second, Vietnamese, 0, "0 phút 03 giây"},
		{3*time.Second + 999*ms, Vietnamese, 0, "0 phút 03 giây"}, // never rounded up
		{12*time.Minute + 5*time.Second, Vietnamese, 0, "12 phút 05 giây"},
		{30 * time.Minute, Vietnamese, 0, "30 phút 00 giây"},
		{4*time.Minute + 59*time.Second + 900*ms, Vietnamese, 0, "4 phút 59 giây"},
		{time.Hour + 2*time.Minute + 5*time.Second, Vietnamese, 0, "1 giờ 02 phút 05 giây"},
		{3 * time.Hour, Vietnamese, 0, "3 giờ 00 phút 00 giây"},
		{0, Vietnamese, 0, "0 phút 00 giây"},
		{400 * ms, Vietnamese, 0, "0 phút 00 giây"},
		{-time.Second, Vietnamese, 0, "0 phút 00 giây"},
		{4*time.Minute + 2*time.Second + 100*ms, Vietnamese, 3, "4 phút 02,100 giây"},
		{4*time.Minute + 2*time.Second + 350*ms + 999*time.Microsecond, Vietnamese, 3, "4 phút 02,350 giây"},
		{9*time.Minute + 1500*ms, Vietnamese, 1, "9 phút 01,5 giây"},
		{3 * time.Second, Vietnamese, 9, "0 phút 03,000 giây"}, // at most milliseconds
		{3 * time.Second, English, 0, "0 min 03 s"},
		{time.Hour + 2*time.Minute + 5*time.Second + 7*ms, English, 3, "1 h 02 min 05.007 s"},
		{12*time.Minute + 5*time.Second, English, 0, "12 min 05 s"},
	}
	for _, tt := range tests {
		if got := TimeUsed(tt.lang, tt.d, tt.decimals); got != tt.want {
			t.Errorf("TimeUsed(%s, %v, %d) = %q, want %q", tt.lang, tt.d, tt.decimals, got, tt.want)
		}
	}
}
