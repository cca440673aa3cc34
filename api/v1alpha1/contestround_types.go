package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ContestRoundSpec declares one round of a contest: when it is open, how the exam is
// drawn and timed, which prizes it awards and how the exam web app is scaled for it.
//
// The declared times are the truth: the web app enforces them with the database clock and
// the operator only reflects them in status and performs the side effects.
// +kubebuilder:validation:XValidation:rule="self.closesAt > self.opensAt",message="closesAt must be later than opensAt: a round closes after it opens"
// +kubebuilder:validation:XValidation:rule="!has(self.integrity) || !has(self.integrity.fastPerfectSeconds) || !has(self.exam.timeLimit) || self.integrity.fastPerfectSeconds < duration(self.exam.timeLimit).getSeconds()",message="integrity.fastPerfectSeconds must be shorter than exam.timeLimit: no attempt lasts longer, so every perfect attempt would be listed"
// +kubebuilder:validation:XValidation:rule="!has(self.prizes) || self.prizes.all(p, !has(p.minCorrect) || p.minCorrect <= (has(self.exam.totalQuestions) ? self.exam.totalQuestions : 15))",message="a prize's minCorrect is more than exam.totalQuestions, so nobody could meet it: it may be at most the number of questions drawn"
type ContestRoundSpec struct {
	// Contest identifies the contest this round belongs to. Registrations are per contest,
	// so every round of one contest shares its contestants.
	// +required
	Contest ContestRef `json:"contest"`

	// Title is the round's name as people read it, e.g. "Đợt 1".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=200
	Title string `json:"title"`

	// OpensAt is the instant the round opens (RFC 3339 with offset, e.g. 2024-08-17T00:00:00+07:00).
	// +required
	OpensAt metav1.Time `json:"opensAt"`

	// ClosesAt is the instant the round closes; no attempt can start at or after it.
	// "Until the end of 31/8" is written as the next midnight: 2024-09-01T00:00:00+07:00.
	// +required
	ClosesAt metav1.Time `json:"closesAt"`

	// Exam sets how each attempt is drawn, timed and shown.
	// +required
	Exam ExamRules `json:"exam"`

	// Prizes are awarded in this order; each person takes at most one.
	// Defaults to the plan's 1 first, 2 second, 3 third and 5 consolation prizes.
	// +optional
	// +kubebuilder:default={{name:"Giải Nhất",count:1},{name:"Giải Nhì",count:2},{name:"Giải Ba",count:3},{name:"Giải Khuyến khích",count:5}}
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=20
	// +kubebuilder:validation:XValidation:rule="self.all(p, self.exists_one(q, q.name == p.name))",message="prize names must be unique: two prizes share a name"
	// status.winners holds at most 1000 people, so the prizes may award no more places.
	// +kubebuilder:validation:XValidation:rule="self.map(p, p.count).sum() <= 1000",message="the prizes award more than 1000 places in all (the sum of their counts), more than status.winners holds: lower the counts or drop a prize"
	// Prizes are listed from the highest; a lower one asking for more would turn away from
	// it people who meet the higher prize's condition.
	// +kubebuilder:validation:XValidation:rule="self.map(p, has(p.minCorrect) ? -p.minCorrect : 0).isSorted()",message="a prize's minCorrect is more than the minCorrect of a prize listed before it: prizes go from the highest down, and a lower prize may not ask for more correct answers"
	// +listType=atomic
	Prizes []Prize `json:"prizes,omitempty"`

	// Ranking sets how people are ordered and who may not take a prize.
	// +optional
	// +kubebuilder:default={}
	Ranking RankingRules `json:"ranking,omitempty"`

	// Integrity sets when the organizers' review queue lists a person of this round (fast
	// perfect attempts, accounts sharing a device or a network). It never excludes anyone.
	// +optional
	Integrity *IntegrityRules `json:"integrity,omitempty"`

	// Web says which exam web Deployment to scale for this round.
	// +optional
	Web *WebScaling `json:"web,omitempty"`

	// Suspend closes the round at once while true (an emergency stop); clearing it resumes
	// the round if its window is still open.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// ContestRef names the contest a round belongs to.
type ContestRef struct {
	// ID is the contest's stable identifier (lowercase letters, digits and dashes).
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	ID string `json:"id"`

	// Title is the contest's full name as people read it.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=300
	Title string `json:"title"`
}

// RevealPolicy says when a contestant may see which options were correct.
// +kubebuilder:validation:Enum=Never;AfterSubmit;AfterClose
type RevealPolicy string

const (
	// RevealNever never shows the correct options to contestants.
	RevealNever RevealPolicy = "Never"
	// RevealAfterSubmit shows them on the result page of a submitted attempt.
	RevealAfterSubmit RevealPolicy = "AfterSubmit"
	// RevealAfterClose shows them once the round has closed (the default: never while open).
	RevealAfterClose RevealPolicy = "AfterClose"
)

// ExamRules set how an attempt is drawn, how long it lasts and how often one may try.
// +kubebuilder:validation:XValidation:rule="self.topics.map(t, t.questions).sum() == self.totalQuestions",message="the questions per topic must add up to totalQuestions"
// +kubebuilder:validation:XValidation:rule="duration(self.timeLimit) >= duration('1m') && duration(self.timeLimit) <= duration('3h')",message="timeLimit must be between 1m and 3h"
type ExamRules struct {
	// Bank is the question bank version the round draws from; it is pinned so the bank never
	// changes under an open round.
	// +required
	Bank BankRef `json:"bank"`

	// Topics says how many questions are drawn from each topic of the bank.
	// +required
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=20
	// +kubebuilder:validation:XValidation:rule="self.all(t, self.exists_one(u, u.topic == t.topic))",message="each topic may be listed only once"
	// +listType=atomic
	Topics []TopicQuota `json:"topics"`

	// TotalQuestions is the number of multiple-choice questions in an attempt.
	// +optional
	// +kubebuilder:default=15
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=200
	TotalQuestions int32 `json:"totalQuestions,omitempty"`

	// MaxAttempts is how many attempts one person may take in the round.
	// +optional
	// +kubebuilder:default=3
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10
	MaxAttempts int32 `json:"maxAttempts,omitempty"`

	// TimeLimit is how long one attempt may last, between 1m and 3h (e.g. "30m").
	// +optional
	// +kubebuilder:default="30m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:MaxLength=20
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`
	TimeLimit *metav1.Duration `json:"timeLimit,omitempty"`

	// PredictionQuestion is the text of the extra question that asks how many people will
	// answer every question right in this round.
	// +optional
	// +kubebuilder:default="Dự đoán có bao nhiêu người trả lời đúng tất cả các câu hỏi trong đợt thi này?"
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=500
	PredictionQuestion string `json:"predictionQuestion,omitempty"`

	// RevealAnswers says when contestants may see the correct options of their attempts.
	// +optional
	// +kubebuilder:default=AfterClose
	RevealAnswers RevealPolicy `json:"revealAnswers,omitempty"`
}

// BankRef pins a version of a question bank.
type BankRef struct {
	// Name of the question bank.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`

	// Version of the bank, as given when it was imported.
	// +required
	// +kubebuilder:validation:Minimum=1
	Version int32 `json:"version"`
}

// TopicQuota is how many questions one topic contributes to an attempt.
type TopicQuota struct {
	// Topic is the bank's code for the topic.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Topic string `json:"topic"`

	// Questions drawn from the topic for each attempt.
	// +required
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=200
	Questions int32 `json:"questions"`
}

// Prize is one prize level of a round.
type Prize struct {
	// Name of the prize, e.g. "Giải Nhất".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=100
	Name string `json:"name"`

	// Count is how many people receive this prize.
	// +required
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=1000
	Count int32 `json:"count"`

	// Reward describes what the prize brings (certificate, amount), shown with the results.
	// +optional
	// +kubebuilder:validation:MaxLength=500
	Reward string `json:"reward,omitempty"`

	// MinCorrect is the least number of correct answers needed to receive this prize; 0
	// (the default) sets no condition. A person below it keeps their rank but neither takes
	// this prize nor holds its place, which goes to the next person who meets it, or stays
	// vacant; they may still take a lower prize whose condition they meet. At most
	// exam.totalQuestions, and at most the minCorrect of every prize listed before it.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=200
	MinCorrect int32 `json:"minCorrect,omitempty"`
}

// TieBreakKey is one key of the order between people.
// +kubebuilder:validation:Enum=Correct;PredictionDistance;TimeUsed;SubmittedAt
type TieBreakKey string

const (
	// TieBreakCorrect orders by correct answers, most first.
	TieBreakCorrect TieBreakKey = "Correct"
	// TieBreakPredictionDistance orders by |prediction − actual number of perfect results|, smallest first.
	TieBreakPredictionDistance TieBreakKey = "PredictionDistance"
	// TieBreakTimeUsed orders by time used in the attempt, shortest first.
	TieBreakTimeUsed TieBreakKey = "TimeUsed"
	// TieBreakSubmittedAt orders by the instant the attempt was submitted, earliest first.
	TieBreakSubmittedAt TieBreakKey = "SubmittedAt"
)

// DefaultTieBreak returns the plan's order between people.
func DefaultTieBreak() []TieBreakKey {
	return []TieBreakKey{TieBreakCorrect, TieBreakPredictionDistance, TieBreakTimeUsed, TieBreakSubmittedAt}
}

// RankingRules set the order between people and who may not take a prize.
type RankingRules struct {
	// TieBreak is the order of keys that rank people. Defaults to Correct,
	// PredictionDistance, TimeUsed, SubmittedAt.
	// +optional
	// +kubebuilder:default={Correct,PredictionDistance,TimeUsed,SubmittedAt}
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=4
	// +kubebuilder:validation:XValidation:rule="self.all(k, self.exists_one(j, j == k))",message="tieBreak keys must be unique: a key is listed twice"
	// +listType=atomic
	TieBreak []TieBreakKey `json:"tieBreak,omitempty"`

	// IneligibleOrganizations lists organizations whose people may take part but never take a
	// prize (in the plan: the staff of the organizing Department of Information and Communications).
	// +optional
	// +kubebuilder:validation:MaxItems=200
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=300
	// +listType=atomic
	IneligibleOrganizations []string `json:"ineligibleOrganizations,omitempty"`

	// IneligibleUnits lists codes of the contest's unit list (`contest unit import`) whose
	// people, and the people of every unit under them, may take part but never take a prize.
	// Each name of ineligibleOrganizations also counts as every unit it names by name or
	// alias. A code the list lacks stops the ranking with an error rather than exclude nobody.
	// +optional
	// +kubebuilder:validation:MaxItems=200
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=32
	// +kubebuilder:validation:items:Pattern=`^[A-Za-z0-9][A-Za-z0-9_.-]*$`
	// +kubebuilder:validation:XValidation:rule="self.all(c, self.exists_one(d, d == c))",message="ineligibleUnits must be unique: a code is listed twice"
	// +listType=atomic
	IneligibleUnits []string `json:"ineligibleUnits,omitempty"`
}

// WebScaling names the exam web Deployment and the replicas the round needs.
type WebScaling struct {
	// Deployment is the name of the exam web Deployment in the round's namespace. The
	// operator patches its replica count (or its HorizontalPodAutoscaler's minimum) but does
	// not own it.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`
	Deployment string `json:"deployment"`

	// OpenReplicas is wanted from prewarm before opening until the last attempt can end.
	// +optional
	// +kubebuilder:default=3
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=1000
	OpenReplicas *int32 `json:"openReplicas,omitempty"`

	// ClosedReplicas is wanted outside that window.
	// +optional
	// +kubebuilder:default=1
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=1000
	ClosedReplicas *int32 `json:"closedReplicas,omitempty"`

	// Prewarm is how long before opening the Deployment is scaled up (e.g. "30m").
	// +optional
	// +kubebuilder:default="30m"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:MaxLength=20
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`
	Prewarm *metav1.Duration `json:"prewarm,omitempty"`
}

// RoundPhase is where a round is in its life.
// +kubebuilder:validation:Enum=Scheduled;Open;Closed;Ranking;Ranked;Failed
type RoundPhase string

const (
	PhaseScheduled RoundPhase = "Scheduled"
	PhaseOpen      RoundPhase = "Open"
	PhaseClosed    RoundPhase = "Closed"
	PhaseRanking   RoundPhase = "Ranking"
	PhaseRanked    RoundPhase = "Ranked"
	PhaseFailed    RoundPhase = "Failed"
)

// ContestRoundStatus is what the operator observed and did.
type ContestRoundStatus struct {
	// Phase is where the round is: Scheduled, Open, Closed, Ranking, Ranked or Failed.
	// +optional
	Phase RoundPhase `json:"phase,omitempty"`

	// ObservedGeneration is the spec generation this status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Conditions describe the round's state in detail (Open, Scaled, RankingComplete, ...).
	// +optional
	// +listType=map
	// +listMapKey=type
	// +patchStrategy=merge
	// +patchMergeKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`

	// OpenedAt is when the operator observed the round open.
	// +optional
	OpenedAt *metav1.Time `json:"openedAt,omitempty"`

	// ClosedAt is when the operator observed the round close.
	// +optional
	ClosedAt *metav1.Time `json:"closedAt,omitempty"`

	// NextTransitionTime is the next instant the operator will act on this round.
	// +optional
	NextTransitionTime *metav1.Time `json:"nextTransitionTime,omitempty"`

	// Participants is the number of people with at least one submitted attempt.
	// +optional
	Participants int64 `json:"participants,omitempty"`

	// Attempts is the number of submitted attempts.
	// +optional
	Attempts int64 `json:"attempts,omitempty"`

	// PerfectScores is the number of people whose best attempt has every answer right; it is
	// also the true answer to the prediction question.
	// +optional
	PerfectScores int64 `json:"perfectScores,omitempty"`

	// Winners lists the prize winners in prize order, with the values that placed them.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1000
	Winners []Winner `json:"winners,omitempty"`

	// Report points to the full ranking results.
	// +optional
	Report *ReportRef `json:"report,omitempty"`
}

// Winner is one prize winner with the values that placed them. Personal data is masked.
type Winner struct {
	// Prize is the prize's name, as declared in spec.prizes.
	Prize string `json:"prize"`
	// Rank is the winner's place in the ranking (people equal on every key share one).
	Rank int32 `json:"rank"`
	// Name is the winner's full name, published as Vietnamese contests do.
	Name string `json:"name"`
	// MaskedNationalID shows the first 3 and last 2 digits of the national ID.
	MaskedNationalID string `json:"maskedNationalID,omitempty"`
	// Organization is the winner's organization or unit, as registered.
	Organization string `json:"organization,omitempty"`
	// Locality is the winner's commune and district.
	Locality string `json:"locality,omitempty"`
	// Correct is the number of correct answers in the recognized attempt.
	Correct int32 `json:"correct"`
	// Prediction is the answer to the prediction question; -1 when never answered.
	Prediction int64 `json:"prediction"`
	// Distance is |prediction − the actual number of perfect results|.
	Distance int64 `json:"distance"`
	// TimeUsed is the recognized attempt's duration, e.g. "4m12.5s".
	TimeUsed metav1.Duration `json:"timeUsed"`
	// SubmittedAt is when the recognized attempt was submitted.
	SubmittedAt metav1.Time `json:"submittedAt"`
}

// ReportRef points to where the ranking's results are kept.
type ReportRef struct {
	// ConfigMap holding the ranking summary, in the round's namespace.
	// +optional
	ConfigMap string `json:"configMap,omitempty"`
	// Job that computed the ranking.
	// +optional
	Job string `json:"job,omitempty"`
	// Command exports the full report, e.g. "contest report --round NAME --format xlsx".
	// +optional
	Command string `json:"command,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=cr;round;rounds,categories=contest
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.status.phase`
// +kubebuilder:printcolumn:name="Opens",type=string,JSONPath=`.spec.opensAt`
// +kubebuilder:printcolumn:name="Closes",type=string,JSONPath=`.spec.closesAt`
// +kubebuilder:printcolumn:name="Participants",type=integer,JSONPath=`.status.participants`
// +kubebuilder:printcolumn:name="Perfect",type=integer,JSONPath=`.status.perfectScores`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.status) || !has(oldSelf.status.openedAt) || self.spec.opensAt == oldSelf.spec.opensAt",message="opensAt cannot move once the round has opened; extend closesAt instead, or create a new round"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.status) || !has(oldSelf.status.openedAt) || self.spec.exam == oldSelf.spec.exam",message="the exam rules (bank, topics, attempts, time limit) cannot change once the round has opened: people already took attempts under them"

// ContestRound declares one round of an online knowledge contest.
type ContestRound struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +required
	Spec ContestRoundSpec `json:"spec"`

	// +optional
	Status ContestRoundStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// ContestRoundList is a list of ContestRounds.
type ContestRoundList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ContestRound `json:"items"`
}

func init() {
	SchemeBuilder.Register(&ContestRound{}, &ContestRoundList{})
}
