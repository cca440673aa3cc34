package unit

import (
	"strings"
	"unicode"
)

// By says how a typed name matched a unit.
type By string

const (
	ByCode  By = "code"
	ByName  By = "name"
	ByAlias By = "alias"
)

// Match is one unit a typed name names.
type Match struct {
	Unit Unit
	By   By
}

// Index finds units by code, name and alias, and walks the tree. It is built once per list
// and safe for concurrent reads.
type Index struct {
	units  []Unit
	byCode map[string]int
	byKey  map[string][]int // name or alias key → units, in list order
	// how records, per byKey entry, whether each unit matched by name or by alias.
	how map[string][]By
}

// NewIndex indexes a list (one that passed Validate or came from Parse).
func NewIndex(us []Unit) *Index {
	ix := &Index{units: us, byCode: make(map[string]int, len(us)), byKey: map[string][]int{}, how: map[string][]By{}}
	for i, u := range us {
		if _, dup := ix.byCode[u.Code]; !dup {
			ix.byCode[u.Code] = i
		}
		ix.addKey(Key(u.Name), i, ByName)
		for _, a := range u.Aliases {
			ix.addKey(Key(a), i, ByAlias)
		}
	}
	return ix
}

func (ix *Index) addKey(k string, i int, by By) {
	for _, j := range ix.byKey[k] {
		if j == i {
			return
		}
	}
	ix.byKey[k] = append(ix.byKey[k], i)
	ix.how[k] = append(ix.how[k], by)
}

// Units returns the indexed list.
func (ix *Index) Units() []Unit { return ix.units }

// ByCode returns the unit with code (exact, case-sensitive).
func (ix *Index) ByCode(code string) (Unit, bool) {
	i, ok := ix.byCode[code]
	if !ok {
		return Unit{}, false
	}
	return ix.units[i], true
}

// Match returns the units a typed text names: the unit whose code it is exactly, or else
// every unit whose name or alias it is (compared by Key: whole names, without case or
// diacritics). One match is certain; several mean the name is ambiguous (two districts'
// "Phòng Tư pháp") and a person must choose; none means the text names no unit. There is
// no partial or fuzzy matching.
func (ix *Index) Match(typed string) []Match {
	if u, ok := ix.ByCode(NormalizeName(typed)); ok {
		return []Match{{Unit: u, By: ByCode}}
	}
	return ix.Named(typed)
}

// Named is Match without codes: the units whose name or alias the text is.
func (ix *Index) Named(name string) []Match {
	k := Key(name)
	if k == "" {
		return nil
	}
	is := ix.byKey[k]
	out := make([]Match, len(is))
	for n, i := range is {
		out[n] = Match{Unit: ix.units[i], By: ix.how[k][n]}
	}
	return out
}

// Ancestors returns the codes above code, its parent first, up to its top-level unit;
// none for an unknown code. The walk stops after MaxUnits steps, should a list built in
// code hold a cycle.
func (ix *Index) Ancestors(code string) []string {
	var out []string
	i, ok := ix.byCode[code]
	for steps := 0; ok && ix.units[i].ParentCode != "" && steps < MaxUnits; steps++ {
		p := ix.units[i].ParentCode
		out = append(out, p)
		i, ok = ix.byCode[p]
	}
	return out
}

// Parents returns the tree as a map of code to parent code, top-level units absent.
func Parents(us []Unit) map[string]string {
	m := make(map[string]string, len(us))
	for _, u := range us {
		if u.ParentCode != "" {
			m[u.Code] = u.ParentCode
		}
	}
	return m
}

// SearchWords splits a text into the words a type-ahead searches by: Key's form (no case,
// no diacritics) cut at every character that is not a letter or a digit, so "Sở TT&TT"
// gives so, tt, tt. A list offers units whose words start with each word typed; unlike
// Match, this only suggests, and a person chooses.
func SearchWords(s string) []string {
	return strings.FieldsFunc(Key(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Words returns the distinct search words of a unit: of its code, name and aliases.
func (u Unit) Words() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append([]string{u.Code, u.Name}, u.Aliases...) {
		for _, w := range SearchWords(s) {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}
