package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestUnitUsageErrors(t *testing.T) {
	t.Setenv(databaseURLEnv, "")
	const db = "--database-url=postgres://unused"
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"no subcommand", []string{"unit"}, ExitUsage, "contest unit <subcommand>"},
		{"no contest", []string{"unit", "import", "--sample", db}, ExitUsage, "--contest is required"},
		{"bad contest", []string{"unit", "import", "--contest", "Bình Thuận", "--sample", db}, ExitUsage, `contest ID "Bình Thuận" is not valid`},
		{"no file", []string{"unit", "import", "--contest", sampleContest, db}, ExitUsage, "give the CSV or XLSX FILE"},
		{"two files", []string{"unit", "import", "a.csv", "b.csv", "--contest", sampleContest, db}, ExitUsage, "one FILE at a time"},
		{"file and sample", []string{"unit", "import", "a.csv", "--contest", sampleContest, "--sample", db}, ExitUsage, "not both"},
		{"list without contest", []string{"unit", "list", db}, ExitUsage, "--contest is required"},
		{"no database", []string{"unit", "list", "--contest", sampleContest}, ExitUsage, "no database given"},
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

func TestUnitImportSampleThenList(t *testing.T) {
	dsn, pool := migratedDatabase(t)
	t.Setenv(databaseURLEnv, dsn)
	code, stdout, stderr := runCLI(t, "unit", "import", "--contest", sampleContest, "--sample")
	if code != ExitOK || !strings.Contains(stdout, "unit list replaced: 166 units") {
		t.Fatalf("import: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, "unit", "list", "--contest", sampleContest)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != ExitOK || len(lines) != 168 || !strings.HasPrefix(lines[0], "CODE") ||
		!strings.Contains(stdout, "Sở TTTT; Sở TT&TT") || lines[167] != "166 units" {
		t.Fatalf("list: code %d, stdout %q", code, stdout)
	}
	code, stdout, _ = runCLI(t, "unit", "list", "--contest", "other")
	if code != ExitOK || !strings.Contains(stdout, "contest other has no units") {
		t.Fatalf("empty list: code %d, stdout %q", code, stdout)
	}

	// A contestant of the Department keeps it in any later list.
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO locality (contest_id, code, name) VALUES ($1, '593', 'Thành phố Phan Thiết')`, sampleContest); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO contestant (contest_id, national_id, phone, full_name,
		birth_date, gender, participant_group, locality_code, password_hash, unit_code)
		VALUES ($1, '048090000001', '0900000001', 'Nguyễn Văn A', '1990-01-02', 'female', 'official', '593', 'x', 'STTTT')`,
		sampleContest); err != nil {
		t.Fatal(err)
	}
	smaller := writeTemp(t, "don-vi.csv", "ma_don_vi,ten_don_vi\nSYT,Sở Y tế\n")
	code, _, stderr = runCLI(t, "unit", "import", "--contest", sampleContest, smaller)
	if code != ExitError || !strings.Contains(stderr, "units the new list removes: STTTT") {
		t.Fatalf("import dropping a used code: code %d, stderr %q", code, stderr)
	}
	if n := countRows(t, pool, "unit"); n != 166 {
		t.Fatalf("unit has %d rows after a refused import", n)
	}
}

func TestUnitImportPrintsEveryRowProblemAndWritesNothing(t *testing.T) {
	dsn, pool := migratedDatabase(t)
	path := writeTemp(t, "don-vi.csv", "ma_don_vi,ten_don_vi,ma_cap_tren,loai,so_nguoi\n"+
		"STTTT,Sở Thông tin và Truyền thông,,agency,85\n"+
		"VP,,STTTT,,\n"+
		"STTTT,Sở khác,,bộ,-1\n"+
		"P,Phòng,NOPE,,\n")
	code, stdout, stderr := runCLI(t, "unit", "import", path, "--contest", sampleContest, "--database-url", dsn)
	if code != ExitError || stdout != "" {
		t.Fatalf("code %d, stdout %q", code, stdout)
	}
	for _, want := range []string{
		path + ": dòng 3, cột ten_don_vi: tên đơn vị trống",
		path + `: dòng 4, cột loai: loại đơn vị không hợp lệ: "bộ"`,
		path + `: dòng 4, cột so_nguoi: số người không hợp lệ: "-1"`,
		path + ": dòng 4, cột ma_don_vi: mã đơn vị trùng với dòng 2",
		path + ": dòng 5, cột ma_cap_tren: mã đơn vị cấp trên không có trong danh sách",
		"5 problems in " + path + "; nothing was imported",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if n := countRows(t, pool, "unit"); n != 0 {
		t.Fatalf("unit has %d rows after a failed import", n)
	}
}

func TestUnitImportXLSX(t *testing.T) {
	dsn, pool := migratedDatabase(t)
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range [][]any{
		{"Mã đơn vị", "Tên đơn vị", "Mã cấp trên", "Loại", "Số người", "Tên khác"},
		{"STTTT", "Sở Thông tin và Truyền thông", nil, "Cơ quan nhà nước", 85, "Sở TTTT; Sở TT&TT"},
		{"STTTT-VP", "Văn phòng Sở", "STTTT", "agency", nil, nil},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "Don vi.XLSX")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "unit", "import", path, "--contest", sampleContest, "--database-url", dsn)
	if code != ExitOK || !strings.Contains(stdout, "2 units, 1 top-level") {
		t.Fatalf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if n := countRows(t, pool, "unit"); n != 2 {
		t.Fatalf("unit has %d rows", n)
	}
	xls := writeTemp(t, "don-vi.xls", "old")
	code, _, stderr = runCLI(t, "unit", "import", xls, "--contest", sampleContest, "--database-url", dsn)
	if code != ExitError || !strings.Contains(stderr, ".xls) không được hỗ trợ") {
		t.Fatalf(".xls: code %d, stderr %q", code, stderr)
	}
}
