package web_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/meeting"
)

// atomDoc is what RFC 4287 requires of a feed (4.1.1: atom:id, atom:title,
// atom:updated, an atom:author unless every entry has one) and of its
// entries (4.1.2: atom:id, atom:title, atom:updated, a link or content).
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"http://www.w3.org/2005/Atom id"`
	Title   string   `xml:"http://www.w3.org/2005/Atom title"`
	Updated string   `xml:"http://www.w3.org/2005/Atom updated"`
	Author  []struct {
		Name string `xml:"http://www.w3.org/2005/Atom name"`
	} `xml:"http://www.w3.org/2005/Atom author"`
	Entries []struct {
		ID      string `xml:"http://www.w3.org/2005/Atom id"`
		Title   string `xml:"http://www.w3.org/2005/Atom title"`
		Updated string `xml:"http://www.w3.org/2005/Atom updated"`
		Links   []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
	} `xml:"http://www.w3.org/2005/Atom entry"`
}

// fetchAtom gets url and checks it is Atom with the elements RFC 4287 requires.
func fetchAtom(t *testing.T, c *http.Client, url string) (*atomDoc, string) {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("%s: %d %s", url, res.StatusCode, res.Header.Get("Content-Type"))
	}
	d := new(atomDoc)
	if err := xml.Unmarshal(body, d); err != nil {
		t.Fatalf("%s is not Atom: %v\n%s", url, err, body)
	}
	ok := func(what, s string) {
		if strings.TrimSpace(s) == "" {
			t.Fatalf("%s: %s missing\n%s", url, what, body)
		}
	}
	stamp := func(what, s string) {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Fatalf("%s: %s %q is not an RFC 3339 date", url, what, s)
		}
	}
	ok("feed id", d.ID)
	ok("feed title", d.Title)
	stamp("feed updated", d.Updated)
	if len(d.Author) == 0 || d.Author[0].Name == "" {
		t.Fatalf("%s: feed author missing", url)
	}
	ids := map[string]bool{}
	for _, e := range d.Entries {
		ok("entry id", e.ID)
		ok("entry title", e.Title)
		stamp("entry updated", e.Updated)
		if len(e.Links) == 0 || e.Links[0].Href == "" {
			t.Fatalf("%s: entry %s has no link", url, e.ID)
		}
		if ids[e.ID] {
			t.Fatalf("%s: entry id %s twice", url, e.ID)
		}
		ids[e.ID] = true
	}
	return d, string(body)
}

// TestAtomFeeds: the site and consultation feeds are valid Atom and list
// the public meeting, the official answer and consultations, never a
// focus group's meeting or proposal, a hidden proposal or an unpublished
// report, even when a moderator asks.
func TestAtomFeeds(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := fpSignIn(t, f, "Admin Kota", forum.RoleAdmin)
	av, err := forum.LoadViewer(ctx, f.db, admin.user, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The branding saved through the admin form (which refreshes the
	// server's cached branding) names the feeds' author.
	if code, _, body := upload(t, admin.c, f, "/admin/merek", []string{"csrf", admin.csrf, "name", "Pemerintah Kota Sukamaju"}, "", nil); code != http.StatusSeeOther {
		t.Fatalf("branding: %d\n%s", code, body)
	}
	g := &forum.FocusGroup{ConsultationID: f.c.ID, Name: "Kelompok tertutup"}
	if err := f.store.CreateFocusGroup(ctx, av, g); err != nil {
		t.Fatal(err)
	}
	ms := meeting.NewStore(f.db, func() time.Time { return now })
	start := now.Add(72 * time.Hour)
	for _, in := range []meeting.Input{
		{Title: "Musyawarah taman terbuka", Kind: meeting.KindMusyawarah, Mode: meeting.ModeInPerson, Place: "Balai RW", StartsAt: start, EndsAt: start.Add(time.Hour), Capacity: 30},
		{FocusGroupID: g.ID, Title: "Rapat kelompok rahasia", Kind: meeting.KindWorkshop, Mode: meeting.ModeInPerson, Place: "Ruang 2", StartsAt: start, EndsAt: start.Add(time.Hour), Capacity: 10},
	} {
		if _, err := ms.Create(ctx, av, f.c, in); err != nil {
			t.Fatal(err)
		}
	}
	author, err := forum.UserParticipant(ctx, f.db, admin.user, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []forum.Proposal{
		{Title: "Bangku taman dijawab", State: forum.StatePublished, Status: forum.AnswerAccepted, Answer: "Akan dipasang tahun depan."},
		{Title: "Usulan kelompok dijawab", FocusGroupID: g.ID, State: forum.StatePublished, Status: forum.AnswerRejected, Answer: "Tidak."},
		{Title: "Usulan tersembunyi dijawab", State: forum.StateHidden, Status: forum.AnswerRejected, Answer: "Tidak."},
	} {
		p.ConsultationID, p.AuthorID, p.AnsweredAt, p.CreatedAt, p.UpdatedAt = f.c.ID, author.ID, now, now, now
		if _, err := f.db.NewInsert().Model(&p).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []*http.Client{browser(t), admin.c} {
		d, body := fetchAtom(t, c, f.url+"/k/"+f.c.Slug+"/feed.atom")
		if d.Author[0].Name != "Pemerintah Kota Sukamaju" {
			t.Fatalf("feed author %q, want the branding name", d.Author[0].Name)
		}
		for _, want := range []string{"Musyawarah taman terbuka", "Bangku taman dijawab", "Diterima"} {
			if !strings.Contains(body, want) {
				t.Fatalf("consultation feed lacks %q:\n%s", want, body)
			}
		}
		for _, never := range []string{"Rapat kelompok rahasia", "Usulan kelompok dijawab", "Usulan tersembunyi dijawab", "/report"} {
			if strings.Contains(body, never) {
				t.Fatalf("consultation feed shows %q:\n%s", never, body)
			}
		}
	}
	if err := f.store.PublishReport(ctx, av, f.c, true); err != nil {
		t.Fatal(err)
	}
	d, body := fetchAtom(t, browser(t), f.url+"/feed.atom")
	if len(d.Entries) != 2 || !strings.Contains(body, "/k/"+f.c.Slug+"/report") {
		t.Fatalf("site feed: %d entries\n%s", len(d.Entries), body)
	}
	if _, body := fetchAtom(t, browser(t), f.url+"/k/"+f.c.Slug+"/feed.atom"); !strings.Contains(body, "/k/"+f.c.Slug+"/report") {
		t.Fatalf("published report missing from the consultation feed:\n%s", body)
	}

	// Pages announce the feeds in their head, so browsers and feed readers
	// find them: the site feed everywhere, the consultation's on its pages.
	for path, feeds := range map[string][]string{
		"/":                             {"/feed.atom"},
		"/k/" + f.c.Slug:                {"/feed.atom", "/k/" + f.c.Slug + "/feed.atom"},
		"/k/" + f.c.Slug + "/proposals": {"/feed.atom", "/k/" + f.c.Slug + "/feed.atom"},
	} {
		_, page := get(t, browser(t), f.url+path)
		head, _, _ := strings.Cut(page, "</head>")
		if n := strings.Count(head, `type="application/atom+xml"`); n != len(feeds) {
			t.Fatalf("%s: %d feed links in the head, want %d:\n%s", path, n, len(feeds), head)
		}
		for _, feed := range feeds {
			if !strings.Contains(head, `<link rel="alternate" type="application/atom+xml" href="`+feed+`"`) {
				t.Fatalf("%s: head lacks the feed link %s:\n%s", path, feed, head)
			}
		}
	}
}
