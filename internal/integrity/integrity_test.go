package integrity

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dxcontest/contest-platform/internal/exam"
)

var t0 = time.Date(2024, 8, 17, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600))

func at(seconds float64) time.Time { return t0.Add(time.Duration(seconds * float64(time.Second))) }

// done is an attempt the person submitted: started at start seconds, taking used seconds.
func done(id, person int64, start, used float64, correct int) Attempt {
	return Attempt{ID: id, ContestantID: person, StartedAt: at(start), SubmittedAt: at(start + used), Submitted: true,
		Correct: correct, Total: 15}
}

func people(signals []Signal) []int64 {
	var out []int64
	for _, s := range signals {
		if !slices.Contains(out, s.ContestantID) {
			out = append(out, s.ContestantID)
		}
	}
	slices.Sort(out)
	return out
}

func TestFastPerfects(t *testing.T) {
	r := DefaultRules() // 60 s
	expired := done(5, 5, 0, 20, 15)
	expired.Submitted = false
	inProgress := Attempt{ID: 6, ContestantID: 6, StartedAt: at(0), Total: 15, Correct: 15}
	tests := []struct {
		name    string
		attempt Attempt
		flagged bool
	}{
		{"perfect in 42 s", done(1, 1, 0, 42, 15), true},
		{"perfect in 59.999 s", done(2, 2, 0, 59.999, 15), true},
		{"near miss: perfect in exactly 60 s", done(3, 3, 0, 60, 15), false},
		{"near miss: 14 of 15 in 20 s", done(4, 4, 0, 20, 14), false},
		{"near miss: closed at its deadline, not submitted", expired, false},
		{"in progress", inProgress, false},
		{"no questions", Attempt{ID: 7, ContestantID: 7, StartedAt: at(0), SubmittedAt: at(1), Submitted: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FastPerfects([]Attempt{tt.attempt}, r)
			if (len(got) == 1) != tt.flagged || len(got) > 1 {
				t.Fatalf("got %+v, want flagged = %v", got, tt.flagged)
			}
			if tt.flagged {
				s := got[0]
				if s.Kind != KindFastPerfect || s.ContestantID != tt.attempt.ContestantID || s.Attempt != tt.attempt.ID ||
					s.Key != fmt.Sprintf("fast_perfect:%d", tt.attempt.ID) || s.TimeUsed != tt.attempt.TimeUsed() || s.Limit != 60 {
					t.Errorf("signal %+v", s)
				}
			}
		})
	}
	// The threshold is the round's.
	r.FastPerfect = 30 * time.Second
	if got := FastPerfects([]Attempt{done(1, 1, 0, 42, 15)}, r); len(got) != 0 {
		t.Errorf("42 s with a 30 s threshold: %+v", got)
	}
}

// starts makes attempts of the given accounts, one each, at the given seconds, from net
// and device.
func starts(net, device string, firstID int64, accounts []int64, seconds []float64) []Attempt {
	var out []Attempt
	for i, p := range accounts {
		a := done(firstID+int64(i), p, seconds[i], 300, 10)
		a.Net, a.Device = net, device
		out = append(out, a)
	}
	return out
}

