package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/meeting"
)

// TestMeetingOutcomesPage: an organizer links a proposal, a hidden
// proposal and a statement to a meeting with the form on its page; a
// citizen's post is refused (403) and a number of no item of the
// consultation is a 400 that links nothing. A signed-out visitor sees the
// public proposal and the statement under "Hasil pertemuan" but not the
// hidden proposal, and the proposal's page names the meeting.
func TestMeetingOutcomesPage(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	staff := fpSignIn(t, f, "Camat Tanjungsari", forum.RoleAdmin)
	citizen := fpSignIn(t, f, "Siti Warga", forum.RoleParticipant)
	sv, err := forum.LoadViewer(ctx, f.db, staff.user, 0)
	if err != nil {
		t.Fatal(err)
	}
	author, err := forum.UserParticipant(ctx, f.db, citizen.user, now)
	if err != nil {
		t.Fatal(err)
	}
	start := now.Add(-48 * time.Hour)
	m, err := meeting.NewStore(f.db, func() time.Time { return now }).Create(ctx, sv, f.c, meeting.Input{Title: "Musyawarah taman kota",
		Kind: meeting.KindMusyawarah, Mode: meeting.ModeInPerson, Place: "Balai RW 05", StartsAt: start, EndsAt: start.Add(2 * time.Hour), Capacity: 20})
	if err != nil {
		t.Fatal(err)
	}
	prop := func(title, state string) *forum.Proposal {
		p := &forum.Proposal{ConsultationID: f.c.ID, AuthorID: author.ID, Title: title, State: state, CreatedAt: now, UpdatedAt: now}
		if _, err := f.db.NewInsert().Model(p).Returning("id").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		return p
	}
	public, hidden := prop("Bangku taman dari kayu daur ulang", forum.StatePublished), prop("Usulan yang disembunyikan moderator", forum.StateHidden)
	page := f.url + meeting.Path(f.c.Slug, m.ID)
	post := func(who *fpMember, form url.Values) int {
		form.Set("csrf", who.csrf)
		res, _ := do(t, who.c, "POST", page+"/hasil", form)
		return res.StatusCode
	}
	if code := post(citizen, url.Values{"usulan": {fmt.Sprint(public.ID)}}); code != http.StatusForbidden {
		t.Fatalf("citizen links: %d", code)
	}
	if code := post(staff, url.Values{"usulan": {fmt.Sprintf("%d, 99999", public.ID)}}); code != http.StatusBadRequest {
		t.Fatalf("unknown proposal: %d", code)
	}
	if n := countRows(t, f.db, "meeting_outcomes"); n != 0 {
		t.Fatalf("refused posts linked %d items", n)
	}
	if code := post(staff, url.Values{"usulan": {fmt.Sprintf("%s/p/%s, %d", f.url, public.Ref(), hidden.ID)},
		"pernyataan": {fmt.Sprint(f.stmts[0].ID)}}); code != http.StatusSeeOther {
		t.Fatalf("organizer links: %d", code)
	}
	_, body := do(t, browser(t), "GET", page, nil)
	i := strings.Index(body, `id="hasil"`)
	if i < 0 || !strings.Contains(body[i:], "Hasil pertemuan") || !strings.Contains(body[i:], public.Title) || !strings.Contains(body[i:], f.stmts[0].Text) {
		t.Fatalf("guest's meeting page lacks the outcomes:\n%s", body)
	}
	if strings.Contains(body, hidden.Title) || strings.Contains(body, `name="usulan"`) {
		t.Fatal("guest sees the hidden proposal or the organizers' form")
	}
	_, body = do(t, staff.c, "GET", page, nil)
	if !strings.Contains(body, hidden.Title) {
		t.Fatal("organizer does not see the hidden proposal listed")
	}
	_, body = do(t, browser(t), "GET", f.url+"/p/"+public.Ref(), nil)
	if !strings.Contains(body, "Usulan ini lahir dari pertemuan") || !strings.Contains(body, `href="`+meeting.Path(f.c.Slug, m.ID)+`"`) {
		t.Fatalf("proposal page does not name its meeting:\n%s", body)
	}
}
