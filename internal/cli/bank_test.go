package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

func TestBankUsageErrors(t *testing.T) {
	t.Setenv(databaseURLEnv, "")
	const db = "--database-url=postgres://unused"
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"no subcommand", []string{"bank"}, ExitUsage, "", "contest bank <subcommand>"},
		{"unknown subcommand", []string{"bank", "frob"}, ExitUsage, "", `unknown subcommand "frob"`},
		{"help", []string{"bank", "--help"}, ExitOK, "export", ""},
		{"import help", []string{"bank", "import", "--help"}, ExitOK, "contest bank import --sample", ""},
		{"no file", []string{"bank", "import", "--name", "mau", "--version", "1", db}, ExitUsage, "", "give the FILE"},
		{"two files", []string{"bank", "import", "a.csv", "b.csv", "--name", "mau", "--version", "1", db}, ExitUsage, "", "one FILE at a time"},
		{"no version", []string{"bank", "import", "a.csv", "--name", "mau", db}, ExitUsage, "", "--name and --version are required"},
		{"bad name", []string{"bank", "import", "a.csv", "--name", "Mẫu", "--version", "1", db}, ExitUsage, "", `question bank name "Mẫu" is not valid`},
		{"bad topics", []string{"bank", "import", "a.csv", "--name", "mau", "--version", "1", "--topics", "mine", db}, ExitUsage, "", `unknown --topics "mine"`},
		{"sample and file", []string{"bank", "import", "--sample", "a.csv", db}, ExitUsage, "", "either --sample or FILE"},
		{"no database", []string{"bank", "import", "--sample"}, ExitUsage, "", "no database given"},
		{"list with argument", []string{"bank", "list", "now", db}, ExitUsage, "", `unexpected argument "now"`},
		{"export without out", []string{"bank", "export", "--name", "mau", "--version", "1", db}, ExitUsage, "", "--out are required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.wantCode || !strings.Contains(stdout, tt.wantStdout) || !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("code %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, tt.wantCode, stdout, tt.wantStdout, stderr, tt.wantStderr)
			}
		})
	}
}