func TestSharedDevices(t *testing.T) {
	r := DefaultRules() // 3 accounts within 10 minutes
	const net, ua = "113.161.12.0/24", "9f86d081884c7d65"
	tests := []struct {
		name     string
		attempts []Attempt
		want     []int64
	}{
		{"three accounts on one device within 9 minutes",
			starts(net, ua, 1, []int64{1, 2, 3}, []float64{0, 240, 540}), []int64{1, 2, 3}},
		{"near miss: the third 10 minutes and 1 second after the first",
			starts(net, ua, 1, []int64{1, 2, 3}, []float64{0, 240, 601}), nil},
		{"near miss: two accounts, one of them three times",
			starts(net, ua, 1, []int64{1, 2, 1, 1}, []float64{0, 60, 120, 180}), nil},
		{"near miss: three accounts, two browsers",
			append(starts(net, ua, 1, []int64{1, 2}, []float64{0, 60}), starts(net, "0000000000000000", 3, []int64{3}, []float64{120})...), nil},
		{"near miss: one browser on three networks",
			append(append(starts(net, ua, 1, []int64{1}, []float64{0}), starts("14.0.0.0/24", ua, 2, []int64{2}, []float64{60})...),
				starts("2001:db8::/64", ua, 3, []int64{3}, []float64{120})...), nil},
		{"not recorded (attempts from before the recording)",
			starts("", "", 1, []int64{1, 2, 3}, []float64{0, 1, 2}), nil},
		{"a chain: accounts 1–3 then 4 within the window of 2–3",
			starts(net, ua, 1, []int64{1, 2, 3, 4}, []float64{0, 300, 500, 800}), []int64{1, 2, 3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SharedDevices(tt.attempts, r)
			if p := people(got); !slices.Equal(p, tt.want) {
				t.Fatalf("flagged %v, want %v: %+v", p, tt.want, got)
			}
			for _, s := range got {
				if s.Kind != KindSharedDevice || s.Accounts != len(tt.want) || len(s.Others) != len(tt.want)-1 ||
					slices.Contains(s.Others, s.ContestantID) || s.Net != net || s.Limit != 3 || s.Window != 10*time.Minute ||
					!s.From.Equal(tt.attempts[0].StartedAt) {
					t.Errorf("signal %+v", s)
				}
			}
		})
	}
}

func TestSharedNetworks(t *testing.T) {
	r := DefaultRules()
	r.NetworkAccounts = 5
	accounts := []int64{11, 12, 13, 14, 15}
	tests := []struct {
		name     string
		attempts []Attempt
		want     []int64
	}{
		{"five accounts, five browsers, one network, in 2 minutes", func() []Attempt {
			var out []Attempt
			for i, p := range accounts {
				out = append(out, starts("10.1.2.0/24", fmt.Sprintf("%016x", i), int64(i+1), []int64{p}, []float64{float64(i * 30)})...)
			}
			return out
		}(), accounts},
		{"near miss: four accounts", starts("10.1.2.0/24", "", 1, accounts[:4], []float64{0, 1, 2, 3}), nil},
		{"near miss: five accounts over 40 minutes", starts("10.1.2.0/24", "", 1, accounts, []float64{0, 600, 1200, 1800, 2400}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SharedNetworks(tt.attempts, r)
			if p := people(got); !slices.Equal(p, tt.want) {
				t.Fatalf("flagged %v, want %v: %+v", p, tt.want, got)
			}
		})
	}
}

func TestSharedKeysStayWhenTheRunGrows(t *testing.T) {
	r := DefaultRules()
	first := starts("10.1.2.0/24", "aa", 1, []int64{1, 2, 3}, []float64{0, 10, 20})
	grown := append(first, starts("10.1.2.0/24", "aa", 4, []int64{4}, []float64{30})...)
	before, after := SharedDevices(first, r), SharedDevices(grown, r)
	for _, s := range before {
		if !slices.ContainsFunc(after, func(o Signal) bool { return o.Key == s.Key }) {
			t.Errorf("key %s of account %d is gone once a fourth account joined", s.Key, s.ContestantID)
		}
	}
	if len(after) != 4 || after[0].Accounts != 4 {
		t.Errorf("after: %+v", after)
	}
}

func TestOthersAreBounded(t *testing.T) {
	var accounts []int64
	var seconds []float64
	for i := range 50 {
		accounts, seconds = append(accounts, int64(i+1)), append(seconds, float64(i))
	}
	got := SharedNetworks(starts("10.0.0.0/24", "", 1, accounts, seconds), DefaultRules())
	if len(got) != 50 {
		t.Fatalf("%d signals", len(got))
	}
	for _, s := range got {
		if len(s.Others) != MaxOthers || s.Accounts != 50 {
			t.Fatalf("signal names %d others of %d accounts", len(s.Others), s.Accounts)
		}
	}
}

