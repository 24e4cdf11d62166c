package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
)

// liveFragment is the part of a results page that live updates replace.
var liveFragment = regexp.MustCompile(`(?s)<div id="poll-live"[^>]*>(.*)</div>\n<script`)

type pollEvent struct {
	Type string `json:"type"`
	Seq  uint64 `json:"seq"`
	Data struct {
		Survey      int64             `json:"survey"`
		Respondents int               `json:"respondents"`
		HTML        map[string]string `json:"html"`
	} `json:"data"`
}

// dialPoll opens the results websocket of channel; it returns the HTTP
// status when the upgrade is refused.
func dialPoll(t *testing.T, ps *pollSite, channel string) (*websocket.Conn, int) {
	t.Helper()
	ws := "ws" + strings.TrimPrefix(ps.url, "http") + "/survei/ws?channel=" + url.QueryEscape(channel)
	conn, res, err := websocket.DefaultDialer.Dial(ws, http.Header{"Origin": {ps.url}})
	if err != nil {
		if res == nil {
			t.Fatal(err)
		}
		return nil, res.StatusCode
	}
	t.Cleanup(func() { conn.Close() })
	return conn, http.StatusSwitchingProtocols
}

// TestPollResultsLive: the results page follows its channel; the snapshot
// and every coalesced event carry exactly the page's own results part (same
// code path, same winner and order), and the channel is as visible as the
// page.
func TestPollResultsLive(t *testing.T) {
	ps := newPollSite(t)
	q := polls.Question{Code: "s", Kind: polls.KindSingle, Text: "Lokasi taman", Required: true, Spec: polls.Spec{Options: []string{"Utara", "Selatan"}}}
	s := ps.survey(t, polls.Survey{}, q)
	channel := fmt.Sprintf("poll-%d", s.ID)
	_, page := pollGet(t, pollClient(t), ps.path(s)+"/results")
	if !strings.Contains(page, `data-channel="`+channel+`"`) || !strings.Contains(page, "poll_live") || strings.Contains(page, "<script>") {
		t.Fatal("results page is not wired for live updates (or has an inline script)")
	}
	if _, page := pollGet(t, pollClient(t), ps.path(s)+"/results?by=s"); strings.Contains(page, "data-channel") {
		t.Fatal("a breakdown page would be overwritten by live updates")
	}
	conn, code := dialPoll(t, ps, channel)
	if code != http.StatusSwitchingProtocols {
		t.Fatalf("dial: %d", code)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	read := func() pollEvent {
		var ev pollEvent
		if err := conn.ReadJSON(&ev); err != nil {
			t.Fatal(err)
		}
		return ev
	}
	if ev := read(); ev.Type != "welcome" {
		t.Fatalf("first message %q", ev.Type)
	}
	snap := read()
	if snap.Type != "snapshot" || snap.Data.Respondents != 0 || !strings.Contains(snap.Data.HTML["id"], "elum ada suara") ||
		!strings.Contains(snap.Data.HTML["en"], "o votes yet") {
		t.Fatalf("snapshot %+v", snap)
	}
	const votes = 12
	for i := 0; i < votes; i++ {
		choice := "1"
		if i%3 == 0 {
			choice = "0"
		}
		if code, _ := ps.pollPost(t, pollClient(t), s, url.Values{"a_s": {choice}}); code != http.StatusSeeOther {
			t.Fatalf("vote %d: %d", i, code)
		}
	}
	events, last := 0, pollEvent{}
	for last.Data.Respondents < votes {
		last = read()
		if last.Type != "results" || last.Seq == 0 {
			t.Fatalf("unexpected message %+v", last)
		}
		events++
	}
	t.Logf("%d votes, %d results events", votes, events)
	if events >= votes {
		t.Fatalf("%d events for %d votes: not coalesced", events, votes)
	}
	_, page = pollGet(t, pollClient(t), ps.path(s)+"/results")
	m := liveFragment.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no live part on the page")
	}
	if m[1] != last.Data.HTML["id"] {
		t.Fatalf("live update differs from the page:\n%s\n---\n%s", last.Data.HTML["id"], m[1])
	}
	if !strings.Contains(m[1], "Selatan") || !strings.Contains(m[1], "12 responden") {
		t.Fatalf("page part: %s", m[1])
	}

	// The channel is as visible as the page.
	draft := &forum.Consultation{Title: "Draf", Source: "test", SourceKey: "draft"}
	if err := forum.UpsertImportedConsultation(context.Background(), ps.db, draft, time.Unix(0, ps.clock.Load())); err != nil {
		t.Fatal(err)
	}
	hidden := *s
	hidden.ID, hidden.ConsultationID = 0, draft.ID
	if err := polls.NewStore(ps.db, func() time.Time { return s.OpensAt }).CreateSurvey(context.Background(), forum.Viewer{}, &hidden, []polls.Question{q}); err != nil {
		t.Fatal(err)
	}
	if _, err := ps.db.NewUpdate().Model(draft).Set("status = ?", forum.StatusDraft).WherePK().Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, channel string
		want          int
	}{
		{"draft consultation", fmt.Sprintf("poll-%d", hidden.ID), http.StatusForbidden},
		{"no such survey", "poll-999999", http.StatusForbidden},
		{"not a poll channel", "live-1", http.StatusForbidden},
		{"leading zero", fmt.Sprintf("poll-0%d", s.ID), http.StatusForbidden},
		{"bad channel", "poll 1", http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if code, _ := pollGet(t, pollClient(t), fmt.Sprintf("%s/survei/%d/results", ps.url, hidden.ID)); tc.name == "draft consultation" && code != http.StatusNotFound {
				t.Fatalf("draft results page: %d", code)
			}
			if _, code := dialPoll(t, ps, tc.channel); code != tc.want {
				t.Fatalf("dial %s: %d, want %d", tc.channel, code, tc.want)
			}
		})
	}
}
