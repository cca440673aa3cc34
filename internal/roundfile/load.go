package roundfile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/config/crd"
)

// kind is the Go type's kind, checked against the embedded CRD.
const kind = "ContestRound"

// Load reads the ContestRound objects in the given YAML files, prunes, defaults and
// validates them as the API server does on creation, and returns them in file and
// document order. Rounds without a namespace get defaultNamespace ("default" when empty).
//
// When any file has a problem no round is returned and the error is a *LoadError listing
// every problem of every file. Other errors mean the embedded schema could not be used or
// ctx ended.
func Load(ctx context.Context, paths []string, defaultNamespace string) ([]contestv1alpha1.ContestRound, error) {
	s, err := newCRDSchema(crd.ContestRoundCRD(), contestv1alpha1.GroupVersion.Version)
	if err != nil {
		return nil, fmt.Errorf("prepare the ContestRound schema: %w", err)
	}
	if want := contestv1alpha1.GroupVersion.WithKind(kind); s.gvk != want {
		return nil, fmt.Errorf("embedded CRD serves %s, the Go types are %s: run `make manifests`", s.gvk, want)
	}
	if defaultNamespace == "" {
		defaultNamespace = metav1.NamespaceDefault
	}

	l := &loader{schema: s, namespace: defaultNamespace, seen: map[string]Problem{}}
	for _, path := range paths {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("load rounds: %w", err)
		}
		l.loadFile(ctx, path)
	}
	if len(l.problems) > 0 {
		return nil, &LoadError{Problems: l.problems}
	}
	return l.rounds, nil
}

// loader accumulates the rounds and problems of one Load.
type loader struct {
	schema    *crdSchema
	namespace string
	// seen maps a round name to where it was first defined.
	seen     map[string]Problem
	rounds   []contestv1alpha1.ContestRound
	problems []Problem
}

func (l *loader) loadFile(ctx context.Context, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		reason := err.Error()
		if pathErr, ok := errors.AsType[*fs.PathError](err); ok {
			reason = pathErr.Err.Error() // the path is printed already
		}
		l.problems = append(l.problems, Problem{File: path, Reason: "cannot read the file: " + reason})
		return
	}
	chunks, reasons := splitDocuments(data)
	for _, reason := range reasons {
		l.problems = append(l.problems, Problem{File: path, Reason: reason})
	}
	// Documents are numbered skipping empty ones, so that a commented-out round does not
	// shift the numbers: document N is the N-th round of the file.
	n := 0
	for _, c := range chunks {
		obj, reasons := parseDocument(c)
		if obj == nil && reasons == nil {
			continue
		}
		n++
		for _, reason := range reasons {
			l.problems = append(l.problems, Problem{File: path, Document: n, Reason: reason})
		}
		if obj == nil {
			continue
		}
		l.loadObject(ctx, Problem{File: path, Document: n}, obj)
	}
	if n == 0 {
		l.problems = append(l.problems, Problem{File: path, Reason: "no ContestRound in the file"})
	}
}

// loadObject admits one decoded document; at is its location, without field or reason.
func (l *loader) loadObject(ctx context.Context, at Problem, obj map[string]any) {
	u := &unstructured.Unstructured{Object: obj}
	at.Round = u.GetName()
	ok := true
	report := func(f finding) {
		p := at
		p.Field, p.Reason = f.Field, f.Reason
		l.problems = append(l.problems, p)
		ok = false
	}

	if u.GetKind() == kind && at.Round != "" {
		if first, dup := l.seen[at.Round]; dup {
			report(duplicateName(at.Round, first))
		} else {
			l.seen[at.Round] = at
		}
	}
	for _, f := range l.schema.admit(ctx, obj, l.namespace) {
		report(f)
	}
	if !ok {
		return
	}

	var round contestv1alpha1.ContestRound
	if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(obj, &round, true); err != nil {
		report(finding{Reason: "the API server would store this round, but it does not fit the Go type: " + err.Error()})
		return
	}
	l.rounds = append(l.rounds, round)
}

// duplicateName words a second definition of a round name.
func duplicateName(name string, first Problem) finding {
	err := field.Duplicate(field.NewPath("metadata", "name"), name)
	err.Detail = fmt.Sprintf("round names must be unique across all rounds files; %s is also defined in %s (document %d)",
		name, first.File, first.Document)
	return finding{Field: err.Field, Reason: err.ErrorBody()}
}