// paper draws questions ids with the identity option order (A is the bank's option 0).
func paper(ids ...string) exam.Paper {
	var p exam.Paper
	for _, id := range ids {
		p.Items = append(p.Items, exam.Item{QuestionID: id, Order: "0123"})
	}
	return p
}

func TestChoicesOf(t *testing.T) {
	p := exam.Paper{Items: []exam.Item{{QuestionID: "q1", Order: "2031"}, {QuestionID: "q2", Order: "0123"}, {QuestionID: "q3", Order: "3210"}}}
	got := ChoicesOf(p, exam.Answers{0: "A", 2: "B", 7: "A"})
	want := Choices{"q1": 2, "q2": Unanswered, "q3": 2}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// A letter the paper does not show reads as unanswered.
	if got := ChoicesOf(p, exam.Answers{1: "F"}); got["q2"] != Unanswered {
		t.Errorf("F of 4 options: %v", got)
	}
}

func TestSameAnswers(t *testing.T) {
	r := DefaultRules() // 30 s, 5 shared
	key := Key{"q1": 0, "q2": 0, "q3": 0, "q4": 0, "q5": 0, "q6": 0, "q7": 0, "q8": 0}
	// Two papers sharing q1–q6; each also has a question of its own.
	pa, pb := paper("q1", "q2", "q3", "q4", "q5", "q6", "q7"), paper("q8", "q6", "q5", "q4", "q3", "q2", "q1")
	answersA := exam.Answers{0: "A", 1: "B", 2: "A", 3: "A", 4: "C", 5: "A", 6: "A"}
	// The same options on q1–q6 at the other paper's positions; q8 is B's own.
	answersB := exam.Answers{0: "D", 1: "A", 2: "C", 3: "A", 4: "A", 5: "B", 6: "A"}
	mk := func(id, person int64, start, used float64, p exam.Paper, ans exam.Answers) Attempt {
		a := done(id, person, start, used, 5)
		a.Choices = ChoicesOf(p, ans)
		return a
	}
	changed := func(ans exam.Answers, item int, letter string) exam.Answers {
		out := exam.Answers{}
		for k, v := range ans {
			out[k] = v
		}
		if letter == "" {
			delete(out, item)
		} else {
			out[item] = letter
		}
		return out
	}
	tests := []struct {
		name  string
		a, b  Attempt
		want  bool
		wrong int
	}{
		{"same options on 6 shared questions, started 4 s and submitted 3 s apart",
			mk(1, 1, 0, 300, pa, answersA), mk(2, 2, 4, 299, pb, answersB), true, 2},
		{"near miss: one shared answer differs",
			mk(1, 1, 0, 300, pa, answersA), mk(2, 2, 4, 299, pb, changed(answersB, 1, "B")), false, 0},
		{"near miss: started 31 s apart",
			mk(1, 1, 0, 300, pa, answersA), mk(2, 2, 31, 270, pb, answersB), false, 0},
		{"near miss: submitted 31 s apart",
			mk(1, 1, 0, 300, pa, answersA), mk(2, 2, 4, 327, pb, answersB), false, 0},
		{"near miss: only 4 shared questions answered (two blank on both)",
			mk(1, 1, 0, 300, pa, changed(changed(answersA, 0, ""), 1, "")), mk(2, 2, 4, 299, pb, changed(changed(answersB, 6, ""), 5, "")), false, 0},
		{"near miss: the same account twice",
			mk(1, 1, 0, 300, pa, answersA), mk(2, 1, 4, 299, pb, answersB), false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SameAnswers([]Attempt{tt.b, tt.a}, r, key)
			if (len(got) > 0) != tt.want {
				t.Fatalf("got %+v, want flagged = %v", got, tt.want)
			}
			if !tt.want {
				return
			}
			if len(got) != 2 || people(got)[0] != 1 || people(got)[1] != 2 {
				t.Fatalf("got %+v", got)
			}
			for _, s := range got {
				if s.Shared != 6 || s.SharedWrong != tt.wrong || s.StartGap != 4*time.Second || s.SubmitGap != 3*time.Second ||
					s.Others[0] == s.ContestantID || s.OtherAttempt == s.Attempt ||
					s.Key != fmt.Sprintf("same_answers:%d:%d", s.Attempt, s.OtherAttempt) {
					t.Errorf("signal %+v", s)
				}
			}
		})
	}
}

