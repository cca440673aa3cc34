package controllers

import (
	"context"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/schedule"
)

// FieldOwner names the operator in managedFields of what it patches.
const FieldOwner = "contest-operator"

// want is the replica count a Deployment should have now and the round that asks for it.
type want struct {
	replicas int32
	round    string
	open     bool
}

// wantedReplicas is the largest want of every round in the namespace that targets the
// Deployment: several rounds may share one exam web app, and the busiest one wins.
func (r *ContestRoundReconciler) wantedReplicas(ctx context.Context, namespace, deployment string, now time.Time) (want, error) {
	var rounds contestv1alpha1.ContestRoundList
	if err := r.List(ctx, &rounds, client.InNamespace(namespace)); err != nil {
		return want{}, fmt.Errorf("list rounds in %s: %w", namespace, err)
	}
	best := want{replicas: -1}
	for i := range rounds.Items {
		x := &rounds.Items[i]
		if x.DeletionTimestamp != nil || x.Spec.Web == nil || x.Spec.Web.Deployment != deployment {
			continue
		}
		open := schedule.At(x.Window(), now).WantsOpenCapacity
		if n := x.Spec.Web.ReplicasWhen(open); n > best.replicas {
			best = want{replicas: n, round: x.Name, open: open}
		}
	}
	return best, nil
}

// scale brings the round's target Deployment (or the HPA that drives it) to the replicas
// the rounds on it want now, and says how that went as the Scaled condition.
func (r *ContestRoundReconciler) scale(ctx context.Context, round *contestv1alpha1.ContestRound, now time.Time) (metav1.Condition, error) {
	name := round.Spec.Web.Deployment
	w, err := r.wantedReplicas(ctx, round.Namespace, name, now)
	if err != nil {
		return scaleFailed(err), err
	}
	why := fmt.Sprintf("round %s wants %s capacity", w.round, map[bool]string{true: "open", false: "closed"}[w.open])

	hpa, err := r.hpaFor(ctx, round.Namespace, name)
	if err != nil {
		return scaleFailed(err), err
	}
	if hpa != nil {
		return r.scaleHPA(ctx, round, hpa, w, why)
	}

	var dep appsv1.Deployment
	if err := r.Get(ctx, types.NamespacedName{Namespace: round.Namespace, Name: name}, &dep); err != nil {
		if apierrors.IsNotFound(err) {
			return metav1.Condition{Type: contestv1alpha1.ConditionScaled, Status: metav1.ConditionFalse, Reason: contestv1alpha1.ReasonTargetMissing,
				Message: fmt.Sprintf("Deployment %s not found in namespace %s: install the exam web app there (the Helm chart does) or fix spec.web.deployment; the round still opens and closes on time", name, round.Namespace)}, nil
		}
		return scaleFailed(err), err
	}
	current := int32(1) // the API server's default when replicas is unset
	if dep.Spec.Replicas != nil {
		current = *dep.Spec.Replicas
	}
	if current != w.replicas {
		if err := r.setReplicas(ctx, round, &dep, w.replicas, why); err != nil {
			return scaleFailed(err), err
		}
	}
	return metav1.Condition{Type: contestv1alpha1.ConditionScaled, Status: metav1.ConditionTrue, Reason: contestv1alpha1.ReasonReplicasSet,
		Message: fmt.Sprintf("Deployment %s has %d replicas: %s", name, w.replicas, why)}, nil
}

// setReplicas changes the Deployment's replica count through its scale subresource, the one
// part of the Deployment the operator may write. It reads the scale afresh (the cached
// Deployment may be stale) and updates it with that read's resourceVersion, so a concurrent
// change makes the update fail and the reconcile retry instead of announcing a change
// someone else already made.
func (r *ContestRoundReconciler) setReplicas(ctx context.Context, round *contestv1alpha1.ContestRound, dep *appsv1.Deployment, replicas int32, why string) error {
	var scale autoscalingv1.Scale
	if err := r.SubResource("scale").Get(ctx, dep, &scale); err != nil {
		return fmt.Errorf("read the scale of Deployment %s: %w", dep.Name, err)
	}
	current := scale.Spec.Replicas
	if current == replicas {
		return nil
	}
	scale.Spec.Replicas = replicas
	err := r.SubResource("scale").Update(ctx, dep, client.WithSubResourceBody(&scale), client.FieldOwner(FieldOwner))
	r.Metrics.scaled("deployment", direction(current, replicas), err)
	if err != nil {
		return fmt.Errorf("scale Deployment %s to %d replicas: %w", dep.Name, replicas, err)
	}
	r.Recorder.Eventf(round, dep, corev1.EventTypeNormal, scaledReason(current, replicas), "Scale",
		"Deployment %s scaled from %d to %d replicas: %s", dep.Name, current, replicas, why)
	return nil
}

