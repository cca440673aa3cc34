package integrity

// FastPerfects returns a signal for each attempt the person submitted with every answer
// right in less time than r.FastPerfect. An attempt closed at its deadline was not
// submitted by anyone and never counts; one exactly at the threshold does not either.
func FastPerfects(attempts []Attempt, r Rules) []Signal {
	var out []Signal
	for i := range attempts {
		a := &attempts[i]
		if !a.Submitted || a.Total <= 0 || a.Correct != a.Total || a.SubmittedAt.IsZero() {
			continue
		}
		used := a.TimeUsed()
		if used >= r.FastPerfect {
			continue
		}
		out = append(out, Signal{Kind: KindFastPerfect, ContestantID: a.ContestantID, Key: key(KindFastPerfect, a.ID),
			Attempt: a.ID, Accounts: 1, From: a.StartedAt, To: a.SubmittedAt, TimeUsed: used, Saves: a.Saves,
			Correct: a.Correct, Total: a.Total, Limit: int(r.FastPerfect.Seconds())})
	}
	return out
}
