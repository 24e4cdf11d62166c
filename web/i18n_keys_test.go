package web

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestEveryMessageRenders renders every message key in both languages with
// the counts a page passes (0, 1, 2, 1000, a fraction, a string) and fails
// on a raw key such as "!report.max", which used to show for a count of 1
// in English.
func TestEveryMessageRenders(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(localeFS, "locales/*.id.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := fs.ReadFile(localeFS, f)
		if err != nil {
			t.Fatal(err)
		}
		var msgs map[string]any
		if err := json.Unmarshal(b, &msgs); err != nil {
			t.Fatal(err)
		}
		for key := range msgs {
			for _, lang := range languages {
				for _, n := range []any{0, 1, 2, 1000, int64(5), 2.5, "7"} {
					if got := c.T(lang, key, "Count", n); strings.HasPrefix(got, "!") {
						t.Errorf("%s in %s with Count %v renders %q", key, lang, n, got)
					}
				}
				if got := c.T(lang, key); strings.HasPrefix(got, "!") {
					t.Errorf("%s in %s renders %q", key, lang, got)
				}
			}
		}
	}
}

// literalKey finds the fixed keys that templates pass to T.
var literalKey = regexp.MustCompile(`\bT \$?[A-Za-z.]* "([a-z0-9_.]+)"`)

// TestTemplateKeysExist checks that every literal key a template passes to
// T exists in both languages, so no page can show a raw key.
func TestTemplateKeysExist(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, n := range names {
		b, err := fs.ReadFile(templateFS, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literalKey.FindAllStringSubmatch(string(b), -1) {
			seen++
			for _, lang := range languages {
				if got := c.T(lang, m[1], "Count", 1); strings.HasPrefix(got, "!") {
					t.Errorf("%s: key %q missing in %s", n, m[1], lang)
				}
			}
		}
	}
	if seen < 100 {
		t.Fatalf("found only %d template keys; the pattern no longer matches the templates", seen)
	}
}
