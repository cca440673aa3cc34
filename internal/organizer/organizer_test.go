package organizer

import (
	"strings"
	"testing"
)

func TestRolesAndPermissions(t *testing.T) {
	for _, tc := range []struct {
		role Role
		can  []Permission
		not  []Permission
	}{
		{Viewer, []Permission{SeeStatistics, DownloadReports}, []Permission{EditBanks, EditUnits, DecideEligibility, ReviewIntegrity, Helpdesk, Publish, Rerank, ManageAccounts, ReadAudit}},
		{Editor, []Permission{SeeStatistics, DownloadReports, EditBanks, EditUnits, DecideEligibility, ReviewIntegrity, Helpdesk, Publish, Rerank}, []Permission{ManageAccounts, ReadAudit}},
		{Admin, Permissions(), nil},
		{Role("root"), nil, Permissions()},
		{Role(""), nil, Permissions()},
	} {
		for _, p := range tc.can {
			if !tc.role.Can(p) {
				t.Errorf("%q cannot %s", tc.role, p)
			}
		}
		for _, p := range tc.not {
			if tc.role.Can(p) {
				t.Errorf("%q can %s", tc.role, p)
			}
		}
	}
	if Viewer.Can("something-new") {
		t.Error("an unknown permission is granted")
	}
	for _, s := range []string{"viewer", "editor", "admin"} {
		if r, err := ParseRole(s); err != nil || string(r) != s {
			t.Errorf("ParseRole(%q) = %q, %v", s, r, err)
		}
	}
	for _, s := range []string{"", "Admin", "root", "admin "} {
		if _, err := ParseRole(s); err == nil {
			t.Errorf("ParseRole(%q) accepted", s)
		}
	}
}

func TestUsernamesAndPasswords(t *testing.T) {
	for _, ok := range []string{"btc", "nguyen.van.an", "so-tttt_01", strings.Repeat("a", 64)} {
		if err := CheckUsername(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "ab", "Admin", "an an", "-an", "an-", "nguyễn", strings.Repeat("a", 65), "a\x00b", "a/b"} {
		if CheckUsername(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if CheckPassword("ngắn") == nil || CheckPassword(strings.Repeat(" ", 20)) == nil || CheckPassword(strings.Repeat("x", 1025)) == nil {
		t.Error("a bad password was accepted")
	}
	if err := CheckPassword("mật khẩu đủ dài rồi"); err != nil {
		t.Error(err)
	}
	seen := map[string]bool{}
	for range 100 {
		p := OneTimePassword()
		if len(p) != 19 || strings.ContainsAny(p, "0O1lI") || CheckPassword(p) != nil || seen[p] {
			t.Fatalf("one-time password %q", p)
		}
		seen[p] = true
	}
}
