package reporttest

import (
	"testing"
	"time"
)

// Count is an expected number of participants and finished attempts.
type Count struct{ Participants, Attempts int64 }

// ByPerson counts the finished attempts in Round per value of key, straight from the
// fixture's definition: what the report must show.
func (f *Fixture) ByPerson(key func(Person) string) map[string]Count {
	out := map[string]Count{}
	for _, p := range f.People {
		n := int64(0)
		for _, a := range p.Attempts {
			if a.round() == Round && a.Status != "in_progress" {
				n++
			}
		}
		if n > 0 {
			c := out[key(p)]
			out[key(p)] = Count{c.Participants + 1, c.Attempts + n}
		}
	}
	return out
}

// Day is an expected line of the by-day table.
type Day struct{ Attempts, NewParticipants int64 }

// ByDay counts the finished attempts in Round per day they started in loc, and the people
// whose first such attempt started that day; days are "2006-01-02".
func (f *Fixture) ByDay(t testing.TB, loc *time.Location) map[string]Day {
	out := map[string]Day{}
	for _, p := range f.People {
		first := ""
		for _, a := range p.Attempts {
			if a.round() != Round || a.Status == "in_progress" {
				continue
			}
			day := a.start(t).In(loc).Format(time.DateOnly)
			d := out[day]
			d.Attempts++
			out[day] = d
			if first == "" || day < first {
				first = day
			}
		}
		if first != "" {
			d := out[first]
			d.NewParticipants++
			out[first] = d
		}
	}
	return out
}
