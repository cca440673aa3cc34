package controllers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// maxNamedRounds bounds how many sharing rounds a condition message lists.
const maxNamedRounds = 10

// answerKeyCondition says whether revealing the round's correct answers would give another
// round of its contest (in its namespace: the web app serves one contest of one namespace)
// the answer key of the same bank version. The web app then withholds them until every
// round on that version is drained; this condition tells the platform engineer in advance.
func (r *ContestRoundReconciler) answerKeyCondition(ctx context.Context, round *contestv1alpha1.ContestRound) (metav1.Condition, error) {
	policy := round.Spec.Exam.RevealPolicy()
	if policy == contestv1alpha1.RevealNever {
		return metav1.Condition{Type: contestv1alpha1.ConditionAnswerKeyExclusive, Status: metav1.ConditionTrue, Reason: contestv1alpha1.ReasonAnswersNeverRevealed,
			Message: "spec.exam.revealAnswers is Never: contestants never see the correct options, so sharing the bank version gives nothing away"}, nil
	}
	others, err := r.roundsSharingBank(ctx, round)
	if err != nil {
		return metav1.Condition{}, err
	}
	bank := round.Spec.Exam.Bank
	if len(others) == 0 {
		return metav1.Condition{Type: contestv1alpha1.ConditionAnswerKeyExclusive, Status: metav1.ConditionTrue, Reason: contestv1alpha1.ReasonBankNotShared,
			Message: fmt.Sprintf("no other round of contest %s uses question bank %s version %d", round.Spec.Contest.ID, bank.Name, bank.Version)}, nil
	}
	named := others
	more := ""
	if len(named) > maxNamedRounds {
		named, more = named[:maxNamedRounds], fmt.Sprintf(" and %d more", len(others)-maxNamedRounds)
	}
	return metav1.Condition{Type: contestv1alpha1.ConditionAnswerKeyExclusive, Status: metav1.ConditionFalse, Reason: contestv1alpha1.ReasonBankSharedWithRound,
		Message: fmt.Sprintf("round(s) %s%s of contest %s also use question bank %s version %d, so revealing this round's answers (revealAnswers: %s) would give them the answer key: "+
			"the web app withholds the correct answers until every round using that bank version has ended. "+
			"To reveal them when this round ends, before the rounds open import the bank again as a new version for one of them "+
			"(contest bank import FILE --name %s --version N) and point its spec.exam.bank.version at it, or set spec.exam.revealAnswers: Never",
			strings.Join(named, ", "), more, round.Spec.Contest.ID, bank.Name, bank.Version, policy, bank.Name)}, nil
}

// roundsSharingBank names, sorted, the other live rounds of the round's contest and
// namespace that pin the same bank version, whatever their own reveal policy: their
// contestants are the ones this round's reveal would help.
func (r *ContestRoundReconciler) roundsSharingBank(ctx context.Context, round *contestv1alpha1.ContestRound) ([]string, error) {
	siblings, err := r.contestRounds(ctx, round.Namespace, round.Spec.Contest.ID)
	if err != nil {
		return nil, err
	}
	var names []string
	for i := range siblings {
		x := &siblings[i]
		if x.Name != round.Name && x.Spec.Exam.Bank == round.Spec.Exam.Bank {
			names = append(names, x.Name)
		}
	}
	slices.Sort(names)
	return names, nil
}

// contestRounds lists the live rounds of one contest in a namespace. A namespace holds a
// contest's few rounds, so filtering the namespace's list is enough.
func (r *ContestRoundReconciler) contestRounds(ctx context.Context, namespace, contest string) ([]contestv1alpha1.ContestRound, error) {
	var rounds contestv1alpha1.ContestRoundList
	if err := r.List(ctx, &rounds, client.InNamespace(namespace)); err != nil {
		return nil, fmt.Errorf("list rounds in %s: %w", namespace, err)
	}
	var out []contestv1alpha1.ContestRound
	for _, x := range rounds.Items {
		if x.DeletionTimestamp == nil && x.Spec.Contest.ID == contest {
			out = append(out, x)
		}
	}
	return out, nil
}

// roundsOfContest maps a round to the requests of the other rounds of its contest, so a
// round created, changed or deleted makes them recompute AnswerKeyExclusive.
func (r *ContestRoundReconciler) roundsOfContest(ctx context.Context, round *contestv1alpha1.ContestRound) []reconcile.Request {
	siblings, err := r.contestRounds(ctx, round.Namespace, round.Spec.Contest.ID)
	if err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "list rounds of a contest to map a watched round", "namespace", round.Namespace)
		return nil
	}
	var reqs []reconcile.Request
	for _, x := range siblings {
		if x.Name != round.Name {
			reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: x.Namespace, Name: x.Name}})
		}
	}
	return reqs
}
