package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/web"
	"github.com/xuri/excelize/v2"
)

// breakdownCells matches the cells of the page's breakdown table.
var breakdownCells = regexp.MustCompile(`<td class="n">([^<]*)</td>`)

// TestPollBreakdownHidesSmallCells breaks a survey down by a yes/no
// question whose groups hold 8 and 2 respondents. At the default k = 5
// every cell of the second question is hidden (a count of 1, the 7 beside
// it that would give the 1 away, and the whole group of 2) on the page, in
// the API, the CSV and the XLSX; at k = 1 the same outputs show the counts.
func TestPollBreakdownHidesSmallCells(t *testing.T) {
	qs := []polls.Question{
		{Code: "w", Kind: polls.KindYesNo, Text: "Warga kota?", Required: true},
		{Code: "s", Kind: polls.KindSingle, Text: "Lokasi", Required: true, Spec: polls.Spec{Options: []string{"Utara", "Selatan"}}},
	}
	answers := [][2]string{}
	for i := 0; i < 7; i++ {
		answers = append(answers, [2]string{"0", "0"})
	}
	answers = append(answers, [2]string{"0", "1"}, [2]string{"1", "0"}, [2]string{"1", "1"})
	for _, k := range []int{0, 1} {
		t.Run(fmt.Sprint("k=", k), func(t *testing.T) {
			ps := newPollSiteWith(t, func(c *web.Config) { c.PollMinCell = k })
			s := ps.survey(t, polls.Survey{}, qs...)
			for i, a := range answers {
				if code, body := ps.pollPost(t, pollClient(t), s, url.Values{"a_w": {a[0]}, "a_s": {a[1]}}); code != http.StatusSeeOther {
					t.Fatalf("answer %d: %d\n%s", i, code, body)
				}
			}
			c := pollClient(t)
			want := "* * * *"
			if k == 1 {
				want = "7 1 1 1" // Utara then Selatan, yes then no
			}
			outputs := map[string][]string{}
			_, page := pollGet(t, c, ps.path(s)+"/results?by=w")
			tables := strings.Split(page, "<caption>")
			for _, m := range breakdownCells.FindAllStringSubmatch(tables[len(tables)-1], -1) {
				outputs["page"] = append(outputs["page"], m[1])
			}
			var api struct {
				Breakdown struct {
					Groups []struct {
						Questions []struct {
							Code    string `json:"code"`
							Options []struct {
								Votes  *int `json:"votes"`
								Hidden bool `json:"hidden"`
							} `json:"options"`
						} `json:"questions"`
					} `json:"groups"`
				} `json:"breakdown"`
			}
			_, body := pollGet(t, c, fmt.Sprintf("%s/api/v1/polls/%d/results?by=w", ps.url, s.ID))
			if err := json.Unmarshal([]byte(body), &api); err != nil {
				t.Fatal(err)
			}
			for _, g := range api.Breakdown.Groups {
				for _, q := range g.Questions {
					for _, o := range q.Options {
						if q.Code != "s" {
							continue
						}
						switch {
						case o.Hidden && o.Votes == nil:
							outputs["api"] = append(outputs["api"], "*")
						case !o.Hidden && o.Votes != nil:
							outputs["api"] = append(outputs["api"], fmt.Sprint(*o.Votes))
						default:
							t.Errorf("API option hidden %v with votes %v", o.Hidden, o.Votes)
						}
					}
				}
			}
			_, csvBody := pollGet(t, c, ps.path(s)+"/results.csv?by=w")
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			_, xlsxBody := pollGet(t, c, ps.path(s)+"/results.xlsx?by=w")
			f, err := excelize.OpenReader(bytes.NewReader([]byte(xlsxBody)))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := f.GetRows("Rincian")
			if err != nil {
				t.Fatal(err)
			}
			for name, tab := range map[string][][]string{"csv": recs, "xlsx": rows} {
				for _, r := range tab[1:] {
					if r[3] == "s" {
						outputs[name] = append(outputs[name], r[6])
					}
				}
			}
			// The page lists a row per option with a cell per group; the
			// API, CSV and XLSX a group at a time: put the page in that order.
			if p := outputs["page"]; len(p) >= 4 {
				p = p[len(p)-4:]
				outputs["page"] = []string{p[0], p[2], p[1], p[3]}
			}
			for _, name := range []string{"page", "api", "csv", "xlsx"} {
				if got := strings.Join(outputs[name], " "); got != want {
					t.Errorf("%s: cells %q, want %q", name, got, want)
				}
			}
		})
	}
}

