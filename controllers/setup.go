package controllers

import (
	"context"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
)

// SetupWithManager registers the reconciler. Besides its own rounds it watches the
// Deployments and HPAs that rounds target, so a Deployment created late, or scaled by hand,
// is brought back to what the rounds want.
func (r *ContestRoundReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	onlySpec := builder.WithPredicates(predicate.GenerationChangedPredicate{})
	return ctrl.NewControllerManagedBy(mgr).
		For(&contestv1alpha1.ContestRound{}, builder.WithPredicates(
			predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		// When a round comes, changes its spec or goes away, the other rounds of its contest
		// recompute AnswerKeyExclusive; when it goes away, the others on its Deployment
		// recompute the replicas.
		Watches(&contestv1alpha1.ContestRound{}, handler.Funcs{
			CreateFunc: r.enqueueContestOnCreate, UpdateFunc: r.enqueueContestOnUpdate, DeleteFunc: r.enqueueSiblings}).
		Watches(&appsv1.Deployment{}, handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, o client.Object) []reconcile.Request {
			return r.roundsTargeting(ctx, o.GetNamespace(), o.GetName())
		}), onlySpec).
		Watches(&autoscalingv2.HorizontalPodAutoscaler{}, handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, o client.Object) []reconcile.Request {
			hpa, ok := o.(*autoscalingv2.HorizontalPodAutoscaler)
			if !ok || hpa.Spec.ScaleTargetRef.Kind != "Deployment" {
				return nil
			}
			return r.roundsTargeting(ctx, hpa.Namespace, hpa.Spec.ScaleTargetRef.Name)
		}), onlySpec).
		// A ranking Job's progress and end reach the round at once.
		Owns(&batchv1.Job{}).
		WithOptions(opts).
		Named("contestround").
		Complete(r)
}

func (r *ContestRoundReconciler) enqueueSiblings(ctx context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
	round, ok := e.Object.(*contestv1alpha1.ContestRound)
	if !ok {
		return
	}
	addAll(q, r.roundsOfContest(ctx, round))
	if round.Spec.Web != nil {
		addAll(q, r.roundsTargeting(ctx, round.Namespace, round.Spec.Web.Deployment))
	}
}

func (r *ContestRoundReconciler) enqueueContestOnCreate(ctx context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
	if round, ok := e.Object.(*contestv1alpha1.ContestRound); ok {
		addAll(q, r.roundsOfContest(ctx, round))
	}
}

// enqueueContestOnUpdate reacts to spec changes only (status writes would make every round
// of a contest reconcile its siblings after each of its own reconciles), and to both the old
// and the new contest when the round moved between contests.
func (r *ContestRoundReconciler) enqueueContestOnUpdate(ctx context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
	oldRound, ok1 := e.ObjectOld.(*contestv1alpha1.ContestRound)
	newRound, ok2 := e.ObjectNew.(*contestv1alpha1.ContestRound)
	if !ok1 || !ok2 || oldRound.Generation == newRound.Generation {
		return
	}
	addAll(q, r.roundsOfContest(ctx, newRound))
	if oldRound.Spec.Contest.ID != newRound.Spec.Contest.ID {
		addAll(q, r.roundsOfContest(ctx, oldRound))
	}
}

func addAll(q workqueue.TypedRateLimitingInterface[reconcile.Request], reqs []reconcile.Request) {
	for _, req := range reqs {
		q.Add(req)
	}
}

// roundsTargeting lists the rounds in a namespace whose web app is the named Deployment.
func (r *ContestRoundReconciler) roundsTargeting(ctx context.Context, namespace, deployment string) []reconcile.Request {
	var rounds contestv1alpha1.ContestRoundList
	if err := r.List(ctx, &rounds, client.InNamespace(namespace)); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "list rounds to map a watched object", "namespace", namespace)
		return nil
	}
	var reqs []reconcile.Request
	for _, x := range rounds.Items {
		if x.Spec.Web != nil && x.Spec.Web.Deployment == deployment {
			reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: x.Namespace, Name: x.Name}})
		}
	}
	return reqs
}
