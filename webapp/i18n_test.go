package webapp

import (
	"go/ast"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/integrity"
	"github.com/dxcontest/contest-platform/internal/locale"
	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/testutil/gosource"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// The packages whose texts are in the catalogs: the web app, and the domain packages whose
// codes it translates (and that read their own Vietnamese texts there).
var textPackages = []string{".", "../internal/person", "../internal/exam", "../internal/attempt"}

// keyArg is where the key is among the arguments of the functions that take one.
var keyArg = map[string]int{"T": 0, "fail": 2, "failAny": 2, "consoleFail": 2}

// A key is lower-case dotted words; a prefix is one with a trailing dot, completed in code.
var (
	keyLike    = regexp.MustCompile(`^[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$`)
	prefixLike = regexp.MustCompile(`^[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*\.$`)
)

// dynamicKeys are the keys made at run time, by a printf pattern in a template or a prefix
// in Go, with every value they are completed with. A new pattern or prefix fails the test
// until it is listed here.
func dynamicKeys(fieldNames []string) map[string][]string {
	var phases []string
	for _, p := range []contestv1alpha1.RoundPhase{contestv1alpha1.PhaseScheduled, contestv1alpha1.PhaseOpen,
		contestv1alpha1.PhaseClosed, contestv1alpha1.PhaseRanking, contestv1alpha1.PhaseRanked, contestv1alpha1.PhaseFailed} {
		phases = append(phases, string(p))
	}
	var roles []string
	for _, r := range organizer.Roles() {
		roles = append(roles, string(r))
	}
	var groups []string
	for _, g := range person.Groups() {
		groups = append(groups, string(g))
	}
	return map[string][]string{
		"round.state.%s":       {"scheduled", "open", "closed", "suspended"}, // what roundState returns
		"status.%s":            {attempt.StatusInProgress, attempt.StatusSubmitted, attempt.StatusExpired},
		"field.%s":             fieldNames, // the "field" template's label
		"console.phase.%s":     phases,
		"console.phase.":       phases,
		"console.cond.status.": {string(metav1.ConditionTrue), string(metav1.ConditionFalse), string(metav1.ConditionUnknown)},
		// The conditions with a label; the console shows any other by its type.
		"console.cond.":             {contestv1alpha1.ConditionRankingComplete, contestv1alpha1.ConditionPrizesDecided, "Open", "Scaled"},
		"gender.":                   {string(person.Male), string(person.Female)},
		"console.role.":             roles,
		"console.role.%s":           roles,
		"console.role.%s.does":      roles,
		"console.audit.action.":     organizer.Actions(),
		"console.accounts.done.":    {"role", "disable", "enable"},
		"console.reason.":           contestv1alpha1.Reasons(),
		"console.eligibility.done.": {"flag", "unflag"},
		// What happens to the ranking after a key correction (nextRanking, and a failed request).
		"console.correction.next.":   {"rerank", "rerankByHand", "rankingAgain", "atClose", "rerankFailed", "unchanged"},
		"console.correction.next.%s": {"rerank", "rerankByHand", "rankingAgain", "atClose", "unchanged"},
		"participant_group.":         groups,
		"participant_group.%s":       groups,
		"rules.tieBreak.%s":          {"Correct", "PredictionDistance", "TimeUsed", "SubmittedAt"},
		"rules.reveal.%s":            {"Never", "AfterSubmit", "AfterClose"},
		// How a spelling's suggested unit was found (unit.By, or an earlier mapping).
		"console.spellings.by.%s": {string(unit.ByCode), string(unit.ByName), string(unit.ByAlias), "earlier"},

		// The review queue's signs and decisions.
		"console.integrity.kind.%s":    integrityKinds(),
		"console.integrity.explain.%s": integrityKinds(),
		"console.integrity.signal.":    integrityKinds(),
		"console.integrity.done.":      {string(integrity.Excluded), string(integrity.Dismissed)},
		"console.integrity.decided.%s": {string(integrity.Excluded), string(integrity.Dismissed)},
	}
}

// usedKeys maps every key the templates and the Go code use to where they use it.
type usedKeys map[string][]string

func (u usedKeys) add(key, where string) {
	if !slices.Contains(u[key], where) {
		u[key] = append(u[key], where)
	}
}

// Every key the code uses is in every language's catalog: a missing one would show the key
// itself, or Vietnamese on an English page.
func TestCatalogsHaveEveryKeyUsed(t *testing.T) {
	if err := locale.Check(); err != nil {
		t.Fatal(err)
	}
	sections := map[string]bool{}
	for _, k := range locale.Keys(locale.Vietnamese) {
		s, _, _ := strings.Cut(k, ".")
		sections[s] = true
	}
	// isKey says whether a string outside a key argument reads as a key: dotted words
	// whose first segment is a catalog's section (file names such as layout.html are not).
	isKey := func(s string, pattern *regexp.Regexp) bool {
		first, _, _ := strings.Cut(s, ".")
		return pattern.MatchString(s) && sections[first]
	}

	used := usedKeys{}
	patterns := map[string][]string{} // dynamic pattern or prefix → where
	fieldNames := scanTemplates(t, used, patterns, isKey)
	for _, dir := range textPackages {
		scanGo(t, dir, used, patterns, isKey)
		for name, code := range gosource.StringConstants(t, dir) {
			if strings.HasPrefix(name, "Code") {
				used.add(code, filepath.Base(filepath.Clean(dir))+"."+name)
			}
		}
	}

	dynamic := dynamicKeys(fieldNames)
	for pattern, where := range patterns {
		values, ok := dynamic[pattern]
		if !ok {
			t.Errorf("%s: keys made from %q: list what completes them in dynamicKeys", where[0], pattern)
			continue
		}
		for _, v := range values {
			key := pattern + v
			if strings.Contains(pattern, "%s") {
				key = strings.Replace(pattern, "%s", v, 1)
			}
			used.add(key, where[0]+" ("+pattern+")")
		}
	}
	for pattern := range dynamic {
		if _, ok := patterns[pattern]; !ok {
			t.Errorf("dynamicKeys lists %q, which nothing uses", pattern)
		}
	}

	if len(used) < 300 {
		t.Fatalf("found only %d keys in use: the scan is broken", len(used))
	}
	for _, key := range slices.Sorted(maps.Keys(used)) {
		for _, lang := range locale.Languages() {
			if _, ok := locale.Lookup(lang, key); !ok {
				t.Errorf("%s is used (%s) but not in %s.yaml", key, strings.Join(used[key], ", "), lang)
			}
		}
	}
}

var (
	templateAction  = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	templateString  = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
	templateT       = regexp.MustCompile(`\bT "([^"]+)"`)
	templatePrintfT = regexp.MustCompile(`\bT \(printf "([^"]+)"`)
	templateOtherT  = regexp.MustCompile(`\bT ([^"( ][^ )}]*)`)
	templateField   = regexp.MustCompile(`\bfieldArgs \S+ "([^"]+)"`)
)

// templateVarKeys are the variables templates translate: each holds a key written as a
// string elsewhere in the templates (the "counts" table's headings), which the scan finds.
var templateVarKeys = []string{".Head", ".Detail"}

// scanTemplates adds the keys the templates use and returns the names of their form fields.
func scanTemplates(t *testing.T, used usedKeys, patterns map[string][]string, isKey func(string, *regexp.Regexp) bool) []string {
	paths, err := filepath.Glob("templates/*.html")
	if err != nil || len(paths) == 0 {
		t.Fatalf("templates: %v", err)
	}
	var fields []string
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src := string(raw)
		where := func(offset int) string {
			return path + ":" + strconv.Itoa(strings.Count(src[:offset], "\n")+1)
		}
		for _, loc := range templateAction.FindAllStringIndex(src, -1) {
			action := src[loc[0]:loc[1]]
			for _, m := range templateT.FindAllStringSubmatch(action, -1) {
				used.add(m[1], where(loc[0]))
			}
			for _, m := range templatePrintfT.FindAllStringSubmatch(action, -1) {
				patterns[m[1]] = append(patterns[m[1]], where(loc[0]))
			}
			for _, m := range templateOtherT.FindAllStringSubmatch(action, -1) {
				if !slices.Contains(templateVarKeys, m[1]) {
					t.Errorf("%s: T %s: a key in a variable; list it in templateVarKeys if its values are written in the templates", where(loc[0]), m[1])
				}
			}
			for _, m := range templateField.FindAllStringSubmatch(action, -1) {
				if !slices.Contains(fields, m[1]) {
					fields = append(fields, m[1])
				}
			}
			for _, m := range templateString.FindAllStringSubmatch(action, -1) {
				if isKey(m[1], keyLike) {
					used.add(m[1], where(loc[0]))
				}
			}
		}
	}
	if len(fields) == 0 {
		t.Fatal("no fieldArgs in the templates: the scan is broken")
	}
	return fields
}

