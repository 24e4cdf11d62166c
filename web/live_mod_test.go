package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLiveModUnknownAction: a moderator form whose "do" names no action is
// a bad request (400) on every moderator form, while a known action that
// does not fit the question's state stays a conflict (409); a bogus
// session action does not end the session.
func TestLiveModUnknownAction(t *testing.T) {
	f := newLiveFixture(t)
	code := f.createSession(t, nil)
	page := "/live/" + code
	guest := browser(t)
	if res, _ := post(t, guest, f.url, page, page+"/ask", url.Values{"text": {"Kapan jalan diperbaiki?"}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ask: %d", res.StatusCode)
	}
	cases := []struct {
		name, action string
		form         url.Values
		accept       string
		want         int
	}{
		{"question bogus", "/mod/question", url.Values{"question": {"1"}, "do": {"bogus"}}, "", http.StatusBadRequest},
		{"question bogus JSON", "/mod/question", url.Values{"question": {"1"}, "do": {"bogus"}}, "application/json", http.StatusBadRequest},
		{"question empty", "/mod/question", url.Values{"question": {"1"}}, "", http.StatusBadRequest},
		{"question known but out of turn", "/mod/question", url.Values{"question": {"1"}, "do": {"reopen"}}, "", http.StatusConflict},
		{"poll bogus", "/mod/poll", url.Values{"poll": {"1"}, "do": {"bogus"}}, "", http.StatusBadRequest},
		{"session bogus", "/mod/session", url.Values{"do": {"bogus"}}, "", http.StatusBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, body := post(t, f.mod, f.url, page+"/mod", page+c.action, c.form, c.accept)
			if res.StatusCode != c.want {
				t.Fatalf("%s do=%q: %d, want %d\n%s", c.action, c.form.Get("do"), res.StatusCode, c.want, body)
			}
		})
	}
	if st, body := get(t, guest, f.url+page); st != http.StatusOK || strings.Contains(body, "Sesi ini sudah berakhir") {
		t.Errorf("session page after a bogus session action: %d", st)
	}
}

// TestLiveModFourLists: the moderator page sorts questions into four lists
// with their counts: incoming (pending), approved, on screen (on stage) and
// done (answered, hidden, archived).
func TestLiveModFourLists(t *testing.T) {
	f := newLiveFixture(t)
	code := f.createSession(t, url.Values{"premoderate": {"1"}, "per_minute": {"10"}})
	page := "/live/" + code
	guest := browser(t)
	for _, text := range []string{"Satu?", "Dua?", "Tiga?", "Empat?", "Lima?"} {
		if res, _ := post(t, guest, f.url, page, page+"/ask", url.Values{"text": {text}}, ""); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("ask %s: %d", text, res.StatusCode)
		}
	}
	for _, a := range []struct{ q, do string }{
		{"2", "approve"}, {"3", "approve"}, {"3", "highlight"}, {"4", "approve"}, {"4", "answered"}, {"5", "hide"},
	} {
		if res, body := post(t, f.mod, f.url, page+"/mod", page+"/mod/question", url.Values{"question": {a.q}, "do": {a.do}}, ""); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s %s: %d\n%s", a.do, a.q, res.StatusCode, body)
		}
	}
	_, body := get(t, f.mod, f.url+page+"/mod")
	for _, c := range []struct {
		list, count string
		ids         []string
	}{
		{"incoming", "1", []string{"q1"}},
		{"approved", "1", []string{"q2"}},
		{"stage", "1", []string{"q3"}},
		{"done", "2", []string{"q4", "q5"}},
	} {
		i := strings.Index(body, `id="list-`+c.list+`"`)
		if i < 0 {
			t.Fatalf("no list %s", c.list)
		}
		sec := body[i:]
		sec = sec[:strings.Index(sec, "</section>")]
		if !strings.Contains(sec, `<span class="badge">`+c.count+`</span>`) {
			t.Errorf("list %s: count is not %s\n%s", c.list, c.count, sec)
		}
		if n := strings.Count(sec, `<li id="q`); n != len(c.ids) {
			t.Errorf("list %s holds %d questions, want %v", c.list, n, c.ids)
		}
		for _, id := range c.ids {
			if !strings.Contains(sec, `<li id="`+id+`"`) {
				t.Errorf("list %s lacks %s", c.list, id)
			}
		}
	}
}
