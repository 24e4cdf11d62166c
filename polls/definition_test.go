package polls

import (
	"strings"
	"testing"
)

// TestDefinitionBuildErrors checks that `rembug poll create` names the real
// problem: the question without options (not a later question's show_if),
// and an anonymous survey asked to be unlocked (not stored locked silently).
func TestDefinitionBuildErrors(t *testing.T) {
	for _, tc := range []struct{ name, json, want string }{
		{"choice without options", `{"title":"T","questions":[{"code":"q1","kind":"single","text":"A?"},
			{"code":"q2","kind":"yesno","text":"B?","show_if":{"question":"q1","equals":"X"}}]}`, `question "q1": a single question needs options`},
		{"anonymous unlocked", `{"title":"T","anonymous":true,"locked":false,"questions":[]}`, "anonymous survey is always locked"},
	} {
		d, err := ParseDefinition(strings.NewReader(tc.json))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := d.Build(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	d, _ := ParseDefinition(strings.NewReader(`{"title":"T","anonymous":true,"questions":[]}`))
	if s, _, err := d.Build(); err != nil || !s.Anonymous {
		t.Errorf("anonymous without locked: %v %+v", err, s)
	}
}
