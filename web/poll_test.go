package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/web"
	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"
)

// pollSite is a running server over a fresh database with one consultation
// and a settable clock.
type pollSite struct {
	db    *bun.DB
	c     *forum.Consultation
	url   string
	clock atomic.Int64 // unix nanoseconds
}

func newPollSite(t *testing.T) *pollSite { return newPollSiteWith(t, nil) }

// newPollSiteWith is newPollSite with set applied to the server's Config.
func newPollSiteWith(t *testing.T, set func(*web.Config)) *pollSite {
	t.Helper()
	ctx := context.Background()
	ps := &pollSite{db: storagetest.NewDB(t)}
	ps.clock.Store(time.Date(2025, 12, 10, 0, 0, 0, 0, time.UTC).UnixNano())
	if err := web.Migrate(ctx, ps.db); err != nil { // every table the server reads
		t.Fatal(err)
	}
	ps.c = &forum.Consultation{Title: "Taman", Source: "test", SourceKey: "poll"}
	if err := forum.UpsertImportedConsultation(ctx, ps.db, ps.c, time.Unix(0, ps.clock.Load())); err != nil {
		t.Fatal(err)
	}
	cfg := web.Config{DB: ps.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
		Now: func() time.Time { return time.Unix(0, ps.clock.Load()).UTC() }}
	if set != nil {
		set(&cfg)
	}
	srv, err := web.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	ps.url = ts.URL
	return ps
}

// survey creates a survey closing at 2025-12-31 23:59 WIB.
func (ps *pollSite) survey(t *testing.T, s polls.Survey, qs ...polls.Question) *polls.Survey {
	t.Helper()
	wib := time.FixedZone("WIB", 7*3600)
	s.ConsultationID, s.Title = ps.c.ID, "Pilih lokasi"
	s.OpensAt, s.ClosesAt = time.Date(2025, 12, 1, 8, 0, 0, 0, wib), time.Date(2025, 12, 31, 23, 59, 0, 0, wib)
	if err := polls.NewStore(ps.db, func() time.Time { return s.OpensAt }).CreateSurvey(context.Background(), forum.Viewer{}, &s, qs); err != nil {
		t.Fatal(err)
	}
	return &s
}

func (ps *pollSite) path(s *polls.Survey) string { return fmt.Sprintf("%s/survei/%d", ps.url, s.ID) }

// client is a cookie-keeping client that does not follow redirects.
func pollClient(t *testing.T) *http.Client {
	t.Helper()
	return browser(t)
}

func pollGet(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// pollPost opens the poll page (for the cookie and CSRF token), then posts form.
func (ps *pollSite) pollPost(t *testing.T, c *http.Client, s *polls.Survey, form url.Values) (int, string) {
	t.Helper()
	_, body := pollGet(t, c, ps.path(s))
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on the poll page:\n%s", body)
	}
	form.Set("csrf", m[1])
	return ps.post(t, c, ps.path(s), form)
}

func (ps *pollSite) post(t *testing.T, c *http.Client, u string, form url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", ps.url)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func rankedQ() polls.Question {
	return polls.Question{Code: "r", Kind: polls.KindRanked, Text: "Urutkan lokasi", Required: true, Spec: polls.Spec{Options: []string{"A", "B", "C"}}}
}

