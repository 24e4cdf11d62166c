package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// featuresRE finds the phase's feature list and its items.
var (
	featuresRE = regexp.MustCompile(`(?s)<ul class="features">(.*?)</ul>`)
	featureRE  = regexp.MustCompile(`<li>[^<]+</li>`)
)

// TestPhaseFeaturesList: what a citizen can do now is a list with one link
// per feature that has something to use it on, the same on every page that
// shows the phase, never words run together.
func TestPhaseFeaturesList(t *testing.T) {
	f := newFixture(t)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	path, _ := fpPropose(t, f, ani, "Taman bermain", "Isi")
	for _, p := range []string{"/k/" + f.c.Slug, "/k/" + f.c.Slug + "/proposals", path} {
		t.Run(p, func(t *testing.T) {
			_, page := get(t, http.DefaultClient, f.url+p)
			m := featuresRE.FindStringSubmatch(page)
			if m == nil {
				t.Fatalf("no <ul class=\"features\">:\n%s", page)
			}
			// Every page links each feature to where it is used and
			// leaves out those with nothing to use them on (no survey, no
			// live session here); only the consultation page, which shows
			// the voting card, links rating to it.
			rate := `<li><a href="/k/` + f.c.Slug + `?view=list">menilai pernyataan</a></li>`
			if p == "/k/"+f.c.Slug {
				rate = `<li><a href="#st">menilai pernyataan</a></li>`
			}
			want := []string{`<li><a href="/k/` + f.c.Slug + `/proposals/new">mengirim usulan</a></li>`, `<li><a href="/k/` + f.c.Slug + `/proposals">berkomentar</a></li>`,
				`<li><a href="/k/` + f.c.Slug + `/proposals">mendukung usulan</a></li>`, rate}
			if m[1] != strings.Join(want, "") {
				t.Errorf("feature links:\n%s\nwant\n%s", m[1], strings.Join(want, ""))
			}
			if strings.Contains(page, `class="feature"`) {
				t.Error("features still as run-together spans")
			}
		})
	}
}

