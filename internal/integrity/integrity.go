package integrity

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Kind is one kind of signal.
type Kind string

// The kinds of signal, in the order the console explains them.
const (
	KindFastPerfect       Kind = "fast_perfect"
	KindSharedDevice      Kind = "shared_device"
	KindSharedNetwork     Kind = "shared_network"
	KindSameAnswers       Kind = "same_answers"
	KindRegistrationBurst Kind = "registration_burst"
)

// Kinds lists every kind of signal.
func Kinds() []Kind {
	return []Kind{KindFastPerfect, KindSharedDevice, KindSharedNetwork, KindSameAnswers, KindRegistrationBurst}
}

// Rules are the thresholds of the signals. The first four come from the round
// (spec.integrity); the others are the same for every round.
type Rules struct {
	// FastPerfect: a perfect attempt submitted in less time than this is a signal.
	FastPerfect time.Duration
	// DeviceAccounts and NetworkAccounts: this many different accounts starting attempts
	// from one device, or one network, within Window are a signal.
	DeviceAccounts  int
	NetworkAccounts int
	Window          time.Duration
	// Timeline: two attempts whose starts are within Timeline of each other and whose
	// submissions are too have near-identical timelines.
	Timeline time.Duration
	// MinShared: identical answers count only on at least this many questions both
	// attempts drew and answered.
	MinShared int
	// MaxPairs bounds the pairs of identical answers one call reports (0: no bound), so a
	// flood of identical attempts cannot make the signals outgrow memory.
	MaxPairs int
	// BurstRegistrations within BurstWindow from one network are a signal.
	BurstRegistrations int
	BurstWindow        time.Duration
}

// Defaults of the rules: the round's are also the CRD's defaults (api/v1alpha1), and a test
// keeps them in step.
const (
	DefaultFastPerfect        = 60 * time.Second
	DefaultDeviceAccounts     = 3
	DefaultNetworkAccounts    = 30
	DefaultWindow             = 10 * time.Minute
	DefaultTimeline           = 30 * time.Second
	DefaultMinShared          = 5
	DefaultMaxPairs           = 5000
	DefaultBurstRegistrations = 20
	DefaultBurstWindow        = 10 * time.Minute
)

// DefaultRules returns the default thresholds.
func DefaultRules() Rules {
	return Rules{FastPerfect: DefaultFastPerfect, DeviceAccounts: DefaultDeviceAccounts, NetworkAccounts: DefaultNetworkAccounts,
		Window: DefaultWindow, Timeline: DefaultTimeline, MinShared: DefaultMinShared, MaxPairs: DefaultMaxPairs,
		BurstRegistrations: DefaultBurstRegistrations, BurstWindow: DefaultBurstWindow}
}

// Attempt is what the signals need of one attempt, as the store recorded it.
type Attempt struct {
	ID           int64
	ContestantID int64
	StartedAt    time.Time
	// SubmittedAt is zero while the attempt is in progress.
	SubmittedAt time.Time
	// Submitted: the person submitted it (an attempt closed at its deadline was not).
	Submitted bool
	Correct   int
	Total     int
	// Net is the client's network at the start ("" when not recorded); Device a keyed hash
	// of its user agent (hex, "" when not recorded).
	Net    string
	Device string
	// Saves is how many autosaves the attempt took, FirstSave and LastSave when (zero: none).
	Saves     int
	FirstSave time.Time
	LastSave  time.Time
	// Choices are the options chosen, by bank question (see ChoicesOf); only the identical
	// answers signal reads them, and the store loads them only for its candidates.
	Choices Choices
}

// TimeUsed is submitted − started, zero while in progress.
func (a *Attempt) TimeUsed() time.Duration {
	if a.SubmittedAt.IsZero() {
		return 0
	}
	return a.SubmittedAt.Sub(a.StartedAt)
}

// Registration is one account's registration.
type Registration struct {
	ContestantID int64
	At           time.Time
	Net          string
}

// Signal is one piece of evidence about one person.
type Signal struct {
	Kind         Kind  `json:"kind"`
	ContestantID int64 `json:"contestant"`
	// Key names the evidence: the same evidence found again has the same key.
	Key string `json:"key"`
	// Attempt is the person's attempt it is about (0 for a registration); OtherAttempt the
	// other account's (identical answers).
	Attempt      int64 `json:"attempt,omitempty"`
	OtherAttempt int64 `json:"otherAttempt,omitempty"`
	// Others are the other accounts involved (at most MaxOthers of them), by id.
	Others []int64 `json:"others,omitempty"`
	// Accounts is how many accounts the evidence involves, this one included.
	Accounts int `json:"accounts,omitempty"`
	// From and To bound when it happened (one instant when equal).
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// TimeUsed is the attempt's (fast perfect), Saves its autosaves.
	TimeUsed time.Duration `json:"timeUsed,omitempty"`
	Saves    int           `json:"saves,omitempty"`
	// Correct and Total are the attempt's score.
	Correct int `json:"correct,omitempty"`
	Total   int `json:"total,omitempty"`
	// Shared questions both attempts drew and answered, identically; SharedWrong of them
	// with the same wrong option. StartGap and SubmitGap between the two attempts.
	Shared      int           `json:"shared,omitempty"`
	SharedWrong int           `json:"sharedWrong,omitempty"`
	StartGap    time.Duration `json:"startGap,omitempty"`
	SubmitGap   time.Duration `json:"submitGap,omitempty"`
	// Net is the network it is about (shared device or network, registration burst).
	Net string `json:"net,omitempty"`
	// Limit is the threshold that was crossed (seconds, accounts or registrations), and
	// Window the window it was counted in.
	Limit  int           `json:"limit,omitempty"`
	Window time.Duration `json:"window,omitempty"`
}

// MaxOthers bounds the accounts a signal names (Accounts still counts them all).
const MaxOthers = 20

func key(k Kind, ids ...int64) string {
	s := string(k)
	for _, id := range ids {
		s += fmt.Sprintf(":%d", id)
	}
	return s
}

// Sort orders signals by person, then kind (in Kinds order), then time, then key: the
// order the console lists them in, whatever order they were found in.
func Sort(signals []Signal) {
	rank := map[Kind]int{}
	for i, k := range Kinds() {
		rank[k] = i
	}
	slices.SortFunc(signals, func(a, b Signal) int {
		switch {
		case a.ContestantID != b.ContestantID:
			return cmp.Compare(a.ContestantID, b.ContestantID)
		case a.Kind != b.Kind:
			return rank[a.Kind] - rank[b.Kind]
		case !a.From.Equal(b.From):
			return a.From.Compare(b.From)
		}
		return cmp.Compare(a.Key, b.Key)
	})
}
