package person

import "testing"

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want, code string
	}{
		{"0912345678", "0912345678", ""},
		{"+84 912 345 678", "0912345678", ""},
		{"+84912345678", "0912345678", ""},
		{"84912345678", "0912345678", ""},
		{"0084 912 345 678", "0912345678", ""},
		{"+84 (0) 912 345 678", "0912345678", ""},
		{"840912345678", "0912345678", ""},
		{"0912.345.678", "0912345678", ""},
		{"0912-345-678", "0912345678", ""},
		{"(091) 2345678", "0912345678", ""},
		{"  0912 345 678  ", "0912345678", ""},
		{"0912\u00a0345\u00a0678", "0912345678", ""},
		{"912345678", "0912345678", ""},
		{"0352 123 456", "0352123456", ""},
		{"0562123456", "0562123456", ""},
		{"0701234567", "0701234567", ""},
		{"0812345678", "0812345678", ""},
		{"0987654321", "0987654321", ""},

		{"", "", CodePhoneRequired},
		{"   ", "", CodePhoneRequired},
		{"091234567a", "", CodePhoneCharacters},
		{"0912/345/678", "", CodePhoneCharacters},
		{"+", "", CodePhoneCharacters},
		{"０９１２３４５６７８", "", CodePhoneCharacters},
		{"091234567", "", CodePhoneLength},
		{"09123456789", "", CodePhoneLength},
		{"12345", "", CodePhoneLength},
		{"+84 91234567", "", CodePhoneLength},
		{"0252 3822 123", "", CodePhoneLandline},
		{"02523822123", "", CodePhoneLandline},
		{"+84 252 3822 123", "", CodePhoneLandline},
		{"024 3825 1234", "", CodePhoneLandline},
		{"0168 123 4567", "", CodePhoneOldPrefix},
		{"01681234567", "", CodePhoneOldPrefix},
		{"0412345678", "", CodePhonePrefix},
		{"0612345678", "", CodePhonePrefix},
		{"0012345678", "", CodePhonePrefix},
		{"0112345678", "", CodePhonePrefix},
		{"+1 415 555 0100", "", CodePhonePrefix},
		{"612345678", "", CodePhoneLength},
	}
	for _, tt := range tests {
		got, fe := NormalizePhone(tt.in)
		if tt.code == "" {
			if fe != nil || got != tt.want {
				t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, fe, tt.want)
			}
			continue
		}
		if fe == nil || fe.Code != tt.code || fe.Field != FieldPhone {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %s", tt.in, got, fe, tt.code)
		}
	}
}
