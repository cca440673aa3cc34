package controllers

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/rankcontract"
)

// RankJobConfig is how the operator runs ranking Jobs.
type RankJobConfig struct {
	// Image is the platform's image (the same binary serves every role).
	Image string
	// DatabaseSecret and DatabaseSecretKey name the Secret, in the round's namespace,
	// holding the database DSN.
	DatabaseSecret    string
	DatabaseSecretKey string
	// ServiceAccount the Job runs as; the operator grants it, per round, a Role that may
	// read that round and write only that round's summary ConfigMap.
	ServiceAccount string
	// ActiveDeadline bounds one Job's run; BackoffLimit its retries.
	ActiveDeadline time.Duration
	BackoffLimit   int32
	// Resources of the ranking container; nil: DefaultRankResources.
	Resources *corev1.ResourceRequirements
}

// DefaultRankResources are the ranking container's requests and limits unless configured:
// ranking a million attempts by half a million people peaks near 283 MiB of live heap
// (docs/BENCHMARKS.md), so 512 MiB is asked for and 1 GiB is the most it may take, room for
// the GC's headroom and a larger round. No CPU limit: the Job is short and throttling it
// only makes it hold its memory longer.
func DefaultRankResources() corev1.ResourceRequirements {
	return corev1.ResourceRequirements{
		Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m"), corev1.ResourceMemory: resource.MustParse("512Mi")},
		Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("1Gi")},
	}
}

// goMemLimit is GOMEMLIMIT for a container with the given resources: 90% of its memory
// limit, so the Go GC works harder before the kernel's OOM killer ends the process; empty
// without a limit.
func goMemLimit(res corev1.ResourceRequirements) string {
	limit, ok := res.Limits[corev1.ResourceMemory]
	if !ok || limit.IsZero() {
		return ""
	}
	return fmt.Sprintf("%dMiB", limit.Value()/10*9>>20)
}

// rankingOutcome is what the round's ranking says about its status: the state PhaseOf turns
// into the phase, and the report, results and conditions to set. The zero value (no ranking
// looked at) changes nothing.
type rankingOutcome struct {
	state      contestv1alpha1.RankingState
	report     *contestv1alpha1.ReportRef
	summary    *rankcontract.Summary
	conditions []metav1.Condition
}

// apply sets the outcome in a status; PhaseOf sets the phase from o.state.
func (o rankingOutcome) apply(s *contestv1alpha1.ContestRoundStatus, generation int64, now time.Time) {
	if o.report != nil {
		s.Report = o.report.DeepCopy()
	}
	if o.summary != nil {
		s.Participants, s.Attempts, s.PerfectScores = o.summary.Participants, o.summary.Attempts, o.summary.Perfect
		s.Winners = o.summary.Winners
	}
	for _, c := range o.conditions {
		setCondition(s, c, generation, now)
	}
}