func TestRegistrationBursts(t *testing.T) {
	r := DefaultRules()
	r.BurstRegistrations = 4
	regs := func(net string, seconds ...float64) []Registration {
		var out []Registration
		for i, s := range seconds {
			out = append(out, Registration{ContestantID: int64(i + 1), At: at(s), Net: net})
		}
		return out
	}
	tests := []struct {
		name string
		regs []Registration
		want []int64
	}{
		{"four registrations in 3 minutes", regs("10.9.8.0/24", 0, 60, 120, 180), []int64{1, 2, 3, 4}},
		{"near miss: three in 3 minutes", regs("10.9.8.0/24", 0, 60, 120), nil},
		{"near miss: four over 11 minutes", regs("10.9.8.0/24", 0, 220, 440, 660), nil},
		{"near miss: four networks", append(append(regs("10.9.8.0/24", 0), regs("10.9.9.0/24", 60)...), regs("10.9.10.0/24", 120)...), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RegistrationBursts(tt.regs, r)
			if p := people(got); !slices.Equal(p, tt.want) {
				t.Fatalf("flagged %v, want %v", p, tt.want)
			}
			for _, s := range got {
				if s.Key != fmt.Sprintf("registration_burst:%d", s.ContestantID) || s.Attempt != 0 || s.Accounts != 4 {
					t.Errorf("signal %+v", s)
				}
			}
		})
	}
}

func TestPending(t *testing.T) {
	signals := []Signal{
		{Kind: KindSharedNetwork, ContestantID: 1, Key: "shared_network:10"},
		{Kind: KindFastPerfect, ContestantID: 2, Key: "fast_perfect:20"},
		{Kind: KindSharedNetwork, ContestantID: 2, Key: "shared_network:20"},
		{Kind: KindSharedNetwork, ContestantID: 3, Key: "shared_network:30"},
		{Kind: KindFastPerfect, ContestantID: 4, Key: "fast_perfect:40"},
		{Kind: KindFastPerfect, ContestantID: 4, Key: "fast_perfect:41"},
		{Kind: KindSameAnswers, ContestantID: 5, Key: "same_answers:50:60"},
	}
	reviewed := map[int64]Reviewed{
		// Dismissed with all of its evidence: stays out.
		3: {Latest: Dismissed, Covered: map[string]bool{"shared_network:30": true}},
		// Dismissed for one attempt; a second fast perfect attempt is new evidence.
		4: {Latest: Dismissed, Covered: map[string]bool{"fast_perfect:40": true}},
	}
	excluded := func(id int64) bool { return id == 5 }
	got := Pending(signals, reviewed, excluded)
	var order []int64
	for _, e := range got {
		order = append(order, e.ContestantID)
	}
	// 2 (fast + network: 5), 4 (fast twice: 4), 1 (network: 1); 3 dismissed, 5 excluded.
	if !slices.Equal(order, []int64{2, 4, 1}) {
		t.Fatalf("queue %v", order)
	}
	if !got[1].Reopened || len(got[1].Signals) != 2 || got[0].Reopened {
		t.Errorf("entries %+v", got)
	}
	if !slices.Equal(got[0].Kinds, []Kind{KindFastPerfect, KindSharedNetwork}) {
		t.Errorf("kinds %v", got[0].Kinds)
	}
}

func TestParseDecision(t *testing.T) {
	for s, ok := range map[string]bool{"excluded": true, "dismissed": true, "": false, "Excluded": false, "delete": false} {
		if _, got := ParseDecision(s); got != ok {
			t.Errorf("%q: %v", s, got)
		}
	}
}

