package roundfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// minimalRound is the smallest round the API server accepts: everything with a default is
// left out.
func minimalRound(name string) map[string]any {
	return map[string]any{
		"apiVersion": "contest.dxcontest.io/v1alpha1",
		"kind":       "ContestRound",
		"metadata":   map[string]any{"name": name},
		"spec": map[string]any{
			"contest":  map[string]any{"id": "cds-test", "title": "Cuộc thi thử"},
			"title":    "Đợt thử",
			"opensAt":  "2024-08-17T00:00:00+07:00",
			"closesAt": "2024-09-01T00:00:00+07:00",
			"exam": map[string]any{
				"bank": map[string]any{"name": "mau", "version": int64(1)},
				"topics": []any{
					map[string]any{"topic": "tong-quan", "questions": int64(10)},
					map[string]any{"topic": "tinh", "questions": int64(5)},
				},
			},
		},
	}
}

// set changes the value at a dotted path of obj ("spec.exam.maxAttempts"), creating maps
// on the way; a nil value deletes the key.
func set(obj map[string]any, path string, value any) map[string]any {
	keys := strings.Split(path, ".")
	m := obj
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	if value == nil {
		delete(m, keys[len(keys)-1])
	} else {
		m[keys[len(keys)-1]] = value
	}
	return obj
}

// yamlDocs renders objects as one YAML stream.
func yamlDocs(t *testing.T, objs ...map[string]any) string {
	t.Helper()
	docs := make([]string, len(objs))
	for i, o := range objs {
		b, err := yaml.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		docs[i] = string(b)
	}
	return strings.Join(docs, "---\n")
}

// writeFile writes content to name in dir and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