// TestPollC02SameWinnerEverywhere stores the ballot sets of CASES C02 and
// checks that the results page, the JSON API, the CSV and the XLSX export
// show the same outcome, winners and order.
func TestPollC02SameWinnerEverywhere(t *testing.T) {
	cases := []struct {
		name    string
		ballots [][]string
		label   string // Indonesian outcome label on the page
		winners string
		order   string
	}{
		{"a", [][]string{{"0", "1", "2"}, {"0", "1", "2"}, {"1", "0", "2"}, {"1", "0", "2"}, {"2", "1", "0"}}, "Pemenang", "B", "B A C"},
		{"b", [][]string{{"0", "1"}, {"0", "1"}, {"1", "0"}, {"2", "1"}}, "Seri", "A / B", "A B C"},
		{"c", [][]string{{"0", "1"}, {"1", "0"}}, "Seri", "A / B", "A B C"},
		{"d", nil, "Belum ada suara", "", "A B C"},
		{"e", [][]string{{"2"}}, "Pemenang", "C", "C A B"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := newPollSite(t)
			s := ps.survey(t, polls.Survey{}, rankedQ())
			for _, b := range tc.ballots {
				if code, body := ps.pollPost(t, pollClient(t), s, url.Values{"a_r": b}); code != http.StatusSeeOther {
					t.Fatalf("vote %v: %d\n%s", b, code, body)
				}
			}
			c := pollClient(t)
			_, page := pollGet(t, c, ps.path(s)+"/results")
			if !strings.Contains(page, tc.label) || (tc.winners != "" && !strings.Contains(page, "</strong>: <span dir=\"auto\">"+tc.winners+"</span>")) {
				t.Errorf("page does not show %s %q", tc.label, tc.winners)
			}
			var api struct {
				Questions []struct {
					Outcome string   `json:"outcome"`
					Winners []string `json:"winners"`
					Options []struct {
						Label string `json:"label"`
					} `json:"options"`
				} `json:"questions"`
			}
			_, body := pollGet(t, c, fmt.Sprintf("%s/api/v1/polls/%d/results", ps.url, s.ID))
			if err := json.Unmarshal([]byte(body), &api); err != nil {
				t.Fatal(err)
			}
			var order []string
			for _, o := range api.Questions[0].Options {
				order = append(order, o.Label)
			}
			if strings.Join(api.Questions[0].Winners, " / ") != tc.winners || strings.Join(order, " ") != tc.order {
				t.Errorf("API: winners %v order %v", api.Questions[0].Winners, order)
			}
			_, csvBody := pollGet(t, c, ps.path(s)+"/results.csv")
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			_, xlsxBody := pollGet(t, c, ps.path(s)+"/results.xlsx")
			f, err := excelize.OpenReader(bytes.NewReader([]byte(xlsxBody)))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := f.GetRows("Hasil")
			if err != nil {
				t.Fatal(err)
			}
			for name, tab := range map[string][][]string{"CSV": recs, "XLSX": rows} {
				var got []string
				for i := range tab {
					tab[i] = append(tab[i], make([]string, 9)...) // XLSX rows drop trailing blanks
				}
				for _, r := range tab[1:4] {
					got = append(got, r[3])
				}
				if strings.Join(got, " ") != tc.order || tab[1][8] != tc.winners || tab[1][7] != strings.ToLower(tc.label) {
					t.Errorf("%s: order %v, winner %q, outcome %q", name, got, tab[1][8], tab[1][7])
				}
			}
		})
	}
}