// The store narrows what it reads to the attempts of dense time buckets: those whose
// bucket, with the next or the previous one (each as wide as the window), holds enough
// accounts of the group. Any window with enough accounts lies in two adjacent buckets, so
// the signals found from the narrowed attempts are the same as from all of them.
func TestSharedSignalsSurviveTheStoresNarrowing(t *testing.T) {
	r := DefaultRules()
	r.NetworkAccounts = 4
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		var all []Attempt
		for i := range 60 {
			all = append(all, Attempt{ID: int64(i + 1), ContestantID: int64(rng.IntN(25) + 1),
				StartedAt: at(float64(rng.IntN(7200))), Net: fmt.Sprintf("10.0.%d.0/24", rng.IntN(3)), Device: fmt.Sprint(rng.IntN(2))})
		}
		for _, tc := range []struct {
			find  func([]Attempt, Rules) []Signal
			need  int
			group func(Attempt) string
		}{
			{SharedDevices, r.DeviceAccounts, func(a Attempt) string { return a.Net + "|" + a.Device }},
			{SharedNetworks, r.NetworkAccounts, func(a Attempt) string { return a.Net }},
		} {
			bucket := func(a Attempt) int64 { return a.StartedAt.Unix() / int64(r.Window.Seconds()) }
			accounts := map[string]map[int64]bool{} // group and pair of buckets → accounts
			for _, a := range all {
				for _, pk := range []int64{bucket(a), bucket(a) - 1} {
					k := fmt.Sprint(tc.group(a), pk)
					if accounts[k] == nil {
						accounts[k] = map[int64]bool{}
					}
					accounts[k][a.ContestantID] = true
				}
			}
			var narrowed []Attempt
			for _, a := range all {
				if len(accounts[fmt.Sprint(tc.group(a), bucket(a))]) >= tc.need || len(accounts[fmt.Sprint(tc.group(a), bucket(a)-1)]) >= tc.need {
					narrowed = append(narrowed, a)
				}
			}
			full, less := tc.find(all, r), tc.find(narrowed, r)
			Sort(full)
			Sort(less)
			if fmt.Sprint(full) != fmt.Sprint(less) {
				t.Fatalf("trial %d: %d signals from all attempts, %d from the %d narrowed ones:\n%v\n%v", trial, len(full), len(less), len(narrowed), full, less)
			}
		}
	}
}

// An attempt in no dense window (z: its account's second start, between two dense
// windows) does not split a run: leaving it out, as the store may, changes nothing.
func TestRunsIgnoreAttemptsInNoWindow(t *testing.T) {
	r := DefaultRules() // 3 accounts within 10 minutes
	minutes := func(m float64) float64 { return m * 60 }
	all := starts("10.0.0.0/24", "aa", 1, []int64{1, 2, 3, 3, 5, 6, 7},
		[]float64{minutes(-9), minutes(-8), 0, minutes(5), minutes(10), minutes(19), minutes(20)})
	without := append(append([]Attempt{}, all[:3]...), all[4:]...)
	full, less := SharedDevices(all, r), SharedDevices(without, r)
	if fmt.Sprint(full) != fmt.Sprint(less) {
		t.Fatalf("with the lone attempt:\n%v\nwithout it:\n%v", full, less)
	}
	if len(full) != 6 || full[0].Accounts != 6 {
		t.Errorf("one run of 6 accounts expected: %+v", full)
	}
}

func TestSameAnswersAreBounded(t *testing.T) {
	r := DefaultRules()
	r.MaxPairs = 3
	p := paper("q1", "q2", "q3", "q4", "q5")
	var all []Attempt
	for i := range 10 { // ten identical attempts: 45 pairs
		a := done(int64(i+1), int64(i+1), float64(i), 300, 5)
		a.Choices = ChoicesOf(p, exam.Answers{0: "A", 1: "A", 2: "A", 3: "A", 4: "A"})
		all = append(all, a)
	}
	if got := SameAnswers(all, r, nil); len(got) != 6 {
		t.Errorf("%d signals, want the 3 pairs allowed", len(got))
	}
	r.MaxPairs = 0
	if got := SameAnswers(all, r, nil); len(got) != 90 {
		t.Errorf("%d signals without a bound, want 90", len(got))
	}
}
