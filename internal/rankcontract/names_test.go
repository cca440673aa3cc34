package rankcontract

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/validation"
)

// The names fit what Kubernetes accepts for the longest round name, and the Job's name is
// fixed by the round, its close and the re-rank token alone.
func TestNames(t *testing.T) {
	closes := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	long := strings.Repeat("a", 253)
	for _, round := range []string{"dot-1", long} {
		job := JobName(round, closes, "")
		// The Job's name is also its Pods' job-name label value.
		if errs := validation.IsDNS1123Label(job); len(errs) > 0 {
			t.Errorf("JobName(%d chars) = %q: %v", len(round), job, errs)
		}
		for _, name := range []string{ConfigMapName(round), RoleName(round)} {
			if errs := validation.IsDNS1123Subdomain(name); len(errs) > 0 {
				t.Errorf("name %q for a round of %d chars: %v", name, len(round), errs)
			}
		}
	}
	if JobName("dot-1", closes, "") != JobName("dot-1", closes, "") {
		t.Error("JobName is not deterministic")
	}
	if JobName("dot-1", closes, "") == JobName("dot-1", closes.Add(time.Hour), "") || JobName("dot-1", closes, "") == JobName("dot-1", closes, "appeal-1") {
		t.Error("a new close or a re-rank token must give a new Job")
	}
}