// TestPollLiveAnonymousSteps: an anonymous survey's live results move only
// in steps of at least k responses (k = 10 here, two batches), in events
// and in the snapshots of new connections alike.
func TestPollLiveAnonymousSteps(t *testing.T) {
	const k = 2 * polls.AnonymousBatch
	ps := newPollSiteWith(t, func(c *web.Config) { c.PollMinCell = k })
	q := polls.Question{Code: "s", Kind: polls.KindSingle, Text: "Lokasi", Required: true, Spec: polls.Spec{Options: []string{"Utara", "Selatan"}}}
	s := ps.survey(t, polls.Survey{Anonymous: true}, q)
	channel := fmt.Sprintf("poll-%d", s.ID)
	open := func() (func() pollEvent, pollEvent) {
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
		read() // welcome
		return read, read()
	}
	read, snap := open()
	if snap.Data.Respondents != 0 {
		t.Fatalf("first snapshot: %d respondents", snap.Data.Respondents)
	}
	vote := func(n int) {
		for i := 0; i < n; i++ {
			if code, _ := ps.pollPost(t, pollClient(t), s, url.Values{"a_s": {fmt.Sprint(i % 2)}}); code != http.StatusSeeOther {
				t.Fatalf("vote: %d", code)
			}
		}
	}
	vote(polls.AnonymousBatch) // one batch written: fewer than k new
	if _, snap := open(); snap.Data.Respondents != 0 {
		t.Fatalf("a new connection's snapshot shows %d respondents before k arrived", snap.Data.Respondents)
	}
	vote(polls.AnonymousBatch)
	if ev := read(); ev.Type != "results" || ev.Data.Respondents != k {
		t.Fatalf("first event after %d answers: %s with %d respondents, want %d", k, ev.Type, ev.Data.Respondents, k)
	}
}

// TestPollLiveAnonymousStepsAcrossNodes: two nodes on one database publish
// one sequence of live states of an anonymous survey (k = 10, so responses
// are written in batches of 10). Node A publishes 10; 3 more answers wait
// in the pool and count once the survey has closed, which is fewer than k
// new: node A keeps showing 10, and so must node B, which has published
// nothing itself and has had no answer to flush (a per-node memory would
// show 13 there, and the two nodes together would give away a group of 3).
func TestPollLiveAnonymousStepsAcrossNodes(t *testing.T) {
	const k = 2 * polls.AnonymousBatch
	a := newPollSiteWith(t, func(c *web.Config) { c.PollMinCell = k })
	b := &pollSite{db: a.db, c: a.c}
	b.clock.Store(a.clock.Load())
	srv, err := web.New(context.Background(), web.Config{DB: a.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Version: "test", PollMinCell: k, Now: func() time.Time { return time.Unix(0, b.clock.Load()).UTC() }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	b.url = ts.URL
	q := polls.Question{Code: "s", Kind: polls.KindSingle, Text: "Lokasi", Required: true, Spec: polls.Spec{Options: []string{"Utara", "Selatan"}}}
	s := a.survey(t, polls.Survey{Anonymous: true}, q)
	channel := fmt.Sprintf("poll-%d", s.ID)
	snapshot := func(node *pollSite) int {
		conn, code := dialPoll(t, node, channel)
		if code != http.StatusSwitchingProtocols {
			t.Fatalf("dial: %d", code)
		}
		defer conn.Close()
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		var ev pollEvent
		for ev.Type != "snapshot" {
			if err := conn.ReadJSON(&ev); err != nil {
				t.Fatal(err)
			}
		}
		return ev.Data.Respondents
	}
	vote := func(n int) {
		for i := 0; i < n; i++ {
			if code, _ := a.pollPost(t, pollClient(t), s, url.Values{"a_s": {fmt.Sprint(i % 2)}}); code != http.StatusSeeOther {
				t.Fatalf("vote: %d", code)
			}
		}
	}
	vote(k)
	if n := snapshot(a); n != k {
		t.Fatalf("node A shows %d respondents, want %d", n, k)
	}
	vote(3)
	closed := s.ClosesAt.Add(time.Minute).UnixNano()
	a.clock.Store(closed)
	b.clock.Store(closed)
	for _, node := range []struct {
		name string
		site *pollSite
	}{{"B", b}, {"A", a}} {
		if n := snapshot(node.site); n != k {
			t.Fatalf("node %s shows %d respondents after the close, while %d were published (k = %d)", node.name, n, k, k)
		}
	}
}
