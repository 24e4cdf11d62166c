package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/polls"
	"github.com/uptrace/bun"
)

// seedCamps adds to f's consultation 8 visible statements and n imported
// participants in two camps voting opposite ways, everyone agreeing with
// the first statement, and everyone voting on the fixture's hidden one.
func seedCamps(t *testing.T, f *fixture, n int) {
	t.Helper()
	ctx := context.Background()
	words := []string{"Pohon peneduh di taman", "Lampu penerangan taman", "Parkir dekat taman", "Parkir berbayar",
		"Jalur sepeda terpisah", "Sepeda masuk taman", "Pedagang ditertibkan", "Pasar malam di taman"}
	var stmts []polls.Statement
	for i, w := range words {
		stmts = append(stmts, polls.Statement{ConsultationID: f.c.ID, SourceKey: fmt.Sprint("s", i), Text: w,
			CreatedAt: now.Add(time.Duration(10+i) * time.Second)})
	}
	if _, err := f.db.NewInsert().Model(&stmts).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	var votes []polls.StatementVote
	for p := range n {
		pp, err := forum.EnsureParticipant(ctx, f.db, forum.ParticipantImported, "polis:test", fmt.Sprint(p), now)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range stmts {
			v := polls.Disagree
			if i == 0 || (i%2 == 0) == (p%2 == 0) {
				v = polls.Agree
			}
			votes = append(votes, polls.StatementVote{StatementID: s.ID, ParticipantID: pp.ID, Value: v,
				VotedAt: now.Add(-time.Duration(p%3) * 24 * time.Hour)})
		}
		votes = append(votes, polls.StatementVote{StatementID: f.stmts[2].ID, ParticipantID: pp.ID, Value: polls.Agree, VotedAt: now})
	}
	if _, err := f.db.NewInsert().Model(&votes).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return polls.Recount(ctx, tx, f.c.ID) }); err != nil {
		t.Fatal(err)
	}
}

func publish(t *testing.T, f *fixture) {
	t.Helper()
	publishReport(t, f.db, f.c.ID, now)
}

// publishReport publishes consultation id's report at at, as a fresh admin
// account would with the report page's button (forum.Store.PublishReport).
func publishReport(t *testing.T, db *bun.DB, id int64, at time.Time) {
	t.Helper()
	ctx := context.Background()
	u := &forum.User{DisplayName: "Penerbit", Email: fmt.Sprintf("penerbit-%d@example.test", id), Role: forum.RoleAdmin}
	if err := forumtest.CreateUser(ctx, db, u, at); err != nil {
		t.Fatal(err)
	}
	v, err := forum.LoadViewer(ctx, db, u, 0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := forum.ConsultationByRef(ctx, db, fmt.Sprint(id))
	if err != nil {
		t.Fatal(err)
	}
	if err := forum.NewStore(db, func() time.Time { return at }).PublishReport(ctx, v, c, true); err != nil {
		t.Fatal(err)
	}
}

// apiReport is the part of the report JSON the tests read.
type apiReport struct {
	Opinion struct {
		Reason string `json:"reason"`
		Groups []struct {
			Size    int `json:"size"`
			Members []struct {
				PublicID string `json:"public_id"`
				SourceID string `json:"source_id"`
			} `json:"members"`
		} `json:"groups"`
	} `json:"opinion"`
}

func TestReportNeedsPublishing(t *testing.T) {
	f := newFixture(t)
	c := browser(t)
	code, body := get(t, c, f.url+"/k/"+f.c.Slug+"/report")
	if code != http.StatusForbidden || !strings.Contains(body, "belum diterbitkan") {
		t.Fatalf("unpublished report page: %d\n%s", code, body)
	}
	code, body = get(t, c, f.url+"/api/v1/consultations/"+fmt.Sprint(f.c.ID)+"/report")
	if code != http.StatusForbidden || !strings.Contains(body, `"code":"report.not_published"`) {
		t.Fatalf("unpublished report API: %d %s", code, body)
	}
}

// TestReportNotEnoughData is CASES C20 through the page and the API.
func TestReportNotEnoughData(t *testing.T) {
	f := newFixture(t)
	publish(t, f)
	c := browser(t)
	for _, tc := range []struct{ lang, want string }{{"id", "Belum cukup data"}, {"en", "Not enough data yet"}} {
		code, body := get(t, c, f.url+"/k/"+f.c.Slug+"/report?lang="+tc.lang)
		if code != 200 || !strings.Contains(body, tc.want) || strings.Contains(body, "opinion-map") {
			t.Fatalf("%s: %d\n%s", tc.lang, code, body)
		}
	}
	code, body := get(t, c, f.url+"/api/v1/consultations/"+f.c.Slug+"/report")
	var rep apiReport
	if err := json.Unmarshal([]byte(body), &rep); code != 200 || err != nil || rep.Opinion.Reason != "opinion.too_few_participants" {
		t.Fatalf("API: %d %v %s", code, err, body)
	}
}

func TestReportGroups(t *testing.T) {
	f := newFixture(t)
	seedCamps(t, f, 24)
	publish(t, f)
	c := browser(t)
	code, body := get(t, c, f.url+"/k/"+f.c.Slug+"/report")
	if code != 200 || !strings.Contains(body, `class="opinion-map"`) || !strings.Contains(body, "Kelompok B") ||
		strings.Count(body, "<circle") != 24 {
		t.Fatalf("report page: %d\n%s", code, body)
	}
	if strings.Contains(body, "Rahasia") || strings.Contains(body, "NaN") {
		t.Fatal("report page shows hidden text or NaN")
	}
	code, body = get(t, c, f.url+"/api/v1/consultations/"+fmt.Sprint(f.c.ID)+"/report")
	var rep apiReport
	if err := json.Unmarshal([]byte(body), &rep); code != 200 || err != nil || len(rep.Opinion.Groups) != 2 {
		t.Fatalf("API: %d %v %s", code, err, body)
	}
	for _, g := range rep.Opinion.Groups {
		if g.Size != 12 || len(g.Members) != 12 || g.Members[0].PublicID == "" || g.Members[0].SourceID == "" {
			t.Fatalf("group %+v", g)
		}
	}
	if strings.Contains(body, "Rahasia") {
		t.Fatal("API leaks hidden statement")
	}
}

// TestBrowserReport opens the published report in a real browser and sees
// the opinion map and the groups table.
func TestBrowserReport(t *testing.T) {
	f := newFixture(t)
	seedCamps(t, f, 24)
	publish(t, f)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(f.url+"/k/"+f.c.Slug+"/report?lang=en")); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("svg.opinion-map title").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	groups, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("table.report-groups tbody")))
	if err != nil {
		t.Fatal(err)
	}
	dots, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.opinion-map circle").length`))
	if err != nil {
		t.Fatal(err)
	}
	if title != "Opinion map" || !strings.Contains(groups, "Group A") || !strings.Contains(groups, "Group B") || dots != 24 {
		t.Fatalf("map title %q, groups %q, %d dots", title, groups, dots)
	}
	// The per-day table starts collapsed under the charts, which keep
	// their accessible name and description.
	state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const d = document.querySelector("details.report-data"), svg = document.querySelector("figure.report-bars svg");
		const ids = svg.getAttribute("aria-labelledby").split(" ");
		return [d.open, d.querySelector("table").checkVisibility(), ids.map(id => document.getElementById(id).textContent).join(" | ")].join(";");
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(state, "false;false;Participants per day | Bar chart on a time axis from ") {
		t.Fatalf("details/chart state %q", state)
	}
}