// reconcileRanking runs the round's ranking Job once the round is drained and says what it
// means for the status: Running while it runs, Succeeded with the winners, Failed when it
// failed or left no summary. Without a ranking image there is no ranking (a condition says
// why); after an error, nothing is known.
func (r *ContestRoundReconciler) reconcileRanking(ctx context.Context, round *contestv1alpha1.ContestRound) (rankingOutcome, error) {
	if r.RankJob.Image == "" {
		return rankingOutcome{conditions: []metav1.Condition{{Type: contestv1alpha1.ConditionRankingComplete, Status: metav1.ConditionFalse, Reason: contestv1alpha1.ReasonRankingNotConfigured,
			Message: "the operator runs without --rank-image, so it cannot start the ranking Job; run `contest rank` by hand or configure the image"}}}, nil
	}
	jobName := rankcontract.JobName(round.Name, round.Spec.ClosesAt.Time, round.Annotations[contestv1alpha1.RerankAnnotation])
	if err := r.ensureRankAccess(ctx, round); err != nil {
		return rankingOutcome{}, err
	}
	job, created, err := r.ensureJob(ctx, round, jobName)
	if err != nil {
		return rankingOutcome{}, err
	}
	if created {
		r.Recorder.Eventf(round, job, corev1.EventTypeNormal, EventRankingStarted, "Rank", "Job %s started to rank the round", jobName)
	}
	out := rankingOutcome{report: &contestv1alpha1.ReportRef{ConfigMap: rankcontract.ConfigMapName(round.Name), Job: jobName,
		Command: fmt.Sprintf("contest report --round %s --namespace %s --format xlsx --out %s.xlsx", round.Name, round.Namespace, round.Name)}}

	switch finished, failed, msg := jobOutcome(job); {
	case failed:
		out.state = contestv1alpha1.RankingFailed
		out.conditions = []metav1.Condition{{Type: contestv1alpha1.ConditionRankingComplete, Status: metav1.ConditionFalse, Reason: contestv1alpha1.ReasonJobFailed,
			Message: fmt.Sprintf("Job %s failed: %s; see its logs (kubectl logs job/%s), fix the cause, then set the annotation %s to a new value to rank again", jobName, msg, jobName, contestv1alpha1.RerankAnnotation)}}
	case finished:
		r.readSummary(ctx, round, jobName, &out)
	default:
		out.state = contestv1alpha1.RankingRunning
		out.conditions = []metav1.Condition{{Type: contestv1alpha1.ConditionRankingComplete, Status: metav1.ConditionFalse, Reason: contestv1alpha1.ReasonJobRunning,
			Message: fmt.Sprintf("Job %s is ranking the round", jobName)}}
	}
	return out, nil
}

// jobOutcome reads a Job's terminal conditions.
func jobOutcome(job *batchv1.Job) (finished, failed bool, message string) {
	for _, c := range job.Status.Conditions {
		if c.Status != corev1.ConditionTrue {
			continue
		}
		switch c.Type {
		case batchv1.JobComplete:
			return true, false, ""
		case batchv1.JobFailed:
			return false, true, strings.TrimSpace(c.Reason + ": " + c.Message)
		}
	}
	return false, false, ""
}

// readSummary reads the succeeded Job's summary into the outcome: Succeeded with the
// results, or Failed when the ConfigMap holds no summary of this round.
func (r *ContestRoundReconciler) readSummary(ctx context.Context, round *contestv1alpha1.ContestRound, jobName string, out *rankingOutcome) {
	// Read around the cache: the Job writes the ConfigMap just before it finishes, and the
	// informer may not have seen that write when the Job's completion arrives.
	var cm corev1.ConfigMap
	cmName := rankcontract.ConfigMapName(round.Name)
	err := r.APIReader.Get(ctx, client.ObjectKey{Namespace: round.Namespace, Name: cmName}, &cm)
	var sum rankcontract.Summary
	if err == nil {
		err = json.Unmarshal([]byte(cm.Data[rankcontract.SummaryKey]), &sum)
	}
	if err != nil || sum.Round != round.RoundKey() {
		out.state = contestv1alpha1.RankingFailed
		out.conditions = []metav1.Condition{{Type: contestv1alpha1.ConditionRankingComplete, Status: metav1.ConditionFalse, Reason: contestv1alpha1.ReasonSummaryMissing,
			Message: fmt.Sprintf("Job %s succeeded but ConfigMap %s holds no summary of this round; rank again with the annotation %s", jobName, cmName, contestv1alpha1.RerankAnnotation)}}
		return
	}
	out.state = contestv1alpha1.RankingSucceeded
	out.summary = &sum
	out.conditions = []metav1.Condition{{Type: contestv1alpha1.ConditionRankingComplete, Status: metav1.ConditionTrue, Reason: contestv1alpha1.ReasonJobSucceeded,
		Message: fmt.Sprintf("ranked %d participants and %d attempts at %s; %d perfect results; %d winners%s", sum.Participants, sum.Attempts, r.show(sum.ComputedAt), sum.Perfect, len(sum.Winners), vacantNote(sum.Vacant))}}
	if len(sum.BoundaryTies) == 0 {
		out.conditions = append(out.conditions, metav1.Condition{Type: contestv1alpha1.ConditionPrizesDecided, Status: metav1.ConditionTrue, Reason: contestv1alpha1.ReasonAllPrizesDecided,
			Message: "every prize place was decided by the rules"})
		return
	}
	var parts []string
	for _, t := range sum.BoundaryTies {
		parts = append(parts, fmt.Sprintf("%d people (%s) tied at rank %d for %s", len(t.People), strings.Join(t.People, ", "), t.Rank, t.Places))
	}
	out.conditions = append(out.conditions, metav1.Condition{Type: contestv1alpha1.ConditionPrizesDecided, Status: metav1.ConditionFalse, Reason: contestv1alpha1.ReasonBoundaryTie,
		Message: "the rules cannot decide these places, the organizers must: " + strings.Join(parts, "; ")})
}

