package controllers

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

func answerKey(t *testing.T, ns, name string) (*metav1.Condition, int64) {
	t.Helper()
	r := getRound(t, ns, name)
	return meta.FindStatusCondition(r.Status.Conditions, contestv1alpha1.ConditionAnswerKeyExclusive), r.Generation
}

func setBank(t *testing.T, ns, name string, version int32) {
	t.Helper()
	r := getRound(t, ns, name)
	patch := client.MergeFrom(r.DeepCopy())
	r.Spec.Exam.Bank.Version = version
	if err := env.Client.Patch(context.Background(), r, patch); err != nil {
		t.Fatal(err)
	}
}

func countReason(evs []string, reason string) int {
	n := 0
	for _, r := range reasons(evs) {
		if r == reason {
			n++
		}
	}
	return n
}

// Two rounds of one contest on one bank version: revealing either round's answers would
// hand them to the other, so both say so; giving one its own version clears it.
func TestAnswerKeySharedBetweenRounds(t *testing.T) {
	ns := newNamespace(t)
	newDeployment(t, ns, "contest-web", 1)
	newRound(t, ns, "dot-1", opens1, closes1)
	newRound(t, ns, "dot-2", opens2, closes2)
	// Neither another contest on the same bank nor another namespace counts: the web app
	// serves one contest of one namespace.
	newRound(t, ns, "other-contest", opens2, closes2, func(r *contestv1alpha1.ContestRound) { r.Spec.Contest.ID = "khac" })
	newRound(t, newNamespace(t), "dot-1-elsewhere", opens1, closes1)
	now := opens1.Add(-48 * time.Hour) // before opening: spec.exam may still change
	h := newHarness(t, now)

	h.reconcileAt(now, ns, "dot-1")
	c, gen := answerKey(t, ns, "dot-1")
	if c == nil || c.Status != metav1.ConditionFalse || c.Reason != contestv1alpha1.ReasonBankSharedWithRound || c.ObservedGeneration != gen {
		t.Fatalf("dot-1 shares bank mau v1 with dot-2: condition %+v (generation %d)", c, gen)
	}
	for _, want := range []string{"dot-2", "mau", "version 1", "withholds", "new version", "revealAnswers: Never"} {
		if !strings.Contains(c.Message, want) {
			t.Errorf("message %q does not say %q", c.Message, want)
		}
	}
	for _, notWant := range []string{"other-contest", "elsewhere"} {
		if strings.Contains(c.Message, notWant) {
			t.Errorf("message %q names %s, which is not a round of this contest here", c.Message, notWant)
		}
	}
	if n := countReason(h.events(), EventAnswerKeyShared); n != 1 {
		t.Errorf("%d %s events on the transition to False, want 1", n, EventAnswerKeyShared)
	}
	h.reconcileAt(now.Add(time.Minute), ns, "dot-1")
	if n := countReason(h.events(), EventAnswerKeyShared); n != 0 {
		t.Errorf("%d %s events without a transition, want 0", n, EventAnswerKeyShared)
	}

	h.reconcileAt(now, ns, "dot-2")
	if c, _ := answerKey(t, ns, "dot-2"); c == nil || c.Status != metav1.ConditionFalse || !strings.Contains(c.Message, "dot-1") {
		t.Fatalf("dot-2 shares bank mau v1 with dot-1: condition %+v", c)
	}
	h.events()

	// dot-2 gets its own version: both rounds may reveal their answers when they end.
	setBank(t, ns, "dot-2", 2)
	h.reconcileAt(now.Add(2*time.Minute), ns, "dot-1")
	h.reconcileAt(now.Add(2*time.Minute), ns, "dot-2")
	for _, name := range []string{"dot-1", "dot-2"} {
		c, gen := answerKey(t, ns, name)
		if c == nil || c.Status != metav1.ConditionTrue || c.Reason != contestv1alpha1.ReasonBankNotShared || c.ObservedGeneration != gen {
			t.Errorf("%s after dot-2 moved to version 2: condition %+v (generation %d)", name, c, gen)
		}
	}
	if n := countReason(h.events(), EventAnswerKeyShared); n != 0 {
		t.Errorf("%d %s events on the transition to True, want 0", n, EventAnswerKeyShared)
	}
}

// A round that never reveals answers gives nothing away, whoever shares its bank.
func TestAnswerKeyNeverRevealed(t *testing.T) {
	ns := newNamespace(t)
	newRound(t, ns, "dot-1", opens1, closes1, func(r *contestv1alpha1.ContestRound) {
		r.Spec.Web = nil
		r.Spec.Exam.RevealAnswers = contestv1alpha1.RevealNever
	})
	newRound(t, ns, "dot-2", opens2, closes2, func(r *contestv1alpha1.ContestRound) {
		r.Spec.Web = nil
		r.Spec.Exam.RevealAnswers = contestv1alpha1.RevealAfterSubmit
	})
	h := newHarness(t, opens1)
	h.reconcileAt(opens1, ns, "dot-1")
	h.reconcileAt(opens1, ns, "dot-2")
	if c, _ := answerKey(t, ns, "dot-1"); c == nil || c.Status != metav1.ConditionTrue || c.Reason != contestv1alpha1.ReasonAnswersNeverRevealed {
		t.Errorf("dot-1 reveals nothing: condition %+v", c)
	}
	if c, _ := answerKey(t, ns, "dot-2"); c == nil || c.Status != metav1.ConditionFalse || !strings.Contains(c.Message, "dot-1") {
		t.Errorf("dot-2 reveals after submit what dot-1 asks: condition %+v", c)
	}
	if c, _ := answerKey(t, ns, "dot-2"); c != nil && !strings.Contains(c.Message, "AfterSubmit") {
		t.Errorf("message %q does not name the policy", c.Message)
	}
}

// With the manager running, a round learns at once that another round of its contest came
// to share, stopped sharing or stopped existing with its bank version: no boundary needed.
func TestManagerFollowsRoundsSharingABank(t *testing.T) {
	ns := newNamespace(t)
	newDeployment(t, ns, "contest-web", 1)
	clock := newTestClock(opens1.Add(-72 * time.Hour))
	newRound(t, ns, "dot-1", opens1, closes1)
	startManager(t, ns, clock)

	waitAnswerKey := func(what string, status metav1.ConditionStatus) {
		t.Helper()
		eventually(t, 10*time.Second, what, func() (bool, string) {
			c, gen := answerKey(t, ns, "dot-1")
			return c != nil && c.Status == status && c.ObservedGeneration == gen, fmt.Sprintf("%+v", c)
		})
	}
	waitAnswerKey("dot-1 alone on its bank", metav1.ConditionTrue)
	newRound(t, ns, "dot-2", opens2, closes2)
	waitAnswerKey("dot-2 created on the same bank version", metav1.ConditionFalse)
	setBank(t, ns, "dot-2", 2)
	waitAnswerKey("dot-2 moved to version 2", metav1.ConditionTrue)
	setBank(t, ns, "dot-2", 1)
	waitAnswerKey("dot-2 back on version 1", metav1.ConditionFalse)
	if err := env.Client.Delete(context.Background(), getRound(t, ns, "dot-2")); err != nil {
		t.Fatal(err)
	}
	waitAnswerKey("dot-2 deleted", metav1.ConditionTrue)
}
