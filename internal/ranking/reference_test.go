package ranking

import (
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// reference ranks the straightforward way, sharing no code with the package: hold every
// attempt, sort each person's attempts to pick the best, sort people with a comparator,
// and fill an expanded list of prize places. It is what the package must agree with.
func reference(rules Rules, people map[int64]Person, attempts []Attempt) Result {
	keys := rules.TieBreak
	if len(keys) == 0 {
		keys = []Key{"Correct", "PredictionDistance", "TimeUsed", "SubmittedAt"}
	}
	byPerson := map[int64][]Attempt{}
	for _, a := range attempts {
		byPerson[a.PersonID] = append(byPerson[a.PersonID], a)
	}
	var best []Attempt
	for _, as := range byPerson {
		sort.Slice(as, func(i, j int) bool {
			a, b := as[i], as[j]
			switch {
			case a.Correct != b.Correct:
				return a.Correct > b.Correct
			case !a.SubmittedAt.Equal(b.SubmittedAt):
				return a.SubmittedAt.Before(b.SubmittedAt)
			case a.TimeUsed != b.TimeUsed:
				return a.TimeUsed < b.TimeUsed
			}
			return a.AttemptID < b.AttemptID
		})
		best = append(best, as[0])
	}
	var actual int64
	for _, a := range best {
		if a.Total > 0 && a.Correct == a.Total {
			actual++
		}
	}
	dist := func(a Attempt) int64 {
		if d := a.Prediction - actual; d > 0 {
			return d
		}
		return actual - a.Prediction
	}
	// before: -1 a first, +1 b first, 0 same rank.
	before := func(a, b Attempt) int {
		for _, k := range keys {
			var less, more bool
			switch k {
			case "Correct":
				less, more = a.Correct > b.Correct, a.Correct < b.Correct
			case "PredictionDistance":
				less, more = dist(a) < dist(b), dist(a) > dist(b)
			case "TimeUsed":
				less, more = a.TimeUsed < b.TimeUsed, a.TimeUsed > b.TimeUsed
			case "SubmittedAt":
				less, more = a.SubmittedAt.Before(b.SubmittedAt), a.SubmittedAt.After(b.SubmittedAt)
			}
			if less {
				return -1
			}
			if more {
				return 1
			}
		}
		return 0
	}
	sort.Slice(best, func(i, j int) bool {
		if c := before(best[i], best[j]); c != 0 {
			return c < 0
		}
		return best[i].PersonID < best[j].PersonID
	})

	res := Result{TieBreak: keys, Actual: actual, Participants: len(best), Attempts: len(attempts)}
	squash := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for i, a := range best {
		e := Entry{PersonID: a.PersonID, AttemptID: a.AttemptID, Rank: i + 1, Correct: a.Correct, Total: a.Total,
			Prediction: a.Prediction, Distance: dist(a), TimeUsed: a.TimeUsed, SubmittedAt: a.SubmittedAt.UTC(), Eligible: true}
		if i > 0 && before(best[i-1], a) == 0 {
			e.Rank = res.Entries[i-1].Rank
		}
		p := people[a.PersonID]
		var why []string
		if p.Ineligible {
			flag := "flagged by organizers"
			if note := strings.Join(strings.Fields(strings.ReplaceAll(p.FlagNote, ";", ",")), " "); note != "" {
				flag += ": " + note
			}
			why = append(why, flag)
		}
		if w := referenceUnitReason(rules, p.UnitCode); w != "" {
			why = append(why, w)
		} else {
			for _, o := range rules.IneligibleOrganizations {
				if strings.EqualFold(squash(o), squash(p.Organization)) {
					why = append(why, `organization "`+strings.TrimSpace(o)+`" is excluded`)
					break
				}
			}
		}
		if len(why) > 0 {
			e.Eligible, e.IneligibleReason = false, strings.Join(why, "; ")
		}
		res.Entries = append(res.Entries, e)
	}

	// Prize places, expanded one per place, each marked once given or held.
	var places []int // level of each place
	for k, p := range rules.Prizes {
		for range p.Count {
			places = append(places, k)
		}
	}
	used := make([]bool, len(places))
	openOf := func(k int) int {
		n := 0
		for i, l := range places {
			if l == k && !used[i] {
				n++
			}
		}
		return n
	}
	done := map[int]bool{}
	for k, p := range rules.Prizes {
		var free []int
		for j, e := range res.Entries {
			if e.Eligible && !done[j] {
				free = append(free, j)
			}
		}
		// Passed over: below the condition, with fewer free eligible people strictly above
		// than the level has open places.
		for _, j := range free {
			above := 0
			for _, f := range free {
				if res.Entries[f].Rank < res.Entries[j].Rank {
					above++
				}
			}
			if res.Entries[j].Correct < p.MinCorrect && above < openOf(k) && res.Entries[j].BelowCondition == "" {
				res.Entries[j].BelowCondition = p.Name
			}
		}
		var cands []int
		for _, j := range free {
			if res.Entries[j].Correct >= p.MinCorrect {
				cands = append(cands, j)
			}
		}
		for i := 0; i < len(cands) && openOf(k) > 0; {
			var group []int
			for j := i; j < len(cands) && res.Entries[cands[j]].Rank == res.Entries[cands[i]].Rank; j++ {
				group = append(group, cands[j])
			}
			i += len(group)
			if len(group) <= openOf(k) {
				taken := 0
				for n := range places {
					if places[n] == k && !used[n] && taken < len(group) {
						used[n] = true
						taken++
					}
				}
				for _, g := range group {
					done[g] = true
					res.Entries[g].Prize = p.Name
				}
				continue
			}
			tie := BoundaryTie{Rank: res.Entries[group[0]].Rank}
			for _, g := range group {
				done[g] = true
				res.Entries[g].TieAtBoundary = true
				tie.PersonIDs = append(tie.PersonIDs, res.Entries[g].PersonID)
			}
			taken := 0
			for n := range places {
				if places[n] < k || used[n] || taken == len(group) {
					continue
				}
				used[n] = true
				taken++
				name := rules.Prizes[places[n]].Name
				if m := len(tie.Places); m > 0 && tie.Places[m-1].Prize == name {
					tie.Places[m-1].Count++
				} else {
					tie.Places = append(tie.Places, Place{Prize: name, Count: 1})
				}
			}
			res.BoundaryTies = append(res.BoundaryTies, tie)
		}
	}
	for _, p := range rules.Prizes {
		for _, e := range res.Entries {
			if e.Prize == p.Name {
				res.Winners = append(res.Winners, e)
			}
		}
	}
	return res
}

// referenceUnitReason is the unit rule the plain way: a unit is excluded when the rules
// list its code, or when an ineligible organization is its name or one of its aliases read
// without case, diacritics or extra spaces; a person is excluded by their unit or the
// nearest excluded unit above it, found by scanning the list for each parent.
func referenceUnitReason(rules Rules, code string) string {
	plain := func(s string) string {
		var b strings.Builder
		for _, r := range norm.NFD.String(strings.Join(strings.Fields(s), " ")) {
			switch {
			case unicode.Is(unicode.Mn, r):
			case r == 'đ' || r == 'Đ':
				b.WriteRune('d')
			default:
				b.WriteRune(unicode.ToLower(r))
			}
		}
		return b.String()
	}
	excluded := func(c string) bool {
		if slices.Contains(rules.IneligibleUnits, c) {
			return true
		}
		for _, u := range rules.Units {
			if u.Code != c {
				continue
			}
			for _, o := range rules.IneligibleOrganizations {
				for _, n := range append([]string{u.Name}, u.Aliases...) {
					if plain(o) != "" && plain(o) == plain(n) {
						return true
					}
				}
			}
		}
		return false
	}
	parent := func(c string) string {
		for _, u := range rules.Units {
			if u.Code == c {
				return u.ParentCode
			}
		}
		return ""
	}
	if code == "" {
		return ""
	}
	if excluded(code) {
		return `unit "` + code + `" is excluded`
	}
	for p := parent(code); p != ""; p = parent(p) {
		if excluded(p) {
			return `unit "` + code + `" is under excluded unit "` + p + `"`
		}
	}
	return ""
}

// canonical makes two results that mean the same compare equal with reflect.DeepEqual:
// empty slices become nil and times are rebuilt from Unix nanoseconds in UTC.
func canonical(r Result) Result {
	if len(r.Entries) == 0 {
		r.Entries = nil
	}
	if len(r.Winners) == 0 {
		r.Winners = nil
	}
	if len(r.BoundaryTies) == 0 {
		r.BoundaryTies = nil
	}
	for _, es := range [][]Entry{r.Entries, r.Winners} {
		for i := range es {
			es[i].SubmittedAt = time.Unix(0, es[i].SubmittedAt.UnixNano()).UTC()
		}
	}
	return r
}
