package exam

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	b := testBank(5, 100, 4)
	p, err := Draw(b, evenQuotas(b, 3), seeded(3))
	if err != nil {
		t.Fatal(err)
	}
	shown, err := p.Render(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(shown) != p.Len() {
		t.Fatalf("rendered %d questions, paper has %d", len(shown), p.Len())
	}
	for i, s := range shown {
		q := b.Questions[p.Items[i].At]
		if s.Index != i || s.Number != i+1 {
			t.Errorf("question %d: Index %d, Number %d", i, s.Index, s.Number)
		}
		if s.Text != q.Text || s.Topic != "Chủ đề "+q.Topic {
			t.Errorf("question %d: text %q topic %q", i, s.Text, s.Topic)
		}
		if len(s.Options) != len(q.Options) {
			t.Fatalf("question %d: %d options, want %d", i, len(s.Options), len(q.Options))
		}
		for k, o := range s.Options {
			if o.ID != string(rune('A'+k)) {
				t.Errorf("question %d option %d: ID %q", i, k, o.ID)
			}
			if want := q.Options[p.Items[i].Order[k]-'0'].Text; o.Text != want {
				t.Errorf("question %d option %s: %q, want %q", i, o.ID, o.Text, want)
			}
			if err := p.Shape().Validate(Answers{s.Index: o.ID}); err != nil {
				t.Errorf("a shown option does not validate: %v", err)
			}
		}
	}
}

// The types a contestant's page is built from must not be able to carry the key.
func TestShownTypesCarryNoKey(t *testing.T) {
	forbidden := []string{"correct", "key", "answer", "right", "explanation", "solution", "score", "bank", "questionid", "order"}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(ty reflect.Type, path string) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice || ty.Kind() == reflect.Array || ty.Kind() == reflect.Map {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || seen[ty] {
			if ty.Kind() == reflect.Interface {
				t.Errorf("%s is an interface: it could hold anything", path)
			}
			return
		}
		seen[ty] = true
		for i := 0; i < ty.NumField(); i++ {
			f := ty.Field(i)
			name := strings.ToLower(f.Name)
			tag := strings.ToLower(strings.Split(f.Tag.Get("json"), ",")[0])
			for _, bad := range forbidden {
				if strings.Contains(name, bad) || strings.Contains(tag, bad) {
					t.Errorf("%s.%s (json %q) looks like it could carry the answer key", path, f.Name, tag)
				}
			}
			if f.Type.Kind() == reflect.Bool {
				t.Errorf("%s.%s is a bool: a flag on an option is a key", path, f.Name)
			}
			walk(f.Type, path+"."+f.Name)
		}
	}
	walk(reflect.TypeFor[ShownQuestion](), "ShownQuestion")
	if !seen[reflect.TypeFor[ShownOption]()] {
		t.Fatal("ShownOption was not reached")
	}
}

// What the page is built from, marshalled, says nothing about which option is correct:
// every option has the same keys, no bank ID appears, and over many attempts the
// correct option's letter is uniformly spread, even in a bank that always puts the
// correct option first.
func TestShownJSONDoesNotLeakKey(t *testing.T) {
	b := testBank(5, 100, 4)
	for i := range b.Questions { // worst case: the key is always the bank's first option
		for o := range b.Questions[i].Options {
			b.Questions[i].Options[o].Correct = o == 0
		}
	}
	letters := map[string]int{}
	firstItem := make([]int, 4)
	for seed := uint64(0); seed < 4000; seed++ {
		p, err := Draw(b, evenQuotas(b, 3), seeded(seed))
		if err != nil {
			t.Fatal(err)
		}
		shown, err := p.Render(b)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(shown)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Items {
			if strings.Contains(string(raw), it.QuestionID) {
				t.Fatalf("bank question ID %s appears in %s", it.QuestionID, raw)
			}
		}
		var generic []map[string]any
		if err := json.Unmarshal(raw, &generic); err != nil {
			t.Fatal(err)
		}
		for i, q := range generic {
			for _, o := range q["options"].([]any) {
				keys := keysOf(o.(map[string]any))
				if !reflect.DeepEqual(keys, []string{"id", "text"}) {
					t.Fatalf("an option has keys %v, want exactly id and text", keys)
				}
			}
			l := correctLetter(p, b, i)
			letters[l]++
			if i == 0 {
				firstItem[l[0]-'A']++
			}
		}
	}
	counts := []int{letters["A"], letters["B"], letters["C"], letters["D"]}
	// 3 degrees of freedom: P(χ² > 16.3) ≈ 0.001.
	if x := chiSquare(counts); x > 16.3 {
		t.Errorf("correct letters %v are not uniform (χ² = %.1f)", counts, x)
	}
	if x := chiSquare(firstItem); x > 16.3 {
		t.Errorf("first item's correct letters %v are not uniform (χ² = %.1f)", firstItem, x)
	}
}

func keysOf(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	if len(ks) == 2 && ks[0] > ks[1] {
		ks[0], ks[1] = ks[1], ks[0]
	}
	return ks
}

func TestPaperMismatch(t *testing.T) {
	b := testBank(2, 5, 4)
	good := Paper{Items: []Item{{QuestionID: "t1-002", At: 1, Order: "3120"}}}
	tests := []struct {
		name    string
		item    Item
		wantErr string
	}{
		{"good", good.Items[0], ""},
		{"stale position hint falls back to the ID", Item{QuestionID: "t1-002", At: 7, Order: "3120"}, ""},
		{"position out of range", Item{QuestionID: "t2-005", At: 99, Order: "0123"}, ""},
		{"unknown question", Item{QuestionID: "x-1", At: 0, Order: "0123"}, "mã x-1"},
		{"order too short", Item{QuestionID: "t1-002", At: 1, Order: "012"}, "4 phương án"},
		{"order repeats", Item{QuestionID: "t1-002", At: 1, Order: "0113"}, "không khớp"},
		{"order out of range", Item{QuestionID: "t1-002", At: 1, Order: "0124"}, "không khớp"},
		{"order not digits", Item{QuestionID: "t1-002", At: 1, Order: "abcd"}, "không khớp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Paper{Items: []Item{tt.item}}
			_, rerr := p.Render(b)
			_, serr := Score(p, b, Answers{0: "A"})
			cerr := p.Check(b)
			for _, err := range []error{rerr, serr, cerr} {
				if tt.wantErr == "" {
					if err != nil {
						t.Fatalf("unexpected error %v", err)
					}
					continue
				}
				var pe *PaperError
				if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want a *PaperError containing %q", err, tt.wantErr)
				}
			}
		})
	}
}

func TestPaperJSON(t *testing.T) {
	b := testBank(5, 100, 4)
	p, _ := Draw(b, evenQuotas(b, 3), seeded(11))
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) > 700 {
		t.Errorf("a 15-question paper is %d bytes: %s", len(raw), raw)
	}
	t.Logf("paper JSON (%d bytes): %s", len(raw), raw)
	var back Paper
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, p) {
		t.Fatalf("round trip changed the paper:\n%+v\n%+v", back, p)
	}
	q, err := back.Question(b, 2)
	if err != nil || q.ID != p.Items[2].QuestionID {
		t.Fatalf("Question(2) = %v, %v", q, err)
	}
	if _, err := back.Question(b, 15); err == nil {
		t.Fatal("Question(15) of a 15-question paper succeeded")
	}
}
