package web_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/forumtest"
)

// TestSearchComplaintsPerRole: complaints are in the site search with the
// access rule's readers (forum.ComplaintSearchAudience): the desk and
// analysts find every complaint, an agency's officer those routed to the
// agency; citizens none, not even their own (they find those under
// "Pengaduan saya"), and guests none — hits,
// totals and facets alike; the words are stemmed ("tumpuk" finds
// "menumpuk", which the inbox's LIKE did not); a phone number in the text
// is masked before indexing, so no one finds a complaint by it; after a
// forward the old agency's officer no longer finds it and the new one
// does.
func TestSearchComplaintsPerRole(t *testing.T) {
	w := newSearchWorld(t)
	ctx := w.ctx
	st, err := complaint.NewStore(ctx, w.db, complaint.Config{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]*forum.User{}
	tokens := map[string]string{"guest": ""}
	for _, r := range []struct{ name, role string }{{"admin", forum.RoleAdmin}, {"analyst", forum.RoleAnalyst},
		{"reporter", forum.RoleParticipant}, {"other citizen", forum.RoleParticipant}, {"officer A", forum.RoleParticipant},
		{"officer B", forum.RoleParticipant}} {
		u := &forum.User{DisplayName: r.name, Email: strings.ReplaceAll(r.name, " ", ".") + "@contoh.test", Role: r.role}
		if err := forumtest.CreateUser(ctx, w.db, u, now); err != nil {
			t.Fatal(err)
		}
		tok, err := forum.CreateSession(ctx, w.db, u.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		users[r.name], tokens[r.name] = u, tok
	}
	admin := st.Actor(ok(forum.LoadViewer(ctx, w.db, users["admin"], 0)), "")
	agencyA, agencyB := ok(st.AddAgency(ctx, admin, "Dinas Lingkungan Hidup")), ok(st.AddAgency(ctx, admin, "Dinas Kebersihan"))
	if err := st.SetOfficer(ctx, admin, users["officer A"].ID, agencyA, true); err != nil {
		t.Fatal(err)
	}
	if err := st.SetOfficer(ctx, admin, users["officer B"].ID, agencyB, true); err != nil {
		t.Fatal(err)
	}
	reporter := users["reporter"].ID
	own := ok(st.Submit(ctx, st.Actor(ok(forum.LoadViewer(ctx, w.db, users["reporter"], 0)), ""), complaint.Intake{
		Channel: complaint.ChannelWeb, ReporterUserID: &reporter,
		Body: "Sampah menumpuk di saluran air Jalan Kenjeran, hubungi saya 081234567890"})).Complaint
	ok(st.Submit(ctx, complaint.Actor{}, complaint.Intake{Channel: complaint.ChannelWeb, Body: "Tumpukan sampah liar di tepi sungai Kalimas"}))
	ok(st.Route(ctx, admin, own.ID, []int64{agencyA}, ""))
	w.drain(t)

	type answer struct {
		Total   int `json:"total"`
		Results []struct {
			ID, Title, URL string
			Snippet        string `json:"snippet"`
		} `json:"results"`
		Facets map[string][]struct {
			Value string `json:"value"`
			Count int    `json:"count"`
		} `json:"facets"`
	}
	find := func(role, q string) answer {
		t.Helper()
		res, body := w.fetch(t, "/api/v1/search?kind=complaint&q="+q, tokens[role])
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", role, res.StatusCode, body)
		}
		var a answer
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			t.Fatal(err)
		}
		kinds := 0
		for _, f := range a.Facets["kind"] {
			kinds += f.Count
		}
		if kinds != a.Total || len(a.Results) != a.Total {
			t.Errorf("%s %q: total %d, %d hits, kind facet %d", role, q, a.Total, len(a.Results), kinds)
		}
		for _, h := range a.Results {
			if strings.Contains(h.Snippet, "081234567890") {
				t.Errorf("%s: the phone number is in a snippet: %s", role, h.Snippet)
			}
		}
		return a
	}
	check := func(step string, want map[string]int) {
		t.Helper()
		for role, n := range want {
			if a := find(role, "tumpuk"); a.Total != n {
				t.Errorf("%s, %s: %d complaints found, want %d: %+v", step, role, a.Total, n, a.Results)
			} else if n == 1 && a.Results[0].URL != "/pengaduan/"+own.Number {
				t.Errorf("%s, %s: found %+v, want %s", step, role, a.Results, own.Number)
			}
		}
	}
	check("routed to A", map[string]int{"guest": 0, "other citizen": 0, "reporter": 0, "officer A": 1, "officer B": 0, "analyst": 2, "admin": 2})
	for _, role := range []string{"admin", "reporter", "officer A"} {
		if a := find(role, "081234567890"); a.Total != 0 {
			t.Errorf("%s finds a complaint by its masked phone number", role)
		}
	}
	ok(st.Forward(ctx, st.Actor(ok(forum.LoadViewer(ctx, w.db, users["officer A"], 0)), ""), own.ID, agencyA, agencyB, ""))
	w.drain(t)
	check("forwarded to B", map[string]int{"guest": 0, "other citizen": 0, "reporter": 0, "officer A": 0, "officer B": 1, "analyst": 2, "admin": 2})
	// The inbox's substring filter links the same words to the site search.
	if _, body := w.fetch(t, "/admin/pengaduan?q=tumpuk", tokens["officer B"]); !strings.Contains(body, `href="/cari?kind=complaint&amp;q=tumpuk"`) {
		t.Error("the inbox does not link its search to the site search")
	}
	// The site search page (HTML) shows the same to a guest: nothing.
	if _, body := w.fetch(t, "/cari?q=sampah", ""); strings.Contains(body, own.Number) || strings.Contains(body, "Kalimas") {
		t.Error("the search page shows a complaint to a guest")
	}
}

