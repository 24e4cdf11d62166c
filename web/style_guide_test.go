package web_test

import (
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestStyleGuide: /admin/gaya renders every component of the design system
// for staff, with each colour token's WCAG contrast against white, and is
// refused to participants and guests.
func TestStyleGuide(t *testing.T) {
	f := newFixture(t)
	analyst := fpSignIn(t, f, "analis", forum.RoleAnalyst)
	citizen := fpSignIn(t, f, "warga", forum.RoleParticipant)
	code, body := get(t, analyst.c, f.url+"/admin/gaya")
	if code != 200 {
		t.Fatalf("analyst: %d", code)
	}
	for _, want := range []string{`<button type="button" class="primary">`, `class="button primary big"`, `<li class="card">`,
		`class="badge is-ok"`, `class="alert is-warn"`, `<table class="data">`, `<div class="field">`, `aria-invalid="true"`,
		`<svg class="stackbar"`, `<ul class="legend">`, `<code>--primary</code></td><td><code>#0b5394</code></td><td class="n">7,84:1</td>`,
		`<code>--chart-2</code></td><td><code>#d55e00</code></td><td class="n">3,87:1</td>`} {
		if !strings.Contains(body, want) {
			t.Errorf("style guide lacks %s", want)
		}
	}
	for who, c := range map[string]int{"citizen": 0, "guest": 1} {
		cl := citizen.c
		if c == 1 {
			cl = browser(t)
		}
		if code, _ := get(t, cl, f.url+"/admin/gaya"); code != 403 && code != 401 && code != 303 {
			t.Errorf("%s: %d, want refused", who, code)
		}
	}
}
