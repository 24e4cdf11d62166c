package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/web"
	"github.com/xuri/excelize/v2"
)

// member creates a signed-in user on ps with region (kept only with
// consent) and time zone tz, and returns a client carrying their session.
func (ps *pollSite) member(t *testing.T, i int, region string, consent bool, tz string) (*forum.User, *http.Client) {
	t.Helper()
	ctx := context.Background()
	at := time.Unix(0, ps.clock.Load())
	u := &forum.User{Email: fmt.Sprintf("warga%d@example.id", i), DisplayName: fmt.Sprintf("Warga %d", i), TimeZone: tz}
	if err := forumtest.CreateUser(ctx, ps.db, u, at); err != nil {
		t.Fatal(err)
	}
	if consent {
		if err := forum.NewStore(ps.db, func() time.Time { return at }).GrantConsent(ctx, u.ID, forum.ConsentRegion); err != nil {
			t.Fatal(err)
		}
	}
	if region != "" {
		if _, err := ps.db.NewRaw(`INSERT INTO profile_answers (user_id, question, answer, updated_at) VALUES (?, 'kecamatan', ?, ?)`,
			u.ID, region, at).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	tok, err := forum.CreateSession(ctx, ps.db, u.ID, at)
	if err != nil {
		t.Fatal(err)
	}
	c := pollClient(t)
	base, _ := url.Parse(ps.url)
	c.Jar.SetCookies(base, []*http.Cookie{{Name: "rembug_s", Value: tok, Path: "/"}})
	return u, c
}

// TestPollResultsByRegion: the page, the API, the CSV and the XLSX break
// results down by kecamatan with consent only, pool regions under 3
// respondents into "Lainnya" and put guests and non-consenting users in
// "Tidak diketahui"; anonymous polls offer no region breakdown.
func TestPollResultsByRegion(t *testing.T) {
	// k = 1 shows every cell: this test is about the groups (the small
	// cells' rule has TestPollBreakdownHidesSmallCells).
	ps := newPollSiteWith(t, func(c *web.Config) { c.PollMinCell = 1 })
	q := polls.Question{Code: "s", Kind: polls.KindSingle, Text: "Lokasi taman", Required: true, Spec: polls.Spec{Options: []string{"Utara", "Selatan"}}}
	s := ps.survey(t, polls.Survey{}, q)
	voters := []struct {
		region  string
		consent bool
		choice  string
	}{
		{"Coblong", true, "0"}, {"Coblong", true, "0"}, {"coblong", true, "1"},
		{"Sukajadi", true, "1"}, {"Sukajadi", true, "1"}, {"Sukajadi", true, "1"},
		{"Cidadap", true, "0"}, {"Lengkong", true, "1"}, {"Lengkong", true, "1"},
		{"Andir", false, "0"}, // region without consent: unknown
	}
	for i, v := range voters {
		_, c := ps.member(t, i, v.region, v.consent, "Asia/Jakarta")
		if code, body := ps.pollPost(t, c, s, url.Values{"a_s": {v.choice}}); code != http.StatusSeeOther {
			t.Fatalf("voter %d: %d\n%s", i, code, body)
		}
	}
	if code, _ := ps.pollPost(t, pollClient(t), s, url.Values{"a_s": {"1"}}); code != http.StatusSeeOther { // a guest
		t.Fatal("guest vote refused")
	}
	c := pollClient(t)
	code, page := pollGet(t, c, ps.path(s)+"/results?by=region")
	if code != http.StatusOK {
		t.Fatalf("page: %d\n%s", code, page)
	}
	for _, want := range []string{"Coblong (3)", "Sukajadi (3)", "Lainnya (3)", "Tidak diketahui (2)", `<option value="region" selected>`, "results.csv?by=region"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, never := range []string{"Cidadap", "Lengkong", "Andir", `data-channel=`} {
		if strings.Contains(page, never) {
			t.Errorf("page shows %q", never)
		}
	}
	var api struct {
		Respondents int `json:"respondents"`
		Breakdown   struct {
			By     string `json:"by"`
			Groups []struct {
				Kind        string `json:"kind"`
				Name        string `json:"name"`
				Respondents int    `json:"respondents"`
				Questions   []struct {
					Options []struct {
						Label string `json:"label"`
						Votes int    `json:"votes"`
					} `json:"options"`
				} `json:"questions"`
			} `json:"groups"`
		} `json:"breakdown"`
	}
	_, body := pollGet(t, c, fmt.Sprintf("%s/api/v1/polls/%d/results?by=region&lang=en", ps.url, s.ID))
	if err := json.Unmarshal([]byte(body), &api); err != nil {
		t.Fatal(err)
	}
	var got []string
	sum := 0
	for _, g := range api.Breakdown.Groups {
		o := g.Questions[0].Options
		got = append(got, fmt.Sprintf("%s:%s:%d:%s=%d,%s=%d", g.Kind, g.Name, g.Respondents, o[0].Label, o[0].Votes, o[1].Label, o[1].Votes))
		sum += g.Respondents
	}
	// Selatan wins overall (7 to 4), so it comes first in every group.
	want := []string{"region:Coblong:3:Selatan=1,Utara=2", "region:Sukajadi:3:Selatan=3,Utara=0",
		"other:Other:3:Selatan=2,Utara=1", "unknown:Unknown:2:Selatan=1,Utara=1"}
	if fmt.Sprint(got) != fmt.Sprint(want) || sum != api.Respondents || api.Breakdown.By != "region" {
		t.Fatalf("API breakdown %q (sum %d of %d)\nwant %q", got, sum, api.Respondents, want)
	}
	_, csvBody := pollGet(t, c, ps.path(s)+"/results.csv?by=region&lang=id")
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 9 || recs[5][1] != "Lainnya" || recs[5][6] != "2" || strings.Contains(csvBody, "Cidadap") {
		t.Fatalf("CSV breakdown: %q", recs)
	}
	_, xlsxBody := pollGet(t, c, ps.path(s)+"/results.xlsx?by=region")
	f, err := excelize.OpenReader(bytes.NewReader([]byte(xlsxBody)))
	if err != nil {
		t.Fatal(err)
	}
	if sheets := f.GetSheetList(); fmt.Sprint(sheets) != "[Hasil Rincian]" {
		t.Fatalf("XLSX sheets %v", sheets)
	}
	// Anonymous polls: no region anywhere.
	anon := ps.survey(t, polls.Survey{Anonymous: true}, q)
	if _, page := pollGet(t, c, ps.path(anon)+"/results"); strings.Contains(page, `value="region"`) {
		t.Error("an anonymous poll offers a region breakdown")
	}
	for _, u := range []string{ps.path(anon) + "/results?by=region", fmt.Sprintf("%s/api/v1/polls/%d/results?by=region", ps.url, anon.ID),
		ps.path(anon) + "/results.csv?by=region"} {
		if code, body := pollGet(t, c, u); code != http.StatusBadRequest || strings.Contains(body, "Tidak diketahui") {
			t.Errorf("%s: %d", u, code)
		}
	}
}

// TestPollTimesInProfileZone is CASES C03's display rule for signed-in
// users: their profile's zone unless a ?tz= link asks for another.
func TestPollTimesInProfileZone(t *testing.T) {
	ps := newPollSite(t)
	s := ps.survey(t, polls.Survey{}, rankedQ()) // closes 2025-12-31 23:59 WIB
	_, papua := ps.member(t, 1, "", false, "Asia/Jayapura")
	_, jakarta := ps.member(t, 2, "", false, "Asia/Jakarta")
	cases := []struct {
		name   string
		client *http.Client
		query  string
		want   string
	}{
		{"guest", pollClient(t), "", "31 Des 2025 23.59 WIB"},
		{"profile WIT", papua, "", "1 Jan 2026 01.59 WIT"},
		{"profile WIT, results page", papua, "/results", "1 Jan 2026 01.59 WIT"},
		{"link asks WITA", papua, "?tz=Asia/Makassar", "1 Jan 2026 00.59 WITA"},
		{"profile again after the link", papua, "", "1 Jan 2026 01.59 WIT"},
		{"profile WIB", jakarta, "", "31 Des 2025 23.59 WIB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, page := pollGet(t, tc.client, ps.path(s)+tc.query)
			if !strings.Contains(page, tc.want) {
				t.Fatalf("page does not show %q", tc.want)
			}
		})
	}
}