// ensureJob finds the round's ranking Job or creates it: Get before Create, and adopt on
// AlreadyExists (the cache may not have seen a Job created just before a restart).
func (r *ContestRoundReconciler) ensureJob(ctx context.Context, round *contestv1alpha1.ContestRound, name string) (*batchv1.Job, bool, error) {
	var job batchv1.Job
	key := client.ObjectKey{Namespace: round.Namespace, Name: name}
	err := r.Get(ctx, key, &job)
	if err == nil {
		return &job, false, nil
	}
	if !apierrors.IsNotFound(err) {
		return nil, false, fmt.Errorf("get ranking Job %s: %w", name, err)
	}
	desired := r.rankJob(round, name)
	if err := controllerutil.SetControllerReference(round, desired, r.Scheme); err != nil {
		return nil, false, err
	}
	err = r.Create(ctx, desired)
	if apierrors.IsAlreadyExists(err) {
		if err := r.APIReader.Get(ctx, key, &job); err != nil {
			return nil, false, fmt.Errorf("adopt ranking Job %s: %w", name, err)
		}
		return &job, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("create ranking Job %s: %w", name, err)
	}
	return desired, true, nil
}

func (r *ContestRoundReconciler) rankJob(round *contestv1alpha1.ContestRound, name string) *batchv1.Job {
	labels := map[string]string{
		"app.kubernetes.io/name":      "contest-platform",
		"app.kubernetes.io/component": "ranking",
		"contest.dxcontest.io/round":  round.Name,
	}
	secretKey := r.RankJob.DatabaseSecretKey
	if secretKey == "" {
		secretKey = "dsn"
	}
	deadline := r.RankJob.ActiveDeadline
	if deadline == 0 {
		deadline = 30 * time.Minute
	}
	res := DefaultRankResources()
	if r.RankJob.Resources != nil {
		res = *r.RankJob.Resources
	}
	env := []corev1.EnvVar{{Name: "CONTEST_DATABASE_URL", ValueFrom: &corev1.EnvVarSource{
		SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: r.RankJob.DatabaseSecret}, Key: secretKey}}}}
	if limit := goMemLimit(res); limit != "" {
		env = append(env, corev1.EnvVar{Name: "GOMEMLIMIT", Value: limit})
	}
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: round.Namespace, Labels: labels,
			Annotations: map[string]string{contestv1alpha1.RerankAnnotation: round.Annotations[contestv1alpha1.RerankAnnotation]}},
		Spec: batchv1.JobSpec{
			BackoffLimit:          ptr.To(r.RankJob.BackoffLimit),
			ActiveDeadlineSeconds: ptr.To(int64(deadline.Seconds())),
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					RestartPolicy:      corev1.RestartPolicyNever,
					ServiceAccountName: r.RankJob.ServiceAccount,
					SecurityContext: &corev1.PodSecurityContext{RunAsNonRoot: ptr.To(true),
						SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}},
					Containers: []corev1.Container{{
						Name:    "rank",
						Image:   r.RankJob.Image,
						Command: []string{"/contest"},
						Args:    []string{"rank", "--round", round.Name, "--namespace", round.Namespace},
						Env:     env,
						SecurityContext: &corev1.SecurityContext{AllowPrivilegeEscalation: ptr.To(false), ReadOnlyRootFilesystem: ptr.To(true),
							Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}}},
						Resources: res,
					}},
				},
			},
		},
	}
}

