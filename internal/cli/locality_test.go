package cli

import (
	"context"
	"strings"
	"testing"
)

const sampleContest = "cds-binhthuan-2024"

func TestLocalityUsageErrors(t *testing.T) {
	t.Setenv(databaseURLEnv, "")
	const db = "--database-url=postgres://unused"
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"no subcommand", []string{"locality"}, ExitUsage, "contest locality <subcommand>"},
		{"unknown subcommand", []string{"locality", "export"}, ExitUsage, `unknown subcommand "export"`},
		{"no contest", []string{"locality", "import", "--sample", db}, ExitUsage, "--contest is required"},
		{"bad contest", []string{"locality", "import", "--contest", "Bình Thuận", "--sample", db}, ExitUsage, `contest ID "Bình Thuận" is not valid`},
		{"no file", []string{"locality", "import", "--contest", sampleContest, db}, ExitUsage, "give the CSV FILE"},
		{"file and sample", []string{"locality", "import", "a.csv", "--contest", sampleContest, "--sample", db}, ExitUsage, "not both"},
		{"list without contest", []string{"locality", "list", db}, ExitUsage, "--contest is required"},
		{"no database", []string{"locality", "list", "--contest", sampleContest}, ExitUsage, "no database given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("code %d (want %d), stderr %q (want %q)", code, tt.wantCode, stderr, tt.wantStderr)
			}
		})
	}
}

func TestLocalityImportSampleThenList(t *testing.T) {
	dsn, pool := migratedDatabase(t)
	t.Setenv(databaseURLEnv, dsn)
	code, stdout, stderr := runCLI(t, "locality", "import", "--contest", sampleContest, "--sample")
	if code != ExitOK || !strings.Contains(stdout, "locality list replaced: 10 districts, 124 communes") {
		t.Fatalf("import: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, "locality", "list", "--contest", sampleContest)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != ExitOK || len(lines) != 135 || !strings.HasPrefix(lines[0], "593") ||
		!strings.Contains(lines[0], "Thành phố Phan Thiết") || !strings.Contains(lines[1], "22915") ||
		lines[134] != "10 districts, 124 communes" {
		t.Fatalf("list: code %d, stdout %q", code, stdout)
	}
	code, stdout, _ = runCLI(t, "locality", "list", "--contest", "other")
	if code != ExitOK || !strings.Contains(stdout, "contest other has no localities") {
		t.Fatalf("empty list: code %d, stdout %q", code, stdout)
	}

	// A contestant registered in Phường Mũi Né keeps it in any later list.
	if _, err := pool.Exec(context.Background(), `INSERT INTO contestant (contest_id, national_id, phone, full_name,
		birth_date, gender, participant_group, locality_code, password_hash)
		VALUES ($1, '048090000001', '0900000001', 'Nguyễn Văn A', '1990-01-02', 'female', 'student', '22915', 'x')`,
		sampleContest); err != nil {
		t.Fatal(err)
	}
	smaller := writeTemp(t, "xa.csv", "ma_huyen,ten_huyen,ma_xa,ten_xa\n593,Thành phố Phan Thiết,22918,Phường Hàm Tiến\n")
	code, _, stderr = runCLI(t, "locality", "import", "--contest", sampleContest, smaller)
	if code != ExitError || !strings.Contains(stderr, "localities the new list removes: 22915") {
		t.Fatalf("import dropping a used code: code %d, stderr %q", code, stderr)
	}
	if n := countRows(t, pool, "locality"); n != 134 {
		t.Fatalf("locality has %d rows after a refused import", n)
	}
}

func TestLocalityImportPrintsEveryRowProblemAndWritesNothing(t *testing.T) {
	dsn, pool := migratedDatabase(t)
	path := writeTemp(t, "xa.csv", "ma_huyen,ten_huyen,ma_xa,ten_xa\n"+
		"593,Thành phố Phan Thiết,22915,Phường Mũi Né\n"+
		"593,,22918,Phường Hàm Tiến\n"+
		"594,Thị xã La Gi,22915,Phường Phước Hội\n")
	code, stdout, stderr := runCLI(t, "locality", "import", path, "--contest", sampleContest, "--database-url", dsn)
	if code != ExitError || stdout != "" {
		t.Fatalf("code %d, stdout %q", code, stdout)
	}
	for _, want := range []string{
		path + ": dòng 3, cột ten_huyen: tên huyện trống",
		path + ": dòng 4, cột ma_xa: mã xã trùng với dòng 2",
		"2 problems in " + path,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if n := countRows(t, pool, "locality"); n != 0 {
		t.Fatalf("locality has %d rows after a failed import", n)
	}
}