// scaleHPA raises or lowers the HPA's floor instead of fighting the autoscaler over replicas.
func (r *ContestRoundReconciler) scaleHPA(ctx context.Context, round *contestv1alpha1.ContestRound, hpa *autoscalingv2.HorizontalPodAutoscaler, w want, why string) (metav1.Condition, error) {
	floor := max(w.replicas, 1) // an HPA's minReplicas is at least 1
	note := ""
	if floor > hpa.Spec.MaxReplicas {
		note = fmt.Sprintf(" (capped at the HPA's maxReplicas %d; raise it to give the round %d)", hpa.Spec.MaxReplicas, floor)
		floor = hpa.Spec.MaxReplicas
	}
	current := int32(1)
	if hpa.Spec.MinReplicas != nil {
		current = *hpa.Spec.MinReplicas
	}
	if current != floor {
		patch := client.MergeFromWithOptions(hpa.DeepCopy(), client.MergeFromWithOptimisticLock{})
		hpa.Spec.MinReplicas = &floor
		err := r.Patch(ctx, hpa, patch, client.FieldOwner(FieldOwner))
		r.Metrics.scaled("hpa", direction(current, floor), err)
		if err != nil {
			err = fmt.Errorf("patch HorizontalPodAutoscaler %s minReplicas to %d: %w", hpa.Name, floor, err)
			return scaleFailed(err), err
		}
		r.Recorder.Eventf(round, hpa, corev1.EventTypeNormal, scaledReason(current, floor), "Scale",
			"HorizontalPodAutoscaler %s minReplicas changed from %d to %d: %s%s", hpa.Name, current, floor, why, note)
	}
	return metav1.Condition{Type: contestv1alpha1.ConditionScaled, Status: metav1.ConditionTrue, Reason: contestv1alpha1.ReasonHPAMinReplicasSet,
		Message: fmt.Sprintf("HorizontalPodAutoscaler %s drives Deployment %s; its minReplicas is %d: %s%s", hpa.Name, round.Spec.Web.Deployment, floor, why, note)}, nil
}

// hpaFor finds the HorizontalPodAutoscaler that targets the Deployment, if any.
func (r *ContestRoundReconciler) hpaFor(ctx context.Context, namespace, deployment string) (*autoscalingv2.HorizontalPodAutoscaler, error) {
	var hpas autoscalingv2.HorizontalPodAutoscalerList
	if err := r.List(ctx, &hpas, client.InNamespace(namespace)); err != nil {
		return nil, fmt.Errorf("list HorizontalPodAutoscalers in %s: %w", namespace, err)
	}
	for i := range hpas.Items {
		if targetsDeployment(&hpas.Items[i], deployment) {
			return &hpas.Items[i], nil
		}
	}
	return nil, nil
}

func targetsDeployment(hpa *autoscalingv2.HorizontalPodAutoscaler, deployment string) bool {
	ref := hpa.Spec.ScaleTargetRef
	return ref.Kind == "Deployment" && ref.Name == deployment
}

func scaleFailed(err error) metav1.Condition {
	return metav1.Condition{Type: contestv1alpha1.ConditionScaled, Status: metav1.ConditionFalse, Reason: contestv1alpha1.ReasonScaleFailed,
		Message: fmt.Sprintf("scaling failed and will be retried: %v", err)}
}

func direction(from, to int32) string {
	if to > from {
		return "up"
	}
	return "down"
}

func scaledReason(from, to int32) string {
	if to > from {
		return EventScaledUp
	}
	return EventScaledDown
}
