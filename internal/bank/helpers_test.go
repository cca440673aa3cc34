package bank

import (
	"errors"
	"os"
	"strings"
	"testing"
)

const testHeader = "ma_cau_hoi,chu_de,cau_hoi,phuong_an_a,phuong_an_b,phuong_an_c,phuong_an_d,dap_an,giai_thich\n"

func testOptions() ParseOptions {
	return ParseOptions{Name: "thu", Version: 1, Topics: PlanTopics()}
}

func parseString(t *testing.T, data string) (*Bank, error) {
	t.Helper()
	return ParseCSV(strings.NewReader(data), testOptions())
}

// rowErrors returns the problems of an *ImportError, failing the test for
// any other outcome.
func rowErrors(t *testing.T, err error) []RowError {
	t.Helper()
	if err == nil {
		t.Fatal("expected an import error, got a bank")
	}
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("expected *ImportError, got %T: %v", err, err)
	}
	return ie.Errors
}

func equalErrors(got, want []RowError) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func formatErrors(errs []RowError) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString("\n\t")
		b.WriteString(e.Sheet + "|")
		b.WriteString(e.Error())
	}
	return b.String()
}

func asImportError(err error, target **ImportError) bool { return errors.As(err, target) }

func writeFile(path, data string) error { return os.WriteFile(path, []byte(data), 0o600) }
