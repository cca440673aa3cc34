package report

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestXLSXOpensInLibreOffice has LibreOffice Calc read the workbook and save each sheet as
// CSV the way it shows the cells. Skipped where soffice is not installed (Debian:
// libreoffice-calc-nogui).
func TestXLSXOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not installed")
	}
	dir := t.TempDir()
	tables := []*Table{
		{Name: "Thử & <xem>", Columns: []Column{{"Tên", 10}, {"Số", 5}, {"Giây", 8}, {"Ngày", 10}}, rows: [][]Cell{
			{Text(`=HYPERLINK("http://x")`), Int(3), Decimal(1.5, 3), Date(time.Date(2024, 8, 17, 0, 0, 0, 0, time.UTC))},
			{Text(`Nguyễn Văn An, "Phòng 1" & <Tổ 2>`), Int(-1234567890123), Decimal(0.1234567, 6), Warning("@cảnh báo")},
			{Text("_x0041_ a\x01b"), Text(""), Decimal(2, 1), Text("  cách  ")},
		}},
		{Name: "Trống", Columns: []Column{{"Cột", 5}}},
	}
	path := filepath.Join(dir, "r.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteTablesXLSX(context.Background(), f, tables...); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	// Separator, quote, UTF-8, …, save cells as shown, every sheet to its own file.
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1", "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	for sheet, want := range map[string][][]string{
		"Thử & <xem>": {
			{"Tên", "Số", "Giây", "Ngày"},
			{`'=HYPERLINK("http://x")`, "3", "1.500", "17/08/2024"},
			{`Nguyễn Văn An, "Phòng 1" & <Tổ 2>`, "-1234567890123", "0.123457", "'@cảnh báo"},
			{"_x0041_ a\x01b", "", "2.0", "  cách  "},
		},
		"Trống": {{"Cột"}},
	} {
		data, err := os.ReadFile(filepath.Join(dir, "r-"+sheet+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v\n%s", sheet, err, data)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows, want %d: %q", sheet, len(got), len(want), got)
		}
		for i := range want {
			if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
				t.Errorf("%s row %d: %q, want %q", sheet, i+1, got[i], want[i])
			}
		}
	}
}