// TestProposalPageComments: the empty state is a paragraph outside the
// list; each comment shows its author as plain text: a user's name, a
// pseudonymous participant as "Peserta <id>"; status "open" before an
// official answer, on the page and in the API.
func TestProposalPageComments(t *testing.T) {
	f := newFixture(t)
	ani := fpSignIn(t, f, "<b>Ani</b>", forum.RoleParticipant)
	path, id := fpPropose(t, f, ani, "Taman bermain", "Isi")
	_, page := get(t, http.DefaultClient, f.url+path)
	if !strings.Contains(page, `<p class="empty comments-none">Belum ada komentar.</p>`) || strings.Contains(page, `<li class="empty">`) ||
		strings.Contains(page, `<ol class="comments">`) {
		t.Errorf("empty state not outside the list:\n%s", page)
	}
	if !strings.Contains(page, `<span class="status status-open">Terbuka</span>`) {
		t.Errorf("no open status on the page")
	}
	if code, _, _ := fpPost(t, ani.c, f, "/p/"+id+"/comments", url.Values{"csrf": {ani.csrf}, "body": {"Setuju"}, "alignment": {"for"}}); code != http.StatusSeeOther {
		t.Fatalf("comment: %d", code)
	}
	imp, err := forum.EnsureParticipant(t.Context(), f.db, forum.ParticipantImported, "consul:madrid", "u1", now)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := forum.ProposalIDFromRef(id)
	row := &forum.Comment{ConsultationID: f.c.ID, ProposalID: pid, AuthorID: imp.ID, Body: "Dari impor", State: forum.StatePublished,
		Source: "consul:madrid", SourceKey: "c1", CreatedAt: now}
	if _, err := f.db.NewInsert().Model(row).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, page = get(t, http.DefaultClient, f.url+path)
	for _, want := range []string{`<span class="author" dir="auto">&lt;b&gt;Ani&lt;/b&gt;</span>`,
		`<span class="author" dir="auto">Peserta ` + imp.PublicID[:6] + `</span>`, `<ol class="comments">`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(page, "<b>Ani</b>") || strings.Contains(page, "comments-none") {
		t.Errorf("author not plain text, or empty state with comments")
	}
	var list []fpAPIProposal
	fpJSON(t, http.DefaultClient, f.url+"/api/v1/consultations/"+f.c.Slug+"/proposals", &list)
	if len(list) != 1 || list[0].Status != forum.AnswerOpen {
		t.Errorf("API status: %+v, want %q", list, forum.AnswerOpen)
	}
	var filtered []fpAPIProposal
	fpJSON(t, http.DefaultClient, f.url+"/api/v1/consultations/"+f.c.Slug+"/proposals?status=open", &filtered)
	if len(filtered) != 1 {
		t.Errorf("status=open filter: %+v", filtered)
	}
}

// TestHomeCountsWhatExists: a proposals-only consultation (a CONSUL
// import) shows its proposals and visible comments, a statements
// consultation its statements, and neither shows zero noise; the API adds
// "proposals" and "comments" to "counts".
func TestHomeCountsWhatExists(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	madrid := &forum.Consultation{Title: "Decide Madrid", Source: "consul", SourceKey: "madrid"}
	if err := forum.UpsertImportedConsultation(ctx, f.db, madrid, now); err != nil {
		t.Fatal(err)
	}
	author, err := forum.EnsureParticipant(ctx, f.db, forum.ParticipantImported, "consul:madrid", "u1", now)
	if err != nil {
		t.Fatal(err)
	}
	for i, comments := range []int{3, 0} {
		p := &forum.Proposal{ConsultationID: madrid.ID, AuthorID: author.ID, Title: "Usulan " + itoa(int64(i)), State: forum.StatePublished,
			Comments: comments, Source: "consul", SourceKey: itoa(int64(i)), CreatedAt: now, UpdatedAt: now}
		if _, err := f.db.NewInsert().Model(p).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	_, page := get(t, http.DefaultClient, f.url+"/")
	cards := map[string]string{}
	for _, card := range strings.Split(page, `<li class="card">`)[1:] {
		for _, title := range []string{"Decide Madrid", "Taman kota"} {
			if strings.Contains(card, title) {
				cards[title] = card
			}
		}
	}
	cases := []struct {
		title         string
		want, notWant []string
	}{
		{"Decide Madrid", []string{"2 usulan", "3 komentar"}, []string{"pernyataan", "peserta", "suara", ">0 "}},
		{"Taman kota", []string{"2 pernyataan"}, []string{"usulan", "komentar", ">0 "}},
	}
	for _, c := range cases {
		t.Run(c.title, func(t *testing.T) {
			card, ok := cards[c.title]
			if !ok {
				t.Fatalf("no card for %q", c.title)
			}
			for _, w := range c.want {
				if !strings.Contains(card, w) {
					t.Errorf("card lacks %q:\n%s", w, card)
				}
			}
			for _, w := range c.notWant {
				if strings.Contains(card, w) {
					t.Errorf("card has %q:\n%s", w, card)
				}
			}
		})
	}
	_, body := get(t, http.DefaultClient, f.url+"/api/v1/consultations")
	var api []struct {
		Slug   string         `json:"slug"`
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(body), &api); err != nil {
		t.Fatal(err)
	}
	for _, c := range api {
		if c.Slug != madrid.Slug {
			continue
		}
		for k, want := range map[string]int{"proposals": 2, "comments": 3, "statements": 0, "participants": 0, "votes": 0} {
			if got, ok := c.Counts[k]; !ok || got != want {
				t.Errorf("API counts[%q] = %d (present %v), want %d", k, got, ok, want)
			}
		}
		return
	}
	t.Errorf("API lacks %s: %s", madrid.Slug, body)
}
