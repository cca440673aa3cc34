package roundfile

import (
	"fmt"
	"strings"
)

// Problem is one reason a rounds file was refused.
type Problem struct {
	// File is the path as given to Load.
	File string
	// Document is the 1-based position of the YAML document in the file, not counting
	// empty ones (a commented-out round does not shift the numbers); 0 for problems with
	// the file as a whole.
	Document int
	// Round is the document's metadata.name, when it has one.
	Round string
	// Field is the path of the offending field as the API server names it
	// (e.g. "spec.exam.maxAttempts"); empty for problems that are not about one field.
	Field string
	// Reason says what is wrong, worded as the API server words it
	// (e.g. "Invalid value: 0: spec.exam.maxAttempts in body should be greater than or equal to 1").
	Reason string
}

// Error formats the problem as
// "rounds.yaml (document 2, round dot-2): spec.exam.maxAttempts: Invalid value: 0: ...".
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	var where []string
	if p.Document > 0 {
		where = append(where, fmt.Sprintf("document %d", p.Document))
	}
	if p.Round != "" {
		where = append(where, "round "+p.Round)
	}
	if len(where) > 0 {
		b.WriteString(" (" + strings.Join(where, ", ") + ")")
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Reason)
	return b.String()
}

// LoadError lists every problem found in the files given to Load, in file and document
// order, so that all of them can be fixed in one pass.
type LoadError struct {
	Problems []Problem
}

// Error lists the problems one per line.
func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}
