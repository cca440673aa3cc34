package v1alpha1

import (
	"fmt"
	"os"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

// The Go fallbacks must say what the CRD's defaults say.
func TestFallbacksMatchCRDDefaults(t *testing.T) {
	raw, err := os.ReadFile("../../config/crd/bases/contest.dxcontest.io_contestrounds.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.Unmarshal(raw, &crd); err != nil {
		t.Fatal(err)
	}
	spec := crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"]
	exam, web := spec.Properties["exam"], spec.Properties["web"]
	defaultOf := func(p apiextensionsv1.JSONSchemaProps) string {
		if p.Default == nil {
			return "<none>"
		}
		return string(p.Default.Raw)
	}
	tests := []struct {
		field string
		crd   apiextensionsv1.JSONSchemaProps
		want  string
	}{
		{"exam.timeLimit", exam.Properties["timeLimit"], `"30m"`},
		{"exam.maxAttempts", exam.Properties["maxAttempts"], "3"},
		{"exam.totalQuestions", exam.Properties["totalQuestions"], "15"},
		{"prizes", spec.Properties["prizes"], `[{"count":1,"name":"Giải Nhất"},{"count":2,"name":"Giải Nhì"},{"count":3,"name":"Giải Ba"},{"count":5,"name":"Giải Khuyến khích"}]`},
		{"exam.revealAnswers", exam.Properties["revealAnswers"], `"AfterClose"`},
		{"web.prewarm", web.Properties["prewarm"], `"30m"`},
		{"web.openReplicas", web.Properties["openReplicas"], "3"},
		{"web.closedReplicas", web.Properties["closedReplicas"], "1"},
	}
	for _, tt := range tests {
		if got := defaultOf(tt.crd); got != tt.want {
			t.Errorf("%s: CRD default %s, Go fallback %s", tt.field, got, tt.want)
		}
	}

	var e ExamRules
	var w WebScaling
	var s ContestRoundSpec
	if fmt.Sprint(s.PrizeList()) != "[{Giải Nhất 1  0} {Giải Nhì 2  0} {Giải Ba 3  0} {Giải Khuyến khích 5  0}]" {
		t.Errorf("PrizeList() of a spec without prizes = %v", s.PrizeList())
	}
	if e.Questions() != 15 || e.AttemptTimeLimit().String() != "30m0s" || e.AttemptsAllowed() != 3 || e.RevealPolicy() != RevealAfterClose || w.PrewarmDuration().String() != "30m0s" ||
		w.ReplicasWhen(true) != 3 || w.ReplicasWhen(false) != 1 {
		t.Fatal("zero-valued rules do not fall back to the CRD's defaults")
	}
}
