package fonts

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// The embedded files are the ones README.md names.
func TestFontsAreTheDocumentedFiles(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"BeVietnamPro-Bold.ttf": Bold(), "BeVietnamPro-SemiBold.ttf": SemiBold()} {
		sum := sha256.Sum256(b)
		if line := hex.EncodeToString(sum[:]) + "  " + name; !strings.Contains(string(readme), line) {
			t.Errorf("README.md lacks %q: the embedded %s is not the documented file", line, name)
		}
	}
}
