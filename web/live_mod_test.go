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
