package v1alpha1

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestRoundKey(t *testing.T) {
	r := &ContestRound{ObjectMeta: metav1.ObjectMeta{Namespace: "cds-2024", Name: "dot-1"}}
	if got := r.RoundKey(); got != "cds-2024/dot-1" {
		t.Errorf("RoundKey = %q, want cds-2024/dot-1", got)
	}
	if got := RoundKeyOf("cds-2024", "dot-1"); got != r.RoundKey() {
		t.Errorf("RoundKeyOf = %q, want %q", got, r.RoundKey())
	}
}

func TestWindowTakesPrewarmFromWebOnly(t *testing.T) {
	opens := time.Date(2024, 8, 17, 0, 0, 0, 0, TimeZone())
	r := &ContestRound{Spec: ContestRoundSpec{OpensAt: metav1.NewTime(opens), ClosesAt: metav1.NewTime(opens.Add(time.Hour)), Suspend: true}}
	w := r.Window()
	if !w.OpensAt.Equal(opens) || !w.ClosesAt.Equal(opens.Add(time.Hour)) || !w.Suspended || w.Prewarm != 0 {
		t.Errorf("without spec.web: %+v", w)
	}
	r.Spec.Web = &WebScaling{Deployment: "contest-web"}
	if got := r.Window().Prewarm; got != DefaultPrewarm {
		t.Errorf("spec.web without prewarm: Prewarm %v, want the default %v", got, DefaultPrewarm)
	}
	r.Spec.Web.Prewarm = &metav1.Duration{Duration: 5 * time.Minute}
	if got := r.Window().Prewarm; got != 5*time.Minute {
		t.Errorf("Prewarm %v, want 5m", got)
	}
}

// The contest's zone is +07:00 all year, under the IANA name PostgreSQL knows.
func TestTimeZone(t *testing.T) {
	loc := TimeZone()
	if loc.String() != TimeZoneName || TimeZone() != loc {
		t.Fatalf("TimeZone() = %v, want %s, loaded once", loc, TimeZoneName)
	}
	for _, m := range []time.Month{time.January, time.July} {
		if _, off := time.Date(2024, m, 1, 12, 0, 0, 0, loc).Zone(); off != 7*3600 {
			t.Errorf("offset in %s: %d s, want +07:00", m, off)
		}
	}
}