// ensureRankAccess makes, owned by the round, the summary ConfigMap and a Role, bound to
// the Job's service account, that may read this round and write only that ConfigMap. The
// ConfigMap is only created: the Job writes its data. The Role and RoleBinding are brought
// back to what they should be on every pass, so a changed --rank-service-account or a hand
// edit is repaired; an unchanged pass writes nothing.
func (r *ContestRoundReconciler) ensureRankAccess(ctx context.Context, round *contestv1alpha1.ContestRound) error {
	cmName, roleName := rankcontract.ConfigMapName(round.Name), rankcontract.RoleName(round.Name)
	if err := r.ensureSummaryConfigMap(ctx, round, cmName); err != nil {
		return err
	}
	role := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: roleName, Namespace: round.Namespace}}
	if _, err := controllerutil.CreateOrUpdate(ctx, r.Client, role, func() error {
		role.Rules = []rbacv1.PolicyRule{
			{APIGroups: []string{contestv1alpha1.GroupVersion.Group}, Resources: []string{"contestrounds"}, ResourceNames: []string{round.Name}, Verbs: []string{"get"}},
			{APIGroups: []string{""}, Resources: []string{"configmaps"}, ResourceNames: []string{cmName}, Verbs: []string{"get", "update", "patch"}},
		}
		return controllerutil.SetControllerReference(round, role, r.Scheme)
	}); err != nil {
		return fmt.Errorf("create or update Role %s: %w", roleName, err)
	}
	binding := &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: roleName, Namespace: round.Namespace}}
	if _, err := controllerutil.CreateOrUpdate(ctx, r.Client, binding, func() error {
		ref := rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: roleName}
		switch {
		case binding.CreationTimestamp.IsZero():
			binding.RoleRef = ref
		case binding.RoleRef != ref:
			return fmt.Errorf("it refers to %s %s, not Role %s, and a RoleBinding's roleRef cannot change: delete it and the operator creates it again", binding.RoleRef.Kind, binding.RoleRef.Name, roleName)
		}
		binding.Subjects = []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: r.RankJob.ServiceAccount, Namespace: round.Namespace}}
		return controllerutil.SetControllerReference(round, binding, r.Scheme)
	}); err != nil {
		return fmt.Errorf("create or update RoleBinding %s: %w", roleName, err)
	}
	return nil
}

// ensureSummaryConfigMap creates the Job's empty summary ConfigMap unless it exists.
func (r *ContestRoundReconciler) ensureSummaryConfigMap(ctx context.Context, round *contestv1alpha1.ContestRound, name string) error {
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: round.Namespace}}
	err := r.Get(ctx, client.ObjectKeyFromObject(cm), &corev1.ConfigMap{})
	if err == nil {
		return nil
	}
	if !apierrors.IsNotFound(err) {
		return fmt.Errorf("get ConfigMap %s: %w", name, err)
	}
	if err := controllerutil.SetControllerReference(round, cm, r.Scheme); err != nil {
		return err
	}
	if err := r.Create(ctx, cm); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create ConfigMap %s: %w", name, err)
	}
	return nil
}

// vacantNote names the prize places nobody took, for the RankingComplete message:
// "; not awarded: 1 Giải Nhất (needs 15 correct)".
func vacantNote(vacant []rankcontract.Vacancy) string {
	if len(vacant) == 0 {
		return ""
	}
	parts := make([]string, len(vacant))
	for i, v := range vacant {
		parts[i] = fmt.Sprintf("%d %s", v.Count, v.Prize)
		if v.MinCorrect > 0 {
			parts[i] += fmt.Sprintf(" (needs %d correct)", v.MinCorrect)
		}
	}
	return "; not awarded: " + strings.Join(parts, ", ")
}
