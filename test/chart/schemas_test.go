package chart

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"k8s.io/client-go/rest"
)

// writeSchemas turns the API server's OpenAPI v3 documents into the JSON schemas
// kubeconform reads, one file per kind and version, named as kubeconform's
// `{{ .ResourceKind }}{{ .KindSuffix }}.json` template expects (deployment-apps-v1.json,
// service-v1.json, contestround-contest-v1alpha1.json). Every kind the server serves is
// covered: the built-in ones and those of the CRDs installed in it. The schemas are
// strict: an object schema with properties refuses any other property (as kubeconform's
// published "-strict" schemas do), unless the API marks it x-kubernetes-preserve-unknown-fields.
// It returns how many schema files it wrote.
func writeSchemas(ctx context.Context, cfg *rest.Config, dir string) (int, error) {
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return 0, err
	}
	get := func(path string, into any) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(cfg.Host, "/")+path, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s: %.200s", path, resp.Status, body)
		}
		return json.Unmarshal(body, into)
	}

	var index struct {
		Paths map[string]struct {
			ServerRelativeURL string `json:"serverRelativeURL"`
		} `json:"paths"`
	}
	if err := get("/openapi/v3", &index); err != nil {
		return 0, err
	}
	written := map[string]string{}
	for path, ref := range index.Paths {
		// api/v1 and apis/<group>/<version>; the bare group lists carry no kinds.
		parts := strings.Split(path, "/")
		var group, version string
		switch {
		case len(parts) == 2 && parts[0] == "api":
			version = parts[1]
		case len(parts) == 3 && parts[0] == "apis":
			group, version = parts[1], parts[2]
		default:
			continue
		}
		var doc struct {
			Components struct {
				Schemas map[string]map[string]any `json:"schemas"`
			} `json:"components"`
		}
		if err := get(ref.ServerRelativeURL, &doc); err != nil {
			return 0, err
		}
		defs := map[string]any{}
		for name, s := range doc.Components.Schemas {
			defs[name] = convertSchema(s, name)
		}
		for name, s := range doc.Components.Schemas {
			gvks, _ := s["x-kubernetes-group-version-kind"].([]any)
			for _, g := range gvks {
				gvk, _ := g.(map[string]any)
				if gvk["group"] != group || gvk["version"] != version {
					continue
				}
				kind, _ := gvk["kind"].(string)
				file := schemaFileName(kind, group, version)
				if prev, dup := written[file]; dup && prev != name {
					return 0, fmt.Errorf("schema file %s would hold both %s and %s", file, prev, name)
				}
				written[file] = name
				schema := map[string]any{
					"$schema": "https://json-schema.org/draft/2020-12/schema",
					"$ref":    "#/$defs/" + name,
					"$defs":   defs,
				}
				data, err := json.Marshal(schema)
				if err != nil {
					return 0, err
				}
				if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
					return 0, err
				}
			}
		}
	}
	return len(written), nil
}

// schemaFileName is kubeconform's name for a kind's schema: the kind, the first label of
// the group and the version, lower case.
func schemaFileName(kind, group, version string) string {
	suffix := ""
	if group != "" {
		suffix = "-" + strings.ToLower(strings.Split(group, ".")[0])
	}
	return fmt.Sprintf("%s%s-%s.json", strings.ToLower(kind), suffix, strings.ToLower(version))
}

// convertSchema rewrites one OpenAPI v3 schema into JSON Schema: references point into
// $defs, nullable becomes a null type, int-or-string and quantities accept both forms
// (as YAML writes them), and objects with properties refuse unknown ones.
func convertSchema(v any, name string) any {
	switch s := v.(type) {
	case []any:
		out := make([]any, len(s))
		for i := range s {
			out[i] = convertSchema(s[i], "")
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(s))
		for k, val := range s {
			switch k {
			case "$ref":
				out[k] = strings.Replace(val.(string), "#/components/schemas/", "#/$defs/", 1)
			case "properties", "patternProperties", "$defs", "definitions":
				// Maps of names to schemas: the names are not keywords.
				props := map[string]any{}
				for pk, pv := range val.(map[string]any) {
					props[pk] = convertSchema(pv, "")
				}
				out[k] = props
			case "example", "default", "enum", "x-kubernetes-group-version-kind":
				out[k] = val
			default:
				out[k] = convertSchema(val, "")
			}
		}
		intOrString := s["x-kubernetes-int-or-string"] == true || s["format"] == "int-or-string" ||
			name == "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
		quantity := name == "io.k8s.apimachinery.pkg.api.resource.Quantity"
		switch {
		case intOrString:
			delete(out, "type")
			delete(out, "format")
			delete(out, "anyOf")
			out["anyOf"] = []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}
		case quantity:
			delete(out, "type")
			delete(out, "format")
			out["anyOf"] = []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}}
		}
		if s["nullable"] == true {
			if t, ok := out["type"].(string); ok {
				out["type"] = []any{t, "null"}
			}
		}
		if _, has := s["properties"]; has && s["additionalProperties"] == nil && s["x-kubernetes-preserve-unknown-fields"] != true {
			out["additionalProperties"] = false
		}
		return out
	default:
		return v
	}
}
