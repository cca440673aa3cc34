// Package locale holds every text a person reads in the web app, in Vietnamese and
// English, as data: vi.yaml and en.yaml, embedded in the binary. Code and templates name a
// text by a stable key ("nav.home", "error.closed", a domain package's code such as
// "national_id.required"); T finds it in the reader's language and fills in its arguments.
//
// The catalogs are one YAML mapping per language, of sections to keys to texts. A section
// is the first segment of its keys, and each key is written in full inside it, so that a
// search for a key finds its texts as well as its uses. Vietnamese is the first language and
// the fallback: a key missing in English is shown in Vietnamese, and an unknown key as
// itself (visible in review, never a blank). The tests keep both from happening: both files
// have the same keys with the same printf verbs, and every key the code uses is in both.
package locale

import (
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// The languages, Vietnamese first.
const (
	Vietnamese = "vi"
	English    = "en"
)

// Languages lists every language with a catalog, the fallback first.
func Languages() []string { return []string{Vietnamese, English} }

//go:embed vi.yaml en.yaml
var files embed.FS

// catalog maps a language to its texts by key.
type catalog map[string]map[string]string

// catalogs are read once: the files are part of the binary. Check reports a broken one.
var catalogs = sync.OnceValues(func() (catalog, error) {
	all := catalog{}
	for _, lang := range Languages() {
		raw, err := files.ReadFile(lang + ".yaml")
		if err != nil {
			return nil, fmt.Errorf("locale: %w", err)
		}
		texts, err := parse(lang+".yaml", raw)
		if err != nil {
			return nil, err
		}
		all[lang] = texts
	}
	return all, nil
})

// Check loads the catalogs and reports the first problem in them. The web app calls it at
// start, so that a build with a broken catalog never serves a page.
func Check() error {
	_, err := catalogs()
	return err
}

// T returns the text of key in lang (Vietnamese for an unknown language), with args
// formatted into it as fmt.Sprintf does. A key missing in lang falls back to Vietnamese,
// then to the key itself.
func T(lang, key string, args ...any) string {
	all, _ := catalogs() // nil when broken: every key then reads as itself
	return all.t(lang, key, args...)
}

func (c catalog) t(lang, key string, args ...any) string {
	s, ok := c[lang][key]
	if !ok {
		if s, ok = c[Vietnamese][key]; !ok {
			s = key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Lookup returns the text of key in lang as written in the catalog, without fallback or
// arguments; ok is false when lang's catalog lacks the key.
func Lookup(lang, key string) (text string, ok bool) {
	all, _ := catalogs()
	text, ok = all[lang][key]
	return text, ok
}

// Keys returns every key of lang's catalog, sorted.
func Keys(lang string) []string {
	all, _ := catalogs()
	keys := make([]string, 0, len(all[lang]))
	for k := range all[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// parse reads one catalog file into key → text, refusing what a hand edit can get wrong: a
// repeated key, a key outside its section, a text that YAML reads as something else than a
// string (an unquoted true), an empty text.
func parse(name string, raw []byte) (map[string]string, error) {
	// Values are read as any so that an unquoted true or 12 shows up as a non-string
	// instead of being turned into "true" or "12" on the way. (go.yaml.in/yaml/v3 reads
	// YAML 1.2: a repeated key is an error, and Yes stays the string "Yes".)
	var sections map[string]map[string]any
	if err := yaml.Unmarshal(raw, &sections); err != nil {
		return nil, fmt.Errorf("locale: %s: %w", name, err)
	}
	texts := map[string]string{}
	for section, entries := range sections {
		if section == "" || strings.Contains(section, ".") {
			return nil, fmt.Errorf("locale: %s: section %q: a section is one segment, the first of its keys", name, section)
		}
		for key, v := range entries {
			if !strings.HasPrefix(key, section+".") || strings.HasSuffix(key, ".") {
				return nil, fmt.Errorf("locale: %s: key %q is in section %q: write the full key in the section of its first segment", name, key, section)
			}
			text, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("locale: %s: %s: the text %v is not a string: write it in double quotes", name, key, v)
			}
			if strings.TrimSpace(text) == "" {
				return nil, fmt.Errorf("locale: %s: %s: the text is empty", name, key)
			}
			texts[key] = text
		}
	}
	return texts, nil
}