func TestBankImportPrintsEveryRowProblemAndWritesNothing(t *testing.T) {
	dsn, pool := migratedDatabase(t)
	path := writeTemp(t, "ngan-hang.csv", "ma_cau_hoi,chu_de,cau_hoi,phuong_an_a,phuong_an_b,phuong_an_c,dap_an\n"+
		"c1,tong-quan,Câu hỏi đúng?,Có,Không,,A\n"+
		"c2,tong-quan,Câu hỏi hai?,Có,,,A\n"+ // row 3
		"c3,tinh,Câu hỏi ba?,Có,Không,Chưa,\n"+ // row 4
		"c4,khong-co,Câu hỏi bốn?,Có,Không,,B\n") // row 5
	code, stdout, stderr := runCLI(t, "bank", "import", path, "--name", "thu", "--version", "1", "--database-url", dsn)
	if code != ExitError || stdout != "" {
		t.Fatalf("code %d, stdout %q", code, stdout)
	}
	for _, want := range []string{
		path + ": dòng 3, cột phuong_an_b: phương án trống",
		path + ": dòng 4, cột dap_an: không có đáp án đúng",
		path + ": dòng 5, cột chu_de: chủ đề không tồn tại: khong-co",
		"3 problems in " + path + "; nothing was imported",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if n := countRows(t, pool, "question_bank"); n != 0 {
		t.Fatalf("question_bank has %d rows after a failed import", n)
	}
}

func TestBankImportSampleListExportReimport(t *testing.T) {
	dsn, pool := migratedDatabase(t)
	t.Setenv(databaseURLEnv, dsn)
	sample, err := bank.Sample()
	if err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runCLI(t, "bank", "import", "--sample")
	want := fmt.Sprintf("imported question bank mau version 1: %d questions in 5 topics", len(sample.Questions))
	if code != ExitOK || !strings.Contains(stdout, want) || !strings.Contains(stdout, "checksum "+sample.Checksum()) {
		t.Fatalf("import: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if !regexp.MustCompile(fmt.Sprintf(`(?m)^  tong-quan +%d +Những vấn đề chung`, sample.CountByTopic()["tong-quan"])).MatchString(stdout) {
		t.Errorf("import summary lacks the questions per topic: %q", stdout)
	}
	code, stdout, _ = runCLI(t, "bank", "import", "--sample")
	if code != ExitOK || !strings.Contains(stdout, "already stored with this content; nothing changed") {
		t.Fatalf("second import: code %d, stdout %q", code, stdout)
	}

	code, stdout, stderr = runCLI(t, "bank", "list")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != ExitOK || len(lines) != 2 || !strings.HasPrefix(lines[0], "NAME") ||
		!strings.HasPrefix(strings.Join(strings.Fields(lines[1]), " "), fmt.Sprintf("mau 1 %d 5 ", len(sample.Questions))) ||
		!strings.Contains(lines[1], "+07:00") || !strings.HasSuffix(lines[1], " "+sample.Checksum()[:12]) {
		t.Fatalf("list: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	out := filepath.Join(t.TempDir(), "mau-1.csv")
	code, stdout, stderr = runCLI(t, "bank", "export", "--name", "mau", "--version", "1", "--out", out)
	if code != ExitOK || !strings.Contains(stdout, "to "+out) {
		t.Fatalf("export: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	exported, err := os.ReadFile(out)
	if err != nil || !bytes.Equal(exported, bank.SampleCSV()) {
		t.Fatalf("the exported file differs from the sample file (err %v)", err)
	}

	// The export imports back as the same content; an edited copy needs a new version.
	code, stdout, _ = runCLI(t, "bank", "import", out, "--name", "mau", "--version", "1")
	if code != ExitOK || !strings.Contains(stdout, "nothing changed") {
		t.Fatalf("re-import: code %d, stdout %q", code, stdout)
	}
	edited := writeTemp(t, "edited.csv", strings.Replace(string(exported), "Ngày 09 tháng 12", "Ngày 19 tháng 12", 1))
	code, _, stderr = runCLI(t, "bank", "import", edited, "--name", "mau", "--version", "1")
	if code != ExitError || !strings.Contains(stderr, "question bank mau version 1 already exists with different content; import it as version 2") {
		t.Fatalf("edited import: code %d, stderr %q", code, stderr)
	}
	if n := countRows(t, pool, "question_bank"); n != 1 {
		t.Fatalf("question_bank has %d rows", n)
	}

	code, _, stderr = runCLI(t, "bank", "export", "--name", "mau", "--version", "9", "--out", out)
	if code != ExitError || !strings.Contains(stderr, "no question bank mau version 9 is stored") {
		t.Fatalf("export of a missing version: code %d, stderr %q", code, stderr)
	}
}

func TestBankListOnAnUnmigratedDatabaseSaysToMigrate(t *testing.T) {
	code, _, stderr := runCLI(t, "bank", "list", "--database-url", pgtest.Empty(t))
	if code != ExitError || !strings.Contains(stderr, "run 'contest migrate' first") {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
}

// The DSN is a secret: help must not print it as a default, and help is printed once.
func TestBankHelpDoesNotShowTheDatabaseURL(t *testing.T) {
	t.Setenv(databaseURLEnv, "postgres://app:s3cret@db/contest")
	code, stdout, stderr := runCLI(t, "bank", "import", "--help")
	if code != ExitOK || stderr != "" || strings.Contains(stdout, "s3cret") || strings.Count(stdout, "Usage:") != 1 {
		t.Fatalf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestDatabaseURLFlagWinsOverTheEnvironment(t *testing.T) {
	dsn, _ := migratedDatabase(t)
	t.Setenv(databaseURLEnv, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if code, stdout, stderr := runCLI(t, "bank", "list", "--database-url", dsn); code != ExitOK || !strings.Contains(stdout, "no question banks stored yet") {
		t.Fatalf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
