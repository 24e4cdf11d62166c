package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/realtime/live"
)

// roles signs in one user per role of the access table besides the
// world's member ("anggota") and non-member ("tamu"): a removed member of
// the focus group, a moderator named for this consultation, one named for
// another, an analyst and an admin. It returns their session tokens by
// role name, the guest ("") and the world's two included.
func (w *searchWorld) roles(t *testing.T) map[string]string {
	t.Helper()
	tok := map[string]string{"guest": "", "citizen": w.others, "member": w.member,
		"removed member": w.session(t, "keluar"), "moderator here": w.session(t, "moderator-sini"),
		"moderator there": w.session(t, "moderator-lain"), "analyst": w.session(t, "analis"), "admin": w.session(t, "admin")}
	other := &forum.Consultation{Title: "Lain", Source: "test", SourceKey: "lain"}
	if err := forum.UpsertImportedConsultation(w.ctx, w.db, other, now); err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"INSERT INTO focus_group_members (focus_group_id, user_id, role, added_at, removed_at) SELECT g.id, u.id, 'member', ?, ? FROM focus_groups g, users u WHERE u.display_name = 'keluar'", []any{now, now}},
		{"INSERT INTO consultation_moderators (consultation_id, user_id) SELECT ?, id FROM users WHERE display_name = 'moderator-sini'", []any{w.c.ID}},
		{"INSERT INTO consultation_moderators (consultation_id, user_id) SELECT ?, id FROM users WHERE display_name = 'moderator-lain'", []any{other.ID}},
		{"UPDATE users SET role = ? WHERE display_name = 'analis'", []any{forum.RoleAnalyst}},
		{"UPDATE users SET role = ? WHERE display_name = 'admin'", []any{forum.RoleAdmin}},
	} {
		if _, err := w.db.ExecContext(w.ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	return tok
}

// insert stores model m as set-up data.
func (w *searchWorld) insert(t *testing.T, m any) {
	t.Helper()
	if _, err := w.db.NewInsert().Model(m).Returning("id").Exec(w.ctx); err != nil {
		t.Fatal(err)
	}
}

// TestSearchParticipationAccess is the search rows of the access table for
// participation content other than proposals (TestSearchFocusGroupPrivacy):
// comments, live questions and participants' statements. For every role
// (guest, citizen, member, removed member, analyst, moderator of this
// consultation, moderator of another, admin) it checks the JSON API's hits
// and total per kind, the kind facets of an unfiltered query and the
// search page. A focus group's comment and its session's approved question
// are found by the group's current members, the consultation's moderators
// and admins only; a pending question and a submitted statement waiting
// for moderation are found by nobody (search shows published content
// only); a draft consultation's statement by its moderators (the admin).
// SQLite and PostgreSQL.
func TestSearchParticipationAccess(t *testing.T) {
	w := newSearchWorld(t)
	tok := w.roles(t)
	group := w.private.FocusGroupID
	draft := &forum.Consultation{Title: "Raperda pesisir", Status: forum.StatusDraft, Source: "test", SourceKey: "draf"}
	if err := forum.UpsertImportedConsultation(w.ctx, w.db, draft, now); err != nil {
		t.Fatal(err)
	}
	comment := func(p *forum.Proposal, body string) {
		w.insert(t, &forum.Comment{ConsultationID: w.c.ID, ProposalID: p.ID, FocusGroupID: p.FocusGroupID, AuthorID: w.author,
			Body: body, State: forum.StatePublished, Source: "test", SourceKey: body, CreatedAt: now})
	}
	comment(w.pub, "Komentar jaring umum")
	comment(w.private, "Komentar jaring kelompok")
	session := func(code string, group *int64) *live.Session {
		s := &live.Session{ConsultationID: w.c.ID, FocusGroupID: group, Code: code, Title: "Sesi " + code, Open: true, CreatedAt: now, UpdatedAt: now}
		w.insert(t, s)
		return s
	}
	question := func(s *live.Session, text, status string) {
		w.insert(t, &live.Question{SessionID: s.ID, AuthorName: "Nelayan", Text: text, Status: status, CreatedAt: now, UpdatedAt: now})
	}
	pub, grp := session("UMUM22", nil), session("KLPK22", &group)
	question(pub, "Pertanyaan jaring umum", live.StatusApproved)
	question(grp, "Pertanyaan jaring kelompok", live.StatusApproved)
	question(grp, "Pertanyaan jaring tertunda", live.StatusPending)
	statement := func(cons int64, text string, pending bool) {
		w.insert(t, &polls.Statement{ConsultationID: cons, SourceKey: text, AuthorID: w.author, Text: text,
			Hidden: pending, Pending: pending, Origin: polls.OriginSubmitted, CreatedAt: now})
	}
	statement(w.c.ID, "Pernyataan jaring umum", false)
	statement(w.c.ID, "Pernyataan jaring tertunda", true)
	statement(draft.ID, "Pernyataan jaring draf", false)
	w.drain(t)

	readsGroup := map[string]bool{"member": true, "moderator here": true, "admin": true}
	for _, role := range []string{"guest", "citizen", "member", "removed member", "analyst", "moderator here", "moderator there", "admin"} {
		t.Run(role, func(t *testing.T) {
			want := map[string]int{"comment": 1, "question": 1, "statement": 1}
			see, hide := []string{"Komentar jaring umum", "Pertanyaan jaring umum", "Pernyataan jaring umum"}, []string{"tertunda"}
			if readsGroup[role] {
				want["comment"], want["question"] = 2, 2
				see = append(see, "Komentar jaring kelompok", "Pertanyaan jaring kelompok")
			} else {
				hide = append(hide, "jaring kelompok")
			}
			if role == "admin" {
				want["statement"] = 2
				see = append(see, "Pernyataan jaring draf")
			} else {
				hide = append(hide, "jaring draf")
			}
			facets := w.api(t, url.Values{"q": {"jaring"}}, tok[role]).Facets["kind"]
			total := 0
			for kind, n := range want {
				got := w.api(t, url.Values{"q": {"jaring"}, "kind": {kind}}, tok[role])
				if got.Total != n || len(got.Results) != n {
					t.Errorf("%s hits: total %d, %d results, want %d", kind, got.Total, len(got.Results), n)
				}
				for _, r := range got.Results {
					for _, h := range hide {
						if strings.Contains(unmark(r.Title+" "+r.Snippet), h) {
							t.Errorf("%s hit %q", kind, r.Title)
						}
					}
				}
				facet := 0
				for _, f := range facets {
					if f.Value == kind {
						facet = f.Count
					}
				}
				if facet != n {
					t.Errorf("%s facet %d, want %d", kind, facet, n)
				}
				total += n
			}
			if got := w.api(t, url.Values{"q": {"jaring"}}, tok[role]); got.Total != total {
				t.Errorf("total of every kind %d, want %d", got.Total, total)
			}
			res, page := w.fetch(t, "/cari?q=jaring", tok[role])
			if res.StatusCode != 200 {
				t.Fatalf("page: %d", res.StatusCode)
			}
			page = unmark(page)
			for _, s := range see {
				if !strings.Contains(page, s) {
					t.Errorf("page does not show %q", s)
				}
			}
			for _, s := range hide {
				if strings.Contains(page, s) {
					t.Errorf("page shows %q", s)
				}
			}
		})
	}
}

// unmark drops the <mark> tags search puts around matched words.
func unmark(s string) string { return strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s) }
