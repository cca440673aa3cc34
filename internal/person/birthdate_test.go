package person

import (
	"testing"
	"time"
)

func TestParseBirthDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		code string
	}{
		{"05/09/1990", date(1990, 9, 5), ""},
		{"5/9/1990", date(1990, 9, 5), ""},
		{" 05/09/1990 ", date(1990, 9, 5), ""},
		{"05.09.1990", date(1990, 9, 5), ""},
		{"05-09-1990", date(1990, 9, 5), ""},
		{"1990-09-05", date(1990, 9, 5), ""},
		{"29/02/2000", date(2000, 2, 29), ""},
		{"31/12/2018", date(2018, 12, 31), ""},
		{"", time.Time{}, CodeBirthDateRequired},
		{"05091990", time.Time{}, CodeBirthDateFormat},
		{"05/09/90", time.Time{}, CodeBirthDateFormat},
		{"1990/09/05", time.Time{}, CodeBirthDateFormat},
		{"05/09-1990", time.Time{}, CodeBirthDateFormat},
		{"05 09 1990", time.Time{}, CodeBirthDateFormat},
		{"/05/09/1990", time.Time{}, CodeBirthDateFormat},
		{"005/09/1990", time.Time{}, CodeBirthDateFormat},
		{"a5/09/1990", time.Time{}, CodeBirthDateFormat},
		{"09/05/1990 10:00", time.Time{}, CodeBirthDateFormat},
		{"31/02/2000", time.Time{}, CodeBirthDateInvalid},
		{"29/02/2001", time.Time{}, CodeBirthDateInvalid},
		{"00/01/2000", time.Time{}, CodeBirthDateInvalid},
		{"12/13/2000", time.Time{}, CodeBirthDateInvalid},
		{"2000-02-30", time.Time{}, CodeBirthDateInvalid},
	}
	for _, tt := range tests {
		got, fe := ParseBirthDate(tt.in)
		if tt.code == "" {
			if fe != nil || !got.Equal(tt.want) {
				t.Errorf("ParseBirthDate(%q) = %v, %v; want %v", tt.in, got, fe, tt.want)
			}
			continue
		}
		if fe == nil || fe.Code != tt.code || fe.Field != FieldBirthDate {
			t.Errorf("ParseBirthDate(%q) = %v, %v; want %s", tt.in, got, fe, tt.code)
		}
	}
}

func TestCheckBirthDate(t *testing.T) {
	// 1 Aug 2024, 08:00 in Vietnam.
	now := time.Date(2024, 8, 1, 1, 0, 0, 0, time.UTC)
	// 17 Aug 2024 00:30 in Vietnam is still 16 Aug in UTC.
	lateNight := time.Date(2024, 8, 16, 17, 30, 0, 0, time.UTC)
	tests := []struct {
		name  string
		birth time.Time
		now   time.Time
		code  string
	}{
		{"zero", time.Time{}, now, CodeBirthDateRequired},
		{"born today: future no, too young", date(2024, 8, 1), now, CodeBirthDateTooYoung},
		{"tomorrow is the future", date(2024, 8, 2), now, CodeBirthDateFuture},
		{"6th birthday today", date(2018, 8, 1), now, ""},
		{"6th birthday tomorrow", date(2018, 8, 2), now, CodeBirthDateTooYoung},
		{"6th birthday is today in Vietnam, not yet in UTC", date(2018, 8, 17), lateNight, ""},
		{"born 'tomorrow' in UTC is today in Vietnam", date(2024, 8, 17), lateNight, CodeBirthDateTooYoung},
		{"120 until the day before the 121st birthday", date(1903, 8, 2), now, ""},
		{"121st birthday today", date(1903, 8, 1), now, CodeBirthDateTooOld},
		{"typical adult", date(1990, 9, 5), now, ""},
		{"birth date in another location uses its calendar date", time.Date(2018, 8, 1, 23, 0, 0, 0, time.FixedZone("X", -10*3600)), now, ""},
	}
	for _, tt := range tests {
		fe := CheckBirthDate(tt.birth, tt.now)
		if tt.code == "" && fe != nil || tt.code != "" && (fe == nil || fe.Code != tt.code) {
			t.Errorf("%s: CheckBirthDate = %v, want %q", tt.name, fe, tt.code)
		}
	}
}

func TestAgeLeapDay(t *testing.T) {
	born := date(2000, 2, 29)
	for _, tt := range []struct {
		now  time.Time
		want int
	}{
		{time.Date(2023, 2, 28, 12, 0, 0, 0, time.UTC), 22},
		{time.Date(2023, 3, 1, 12, 0, 0, 0, time.UTC), 23},
		{time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC), 24},
		{time.Date(2024, 2, 28, 16, 59, 0, 0, time.UTC), 23}, // 23:59 on 28 Feb in Vietnam
		{time.Date(2024, 2, 28, 17, 0, 0, 0, time.UTC), 24},  // 00:00 on 29 Feb in Vietnam
	} {
		if got := Age(born, tt.now); got != tt.want {
			t.Errorf("Age at %v = %d, want %d", tt.now, got, tt.want)
		}
	}
}