// TestComplaintInboxSearchStems: the officers' inbox finds complaints by
// the site search's stemmed words ("kerusakan jalan" finds "Jalannya rusak
// parah" and "Rusaknya jalan", which the substring match of the words did
// not), only among the complaints the officer reads: an officer of agency A never sees agency B's complaint, though its
// words match; the inbox's own filters (status, mine=1) still apply.
func TestComplaintInboxSearchStems(t *testing.T) {
	w := newSearchWorld(t)
	ctx := w.ctx
	st, err := complaint.NewStore(ctx, w.db, complaint.Config{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]*forum.User{}
	tokens := map[string]string{}
	for _, name := range []string{"admin", "officer A", "officer B"} {
		role := forum.RoleParticipant
		if name == "admin" {
			role = forum.RoleAdmin
		}
		u := &forum.User{DisplayName: name, Email: strings.ReplaceAll(name, " ", ".") + "@contoh.test", Role: role}
		if err := forumtest.CreateUser(ctx, w.db, u, now); err != nil {
			t.Fatal(err)
		}
		tok, err := forum.CreateSession(ctx, w.db, u.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		users[name], tokens[name] = u, tok
	}
	admin := st.Actor(ok(forum.LoadViewer(ctx, w.db, users["admin"], 0)), "")
	agencyA, agencyB := ok(st.AddAgency(ctx, admin, "Dinas Pekerjaan Umum")), ok(st.AddAgency(ctx, admin, "Dinas Perhubungan"))
	for name, ag := range map[string]int64{"officer A": agencyA, "officer B": agencyB} {
		if err := st.SetOfficer(ctx, admin, users[name].ID, ag, true); err != nil {
			t.Fatal(err)
		}
	}
	file := func(body string, agency int64) string {
		c := ok(st.Submit(ctx, complaint.Actor{}, complaint.Intake{Channel: complaint.ChannelWeb, Body: body})).Complaint
		ok(st.Route(ctx, admin, c.ID, []int64{agency}, ""))
		return c.Number
	}
	ofA := file("Rusaknya jalan di depan Pasar Wonokromo makin parah", agencyA)
	ofB := file("Jalannya rusak parah dekat terminal Joyoboyo", agencyB)
	other := file("Lampu penerangan mati di taman", agencyA)
	w.drain(t)
	inbox := func(who, query string) string {
		t.Helper()
		res, body := w.fetch(t, "/admin/pengaduan?"+query, tokens[who])
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d", who, query, res.StatusCode)
		}
		return body
	}
	for _, c := range []struct {
		who, query string
		want, not  []string
	}{
		{"officer A", "q=kerusakan+jalan", []string{ofA}, []string{ofB, other}},
		{"officer B", "q=kerusakan+jalan", []string{ofB}, []string{ofA, other}},
		{"admin", "q=kerusakan+jalan", []string{ofA, ofB}, []string{other}},
		{"officer A", "q=kerusakan+jalan&agency=" + strconv.FormatInt(agencyB, 10), nil, []string{ofA, ofB, other}},
		{"officer A", "q=kerusakan+jalan&status=closed", nil, []string{ofA, ofB, other}},
		{"officer A", "q=kerusakan+jalan&mine=1", nil, []string{ofA, ofB, other}},
		{"officer A", "q=lampu", []string{other}, []string{ofA, ofB}},
	} {
		body := inbox(c.who, c.query)
		for _, n := range c.want {
			if !strings.Contains(body, n) {
				t.Errorf("%s, %s: %s not listed", c.who, c.query, n)
			}
		}
		for _, n := range c.not {
			if strings.Contains(body, n) {
				t.Errorf("%s, %s: %s listed", c.who, c.query, n)
			}
		}
	}
}
