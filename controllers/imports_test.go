package controllers

import (
	"os/exec"
	"strings"
	"testing"
)

// The operator talks to the ranking Job through internal/rankcontract only: it must not link
// the Job's implementation, nor the database code behind it.
func TestOperatorDoesNotLinkTheRankingJob(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const module = "github.com/dxcontest/contest-platform/"
	forbidden := []string{module + "internal/rankjob", module + "internal/store", "github.com/jackc/pgx"}
	for _, pkg := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if pkg == f || strings.HasPrefix(pkg, f+"/") {
				t.Errorf("controllers depends on %s", pkg)
			}
		}
	}
}
