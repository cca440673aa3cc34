package password

import (
	"strings"
	"testing"
)

func TestHashAndCheck(t *testing.T) {
	h := Hash("mật-khẩu-đúng")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not in the expected PHC form", h)
	}
	if h == Hash("mật-khẩu-đúng") {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		password string
		want     bool
	}{
		{"mật-khẩu-đúng", true},
		{"mật-khẩu-sai", false},
		{"", false},
		{"mat-khau-dung", false}, // without diacritics is another password
	} {
		got, err := Check(h, tc.password)
		if err != nil || got != tc.want {
			t.Errorf("Check(%q) = %v, %v; want %v", tc.password, got, err, tc.want)
		}
	}
}

func TestMalformedHashes(t *testing.T) {
	good := Hash("x")
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":            "",
		"plain text":       "plain-password",
		"bcrypt":           "$2a$10$abcdefghijklmnopqrstuu5n9d7r8QHkqDZcKqQ1r2nH9n0QmQ0i",
		"argon2i":          strings.Replace(good, "argon2id", "argon2i", 1),
		"bad params":       strings.Join([]string{"", parts[1], parts[2], "m=x,t=2,p=1", parts[4], parts[5]}, "$"),
		"memory too large": strings.Join([]string{"", parts[1], parts[2], "m=4194304,t=2,p=1", parts[4], parts[5]}, "$"),
		"zero passes":      strings.Join([]string{"", parts[1], parts[2], "m=19456,t=0,p=1", parts[4], parts[5]}, "$"),
		"bad salt":         strings.Join([]string{"", parts[1], parts[2], parts[3], "!!", parts[5]}, "$"),
		"empty key":        strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], ""}, "$"),
	} {
		if _, err := Check(h, "x"); err != ErrMalformed {
			t.Errorf("%s: Check err = %v, want ErrMalformed", name, err)
		}
	}
}