// TestPollC03TimeZones shows the close time in each viewer zone and accepts
// or refuses votes by the instant only.
func TestPollC03TimeZones(t *testing.T) {
	ps := newPollSite(t)
	s := ps.survey(t, polls.Survey{}, polls.Question{Code: "s", Kind: polls.KindYesNo, Text: "Setuju?", Required: true})
	views := []struct{ tz, want string }{
		{"", "31 Des 2025 23.59 WIB"},
		{"Asia/Jakarta", "31 Des 2025 23.59 WIB"},
		{"Asia/Makassar", "1 Jan 2026 00.59 WITA"},
		{"Asia/Jayapura", "1 Jan 2026 01.59 WIT"},
		{"UTC", "31 Des 2025 16.59 UTC+00:00"},
	}
	for _, v := range views {
		t.Run("view "+v.tz, func(t *testing.T) {
			_, body := pollGet(t, pollClient(t), ps.path(s)+"?tz="+url.QueryEscape(v.tz))
			body = html.UnescapeString(body)
			if !strings.Contains(body, v.want) || !strings.Contains(body, `datetime="2025-12-31T16:59:00Z"`) {
				t.Fatalf("close time %q not shown", v.want)
			}
		})
	}
	votes := []struct {
		at   string
		code int
	}{{"2025-12-31T16:59:30Z", http.StatusSeeOther}, {"2025-12-31T17:00:30Z", http.StatusConflict}}
	for _, v := range votes {
		t.Run("vote at "+v.at, func(t *testing.T) {
			// The form is loaded while the poll is open, and sent at v.at.
			ps.clock.Store(time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC).UnixNano())
			c := pollClient(t)
			_, page := pollGet(t, c, ps.path(s)+"?tz=Asia/Jayapura")
			at, _ := time.Parse(time.RFC3339, v.at)
			ps.clock.Store(at.UnixNano())
			code, body := ps.post(t, c, ps.path(s), url.Values{"a_s": {"0"}, "csrf": {csrfRE.FindStringSubmatch(page)[1]}})
			if code != v.code || (code == http.StatusConflict && !strings.Contains(body, "sudah ditutup")) {
				t.Fatalf("status %d, want %d", code, v.code)
			}
		})
	}
}

// TestPollC01ParallelOneVote sends 20 parallel votes with two different
// options from one visitor to a locked single-choice poll.
func TestPollC01ParallelOneVote(t *testing.T) {
	ps := newPollSite(t)
	s := ps.survey(t, polls.Survey{Locked: true}, polls.Question{Code: "s", Kind: polls.KindSingle, Text: "Pilih", Required: true,
		Spec: polls.Spec{Options: []string{"A", "B"}}})
	c := pollClient(t)
	_, body := pollGet(t, c, ps.path(s))
	tok := csrfRE.FindStringSubmatch(body)[1]
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = ps.post(t, c, ps.path(s), url.Values{"csrf": {tok}, "a_s": {fmt.Sprint(i % 2)}})
		}()
	}
	wg.Wait()
	ok := 0
	for _, code := range codes {
		switch code {
		case http.StatusSeeOther:
			ok++
		case http.StatusConflict:
		default:
			t.Fatalf("status %d among %v", code, codes)
		}
	}
	all, err := polls.AllAnswers(context.Background(), ps.db, s, s.Deadline())
	if err != nil || ok != 1 || len(all) != 1 {
		t.Fatalf("%d accepted, %d stored (%v)", ok, len(all), err)
	}
}

// TestPollBadInput checks the limits' messages in both languages (C09).
func TestPollBadInput(t *testing.T) {
	ps := newPollSite(t)
	s := ps.survey(t, polls.Survey{}, polls.Question{Code: "w", Kind: polls.KindWords, Text: "Satu kata", Required: true})
	cases := []struct {
		name, lang, word string
		code             int
		want             string
	}{
		{"too long id", "id", strings.Repeat("A", 5000), http.StatusBadRequest, "paling banyak 60 karakter"},
		{"too long en", "en", strings.Repeat("A", 5000), http.StatusBadRequest, "at most 60 characters"},
		{"blank", "en", "  ", http.StatusBadRequest, "Please answer"},
		{"ok", "id", "hijau", http.StatusSeeOther, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := pollClient(t)
			pollGet(t, c, ps.path(s)+"?lang="+tc.lang)
			code, body := ps.pollPost(t, c, s, url.Values{"a_w": {tc.word}})
			if code != tc.code || !strings.Contains(body, tc.want) {
				t.Fatalf("status %d, want %d with %q", code, tc.code, tc.want)
			}
		})
	}
	if code, _ := pollGet(t, pollClient(t), ps.url+"/survei/999"); code != http.StatusNotFound {
		t.Fatalf("missing poll: %d", code)
	}
	if code, _ := pollGet(t, pollClient(t), ps.url+"/api/v1/ikm/none/2026-S1"); code != http.StatusNotFound {
		t.Fatalf("missing unit: %d", code)
	}
}
