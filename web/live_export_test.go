package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rembug/rembug/realtime/live"
)

// TestLiveExport checks who may export a session's record and that the
// CSV parts are formula-safe while the JSON keeps raw values.
func TestLiveExport(t *testing.T) {
	f := newLiveFixture(t)
	code := f.createSession(t, nil)
	page := "/live/" + code
	guest := browser(t)
	formula := "=1+1 kenapa?"
	if res, body := post(t, guest, f.url, page, page+"/ask", url.Values{"text": {formula}, "name": {"@budi"}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ask: %d\n%s", res.StatusCode, body)
	}
	if res, _ := post(t, guest, f.url, page, page+"/upvote", url.Values{"question": {"1"}, "on": {"1"}}, "application/json"); res.StatusCode != 200 {
		t.Fatalf("upvote: %d", res.StatusCode)
	}
	for _, tc := range []struct {
		name   string
		client *http.Client
		file   string
		status int
		want   []string
	}{
		{"guest refused", guest, "questions.csv", http.StatusForbidden, nil},
		{"unknown part", f.mod, "secrets.csv", http.StatusNotFound, nil},
		{"questions csv", f.mod, "questions.csv", 200, []string{"id,status,answered", "'=1+1 kenapa?", "'@budi", ",P1,"}},
		{"upvotes csv", f.mod, "upvotes.csv", 200, []string{"question_id,participant,created_at", "1,P1,"}},
		{"polls csv", f.mod, "polls.csv", 200, []string{"poll_id,kind,question"}},
		{"answers csv", f.mod, "answers.csv", 200, []string{"poll_id,participant,options"}},
	} {
		st, body := get(t, tc.client, f.url+page+"/export/"+tc.file)
		if st != tc.status {
			t.Fatalf("%s: status %d, want %d\n%s", tc.name, st, tc.status, body)
		}
		if st == 200 && !strings.HasPrefix(body, "\ufeff") {
			t.Errorf("%s: no byte order mark", tc.name)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: %q missing from\n%s", tc.name, w, body)
			}
		}
	}
	st, body := get(t, f.mod, f.url+page+"/export/record.json")
	var rec live.Record
	if err := json.Unmarshal([]byte(body), &rec); st != 200 || err != nil {
		t.Fatalf("record.json: %d %v", st, err)
	}
	if len(rec.Questions) != 1 || rec.Questions[0].Text != formula || rec.Questions[0].Upvotes != 1 || len(rec.Upvotes) != 1 {
		t.Fatalf("record.json: %+v", rec)
	}
}
