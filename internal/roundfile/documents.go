package roundfile

import (
	"bytes"
	"fmt"
	"strings"

	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/yaml"

	"github.com/dxcontest/contest-platform/internal/printable"
)

// chunk is the text of one YAML document of a file.
type chunk struct {
	// line is the 1-based line of the file the document starts on.
	line int
	text []byte
}

// splitDocuments cuts a YAML stream at document separators the way kubectl's reader does
// (k8s.io/apimachinery/pkg/util/yaml.YAMLReader): a line starting with "---" followed by
// nothing but spaces or a comment. Other text after "---" is an error there; here it is
// reported and the line still separates, so the documents around it are checked too.
func splitDocuments(data []byte) (chunks []chunk, problems []string) {
	start := 1
	var cur bytes.Buffer
	for i, line := range bytes.SplitAfter(data, []byte("\n")) {
		rest, ok := bytes.CutPrefix(line, []byte("---"))
		if !ok {
			cur.Write(line)
			continue
		}
		if trimmed := strings.TrimSpace(string(rest)); trimmed != "" && !strings.HasPrefix(trimmed, "#") {
			problems = append(problems, fmt.Sprintf("line %d: invalid YAML document separator: text after \"---\": %s", i+1, printable.Text(trimmed)))
		}
		chunks = append(chunks, chunk{line: start, text: bytes.Clone(cur.Bytes())})
		cur.Reset()
		start = i + 2
	}
	return append(chunks, chunk{line: start, text: cur.Bytes()}), problems
}

// parseDocument turns one document into the JSON object the API server would receive, or
// nil for an empty document (only spaces, comments or null). When the document cannot be
// read it returns what is wrong instead, one reason per problem; YAML syntax errors name
// the line in the file, not in the document.
func parseDocument(c chunk) (map[string]any, []string) {
	// Leading empty lines change nothing but make the parser count lines as the file does.
	text := append(bytes.Repeat([]byte("\n"), c.line-1), c.text...)
	// Strict: a key given twice is an error rather than a silent "last one wins".
	js, err := yaml.YAMLToJSONStrict(text)
	if err != nil {
		return nil, yamlReasons(err)
	}
	// util/json decodes numbers as int64 or float64, as unstructured objects hold them.
	var v any
	if err := utiljson.Unmarshal(js, &v); err != nil {
		return nil, []string{"decode document: " + err.Error()}
	}
	switch v := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return v, nil
	default:
		return nil, []string{fmt.Sprintf("a document must be a mapping (an object with apiVersion, kind, metadata and spec), not %s", jsonKind(v))}
	}
}

// yamlReasons words a YAML parser error, one reason per line it lists (duplicate keys are
// reported all at once, one per line).
func yamlReasons(err error) []string {
	msg := strings.TrimPrefix(err.Error(), "error converting YAML to JSON: ")
	msg = strings.TrimPrefix(msg, "yaml: ")
	head, list, ok := strings.Cut(msg, "unmarshal errors:\n")
	if !ok {
		return []string{"invalid YAML: " + msg}
	}
	var reasons []string
	for line := range strings.Lines(list) {
		reasons = append(reasons, "invalid YAML: "+head+strings.TrimSpace(line))
	}
	return reasons
}

// jsonKind names the kind of a decoded JSON value for messages.
func jsonKind(v any) string {
	switch v.(type) {
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}
