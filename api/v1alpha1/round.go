package v1alpha1

import "github.com/dxcontest/contest-platform/internal/schedule"

// RoundKey is how attempts, rankings and publications name the round in the database:
// "namespace/name", unique across the rounds one database serves.
func (r *ContestRound) RoundKey() string { return RoundKeyOf(r.Namespace, r.Name) }

// RoundKeyOf is RoundKey for a round known only by its namespace and name (a command line).
func RoundKeyOf(namespace, name string) string { return namespace + "/" + name }

// Window is the round's declared schedule, with the CRD's defaults for absent fields. A
// round without spec.web has no prewarm: nothing is scaled ahead of it.
func (r *ContestRound) Window() schedule.Window {
	w := schedule.Window{
		OpensAt:   r.Spec.OpensAt.Time,
		ClosesAt:  r.Spec.ClosesAt.Time,
		Suspended: r.Spec.Suspend,
	}
	if r.Spec.Web != nil {
		w.Prewarm = r.Spec.Web.PrewarmDuration()
	}
	return w
}

// RerankAnnotation asks for a new ranking: set it on a round to a new token (any string)
// and the operator runs a new Job for the round, whose result replaces the previous one.
const RerankAnnotation = "contest.dxcontest.io/rerank"