// scanGo adds the keys the package in dir names: the literal key argument of T, fail,
// failAny and consoleFail, and any other string literal that reads as a key (a refusal's
// code, an error's text); a prefix a key is completed from ("console.phase." + phase) goes
// to patterns.
func scanGo(t *testing.T, dir string, used usedKeys, patterns map[string][]string, isKey func(string, *regexp.Regexp) bool) {
	for _, f := range gosource.Parse(t, dir) {
		keyArgs, prefixes := map[ast.Expr]bool{}, map[ast.Expr]bool{}
		ast.Inspect(f.AST, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BinaryExpr:
				if n.Op == token.ADD {
					prefixes[n.X] = true
				}
			case *ast.CallExpr:
				var name string
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				if i, ok := keyArg[name]; ok && i < len(n.Args) {
					keyArgs[n.Args[i]] = true
				}
			case *ast.BasicLit:
				s, ok := gosource.String(n)
				switch {
				case !ok:
				case keyArgs[n]:
					used.add(s, f.Pos(n.Pos())) // a typo'd section included
				case isKey(s, keyLike):
					used.add(s, f.Pos(n.Pos()))
				case prefixes[n] && isKey(s, prefixLike):
					patterns[s] = append(patterns[s], f.Pos(n.Pos()))
				}
			}
			return true
		})
	}
}
