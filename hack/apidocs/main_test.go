package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

// Tests run in this package's directory.
const (
	testCRD       = "../../" + defaultCRD
	testReference = "../../" + defaultOut
)

// TestReferenceIsCurrent fails when the committed reference is not what the committed CRD
// generates: the types (or the generator) changed without `make api-docs`.
func TestReferenceIsCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "api-reference.md")
	if err := run(testCRD, out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(testReference)
	if err != nil {
		t.Fatalf("%v: run make api-docs", err)
	}
	if !bytes.Equal(got, committed) {
		gl, cl := strings.Split(string(got), "\n"), strings.Split(string(committed), "\n")
		for i := 0; i < max(len(gl), len(cl)); i++ {
			var g, c string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(cl) {
				c = cl[i]
			}
			if g != c {
				t.Fatalf("docs/api-reference.md is stale (first difference at line %d): run make api-docs\ncommitted: %q\ngenerated: %q", i+1, c, g)
			}
		}
		t.Fatal("docs/api-reference.md is stale: run make api-docs")
	}
}

// TestEveryFieldAndRuleIsDocumented walks the CRD's schema: every property, every CEL rule
// and its message, every bound and every default must be in the reference.
func TestEveryFieldAndRuleIsDocumented(t *testing.T) {
	data, err := os.ReadFile(testCRD)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := generate(data)
	if err != nil {
		t.Fatal(err)
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.Unmarshal(data, &crd); err != nil {
		t.Fatal(err)
	}
	ref := string(doc)
	want := func(what, s string) {
		t.Helper()
		if !strings.Contains(ref, s) {
			t.Errorf("the reference lacks %s: %s", what, s)
		}
	}
	var walk func(path string, s *apiextensionsv1.JSONSchemaProps)
	walk = func(path string, s *apiextensionsv1.JSONSchemaProps) {
		for _, r := range s.XValidations {
			want("the rule at "+path, r.Rule)
			want("the message of the rule at "+path, text(r.Message))
		}
		if s.Pattern != "" {
			want("the pattern of "+path, cellCode(s.Pattern))
		}
		if s.MaxLength != nil {
			want("the max length of "+path, "max length "+number(float64(*s.MaxLength)))
		}
		if s.MaxItems != nil {
			want("the max items of "+path, "max items "+number(float64(*s.MaxItems)))
		}
		if s.Default != nil {
			want("the default of "+path, compactJSON(s.Default.Raw))
		}
		for name, p := range s.Properties {
			want("the field "+path+"."+name, "| "+code(name)+" |")
			walk(path+"."+name, &p)
		}
		if s.Items != nil && s.Items.Schema != nil {
			walk(path+"[]", s.Items.Schema)
		}
	}
	for _, v := range crd.Spec.Versions {
		walk(v.Name, v.Schema.OpenAPIV3Schema)
		for _, c := range v.AdditionalPrinterColumns {
			want("the printer column "+c.Name, "| "+c.Name+" |")
		}
	}
	for _, s := range crd.Spec.Names.ShortNames {
		want("the short name "+s, code(s))
	}
	if t.Failed() {
		return
	}
	// Every link points at a heading of the page.
	anchors := map[string]bool{}
	for _, line := range strings.Split(ref, "\n") {
		if h, ok := strings.CutPrefix(line, "#"); ok {
			anchors[anchor(strings.TrimSpace(strings.TrimLeft(h, "#")))] = true
		}
	}
	for rest := ref; ; {
		i := strings.Index(rest, "](#")
		if i < 0 {
			break
		}
		rest = rest[i+3:]
		target := rest[:strings.IndexByte(rest, ')')]
		if !anchors[target] {
			t.Errorf("link to #%s, which no heading has", target)
		}
	}
}

func TestGenerateRefusesWhatIsNotACRD(t *testing.T) {
	for _, in := range []string{"apiVersion: v1\nkind: ConfigMap\n", "not: [yaml", ""} {
		if _, err := generate([]byte(in)); err == nil {
			t.Errorf("generate(%q) succeeded", in)
		}
	}
}

func TestMarkdownHelpers(t *testing.T) {
	for _, tt := range []struct{ name, got, want string }{
		{"pipe in a cell", cell("a|b"), `a\|b`},
		{"paragraphs in a cell", cell("one\n\ntwo"), "one<br><br>two"},
		{"code span with a pipe in a cell", cellCode("(s|m)"), "`(s\\|m)`"},
		{"code span with backticks", code("a`b"), "``a`b``"},
		{"code span starting with a backtick", code("`x"), "`` `x ``"},
		{"wrapped description", text("one\ntwo\n\nthree <b>"), "one two\n\nthree &lt;b&gt;"},
		{"anchor", anchor("`spec.exam.topics[]`"), "specexamtopics"},
		{"anchor with spaces", anchor("v1 Printer columns"), "v1-printer-columns"},
		{"number", number(1000), "1000"},
		{"compact JSON", compactJSON([]byte("[ 1, {\"a\": \"Giải\"} ]")), `[1,{"a":"Giải"}]`},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
