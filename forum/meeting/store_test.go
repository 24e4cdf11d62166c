package meeting

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/search"
)

type fixture struct {
	db    *bun.DB
	s     *Store
	forum *forum.Store
	admin forum.Viewer
	c     *forum.Consultation
	users []*forum.User
	warga []forum.Viewer
	now   time.Time
}

// newFixture returns a migrated database (SQLite, or PostgreSQL when
// REMBUG_TEST_DATABASE_URL is set) with an admin, an open consultation and
// n signed-in citizens with participants; the clock stands at 2 March
// 2026 10:00 WIB.
func newFixture(tb testing.TB, n int) *fixture {
	tb.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(tb)
	for _, m := range []func(context.Context, *bun.DB) error{search.Migrate, forum.Migrate, Migrate} {
		if err := m(ctx, db); err != nil {
			tb.Fatal(err)
		}
	}
	f := &fixture{db: db, now: time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return f.now }
	f.s, f.forum = NewStore(db, clock), forum.NewStore(db, clock)
	f.admin = f.viewer(tb, "admin@tanjungsari.go.id", forum.RoleAdmin)
	var err error
	f.c, err = f.forum.CreateConsultation(ctx, f.admin, forum.ConsultationInput{Title: "Penataan Pasar Tanjungsari", Status: forum.StatusOpen})
	if err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		f.warga = append(f.warga, f.viewer(tb, fmt.Sprintf("warga%d@example.id", i), forum.RoleParticipant))
	}
	return f
}

func (f *fixture) viewer(tb testing.TB, email, role string) forum.Viewer {
	tb.Helper()
	ctx := context.Background()
	u := &forum.User{Email: email, DisplayName: email, Role: role}
	if err := forumtest.CreateUser(ctx, f.db, u, time.Now()); err != nil {
		tb.Fatal(err)
	}
	p, err := forum.UserParticipant(ctx, f.db, u, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	v, err := forum.LoadViewer(ctx, f.db, u, p.ID)
	if err != nil {
		tb.Fatal(err)
	}
	f.users = append(f.users, u)
	return v
}

func (f *fixture) input(capacity int) Input {
	start := time.Date(2026, 3, 10, 9, 0, 0, 0, time.FixedZone("WIB", 7*3600))
	return Input{Title: "Musyawarah penataan pasar", Kind: KindMusyawarah, Mode: ModeInPerson,
		Place: "Balai Kelurahan Tanjungsari, Jl. Merdeka 1", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Capacity: capacity, Accessibility: "Ramp di pintu depan; juru bahasa isyarat", Agenda: "1. Paparan\n2. Tanya jawab"}
}

// TestRegisterCapacityUnderConcurrency fills all but the last 5 places,
// then sends 20 registrations at once: exactly 5 get a place, 15 wait, and
// the meeting's count of taken places equals its capacity.
func TestRegisterCapacityUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 25)
	m, err := f.s.Create(ctx, f.admin, f.c, f.input(10))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range f.warga[:5] {
		if st, err := f.s.Register(ctx, v, f.c, m); err != nil || st != StatusRegistered {
			t.Fatalf("register: %q %v", st, err)
		}
	}
	var wg sync.WaitGroup
	got := make([]string, 20)
	errsOut := make([]error, 20)
	for i, v := range f.warga[5:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errsOut[i] = f.s.Register(ctx, v, f.c, m)
		}()
	}
	wg.Wait()
	count := map[string]int{}
	for i := range got {
		if errsOut[i] != nil {
			t.Fatalf("registration %d: %v", i, errsOut[i])
		}
		count[got[i]]++
	}
	if count[StatusRegistered] != 5 || count[StatusWaiting] != 15 {
		t.Fatalf("statuses %v, want 5 registered and 15 waiting", count)
	}
	again, err := MeetingFor(ctx, f.db, f.admin, f.c, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	n, err := f.db.NewSelect().Model((*Registration)(nil)).Where("meeting_id = ? AND status = ?", m.ID, StatusRegistered).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.Taken != 10 || n != 10 {
		t.Fatalf("taken %d, registered rows %d, want 10 and 10", again.Taken, n)
	}

	// A place given back goes to the first on the waiting list.
	rs, err := Registrations(ctx, f.db, f.admin, f.c, m)
	if err != nil {
		t.Fatal(err)
	}
	var first int64
	for _, r := range rs {
		if r.Status == StatusWaiting {
			first = r.ParticipantID
			break
		}
	}
	if err := f.s.Unregister(ctx, f.warga[0], f.c, m); err != nil {
		t.Fatal(err)
	}
	r, err := RegistrationOf(ctx, f.db, m, first)
	if err != nil || r == nil || r.Status != StatusRegistered {
		t.Fatalf("first waiting after a withdrawal: %+v %v", r, err)
	}
	if _, err := f.s.Register(ctx, f.warga[1], f.c, m); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("second registration: %v, want conflict", err)
	}
}

func TestCreateRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	for name, change := range map[string]func(*Input){
		"no place in person":   func(in *Input) { in.Place = " " },
		"online without https": func(in *Input) { in.Mode, in.OnlineURL = ModeOnline, "http://meet.example/x" },
		"ends before start":    func(in *Input) { in.EndsAt = in.StartsAt.Add(-time.Hour) },
		"no capacity":          func(in *Input) { in.Capacity = 0 },
		"unknown kind":         func(in *Input) { in.Kind = "pesta" },
	} {
		t.Run(name, func(t *testing.T) {
			in := f.input(10)
			change(&in)
			if _, err := f.s.Create(ctx, f.admin, f.c, in); errs.KindOf(err) != errs.Invalid {
				t.Fatalf("got %v, want invalid", err)
			}
		})
	}
	if _, err := f.s.Create(ctx, f.warga[0], f.c, f.input(10)); err == nil {
		t.Fatal("a citizen created a meeting")
	}
	n, _ := f.db.NewSelect().Model((*Meeting)(nil)).Count(ctx)
	if n != 0 {
		t.Fatalf("%d meetings written", n)
	}
}

// TestGroupMeetingPrivate: a focus group's meeting is read and joined by
// its members only; others get not found and never see it listed.
func TestGroupMeetingPrivate(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 2)
	g := &forum.FocusGroup{ConsultationID: f.c.ID, Name: "Pedagang pasar"}
	if err := f.forum.CreateFocusGroup(ctx, f.admin, g); err != nil {
		t.Fatal(err)
	}
	member := f.users[1]
	if err := f.forum.SetMember(ctx, f.admin, g, member.ID, forum.MemberRole); err != nil {
		t.Fatal(err)
	}
	mv, err := forum.LoadViewer(ctx, f.db, member, f.warga[0].ParticipantID)
	if err != nil {
		t.Fatal(err)
	}
	in := f.input(5)
	in.FocusGroupID = g.ID
	m, err := f.s.Create(ctx, f.admin, f.c, in)
	if err != nil {
		t.Fatal(err)
	}
	outsider := f.warga[1]
	if _, err := MeetingFor(ctx, f.db, outsider, f.c, m.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("outsider reads the group's meeting: %v", err)
	}
	if list, _ := Meetings(ctx, f.db, outsider, f.c); len(list) != 0 {
		t.Fatalf("outsider lists %d meetings", len(list))
	}
	if _, err := f.s.Register(ctx, outsider, f.c, m); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("outsider registers: %v", err)
	}
	if list, _ := Meetings(ctx, f.db, mv, f.c); len(list) != 1 {
		t.Fatalf("member lists %d meetings", len(list))
	}
	if _, err := f.s.Register(ctx, mv, f.c, m); err != nil {
		t.Fatalf("member registers: %v", err)
	}
}

// TestMinutesAndCalendar records minutes and attendance after the meeting
// and parses the iCalendar file back.
func TestMinutesAndCalendar(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 2)
	m, err := f.s.Create(ctx, f.admin, f.c, f.input(10))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range f.warga {
		if _, err := f.s.Register(ctx, v, f.c, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.RecordMinutes(ctx, f.admin, f.c, m, "Disepakati zonasi baru.", nil); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("minutes before the meeting: %v", err)
	}
	f.now = m.EndsAt.Add(time.Hour)
	if err := f.s.RecordMinutes(ctx, f.warga[0], f.c, m, "x", nil); err == nil {
		t.Fatal("a citizen wrote the minutes")
	}
	if err := f.s.RecordMinutes(ctx, f.admin, f.c, m, "Disepakati zonasi baru.", []int64{f.warga[1].ParticipantID}); err != nil {
		t.Fatal(err)
	}
	rs, _ := Registrations(ctx, f.db, f.admin, f.c, m)
	for _, r := range rs {
		if want := r.ParticipantID == f.warga[1].ParticipantID; r.Attended != want {
			t.Fatalf("participant %d attended %v", r.ParticipantID, r.Attended)
		}
	}
	var audits int64
	n, _ := f.db.NewSelect().Table("audit_log").Where("action = ?", AuditMinutes).Count(ctx)
	audits = int64(n)
	if audits != 1 {
		t.Fatalf("%d minutes audit rows", audits)
	}

	online := f.input(50)
	online.Mode, online.Place, online.OnlineURL = ModeOnline, "", "https://meet.example.id/pasar"
	online.Title = "Dengar pendapat, daring; \"pasar\""
	m2, err := f.s.Create(ctx, f.admin, f.c, online)
	if err != nil {
		t.Fatal(err)
	}
	body := Calendar(f.c.Title, "https://rembug.example.go.id", f.c.Slug, []Meeting{*m, *m2})
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse back: %v\n%s", err, body)
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events", len(evs))
	}
	start, err := evs[0].GetStartAt()
	if err != nil || !start.Equal(m.StartsAt) {
		t.Fatalf("start %v %v, want %v", start, err, m.StartsAt)
	}
	if got := evs[1].GetProperty(ics.ComponentPropertySummary).Value; ics.FromText(got) != online.Title {
		t.Fatalf("summary %q", got)
	}
	if got := evs[1].GetProperty(ics.ComponentPropertyLocation).Value; got != online.OnlineURL {
		t.Fatalf("location %q", got)
	}
	if got := evs[0].GetProperty(ics.ComponentPropertyUrl).Value; got != "https://rembug.example.go.id"+Path(f.c.Slug, m.ID) {
		t.Fatalf("url %q", got)
	}
}

// TestRegisterReadsMembershipAgain: a member of the focus group, loaded as
// such, who is removed from it before registering for the group's
// meeting, is refused (not found: the group's meeting is no longer theirs
// to read), and a consultation closed after the page loaded refuses
// registration for a public meeting (forbidden). The Store checks both
// inside its transaction; nothing is written.
func TestRegisterReadsMembershipAgain(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 2)
	g := &forum.FocusGroup{ConsultationID: f.c.ID, Name: "Pedagang pasar"}
	if err := f.forum.CreateFocusGroup(ctx, f.admin, g); err != nil {
		t.Fatal(err)
	}
	member := f.users[1]
	if err := f.forum.SetMember(ctx, f.admin, g, member.ID, forum.MemberRole); err != nil {
		t.Fatal(err)
	}
	mv, err := forum.LoadViewer(ctx, f.db, member, f.warga[0].ParticipantID)
	if err != nil {
		t.Fatal(err)
	}
	in := f.input(5)
	in.FocusGroupID = g.ID
	grp, err := f.s.Create(ctx, f.admin, f.c, in)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := f.s.Create(ctx, f.admin, f.c, f.input(5))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.forum.RemoveMember(ctx, f.admin, g, member.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Register(ctx, mv, f.c, grp); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("removed member registers with rights loaded before the removal: %v", err)
	}
	page := *f.c
	closed := *f.c
	if err := f.forum.UpdateConsultation(ctx, f.admin, &closed, forum.ConsultationInput{Title: closed.Title, Status: forum.StatusClosed}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Register(ctx, f.warga[1], &page, pub); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("registration in a consultation closed after the page loaded: %v, want forbidden", err)
	}
	if n, err := f.db.NewSelect().Model((*Registration)(nil)).Count(ctx); err != nil || n != 0 {
		t.Fatalf("%d registrations written (%v)", n, err)
	}
}

// TestOutcomesLinkAndAccess links proposals and statements to a meeting:
// only a moderator may, items of another consultation or unknown ids are
// refused with nothing written, and the lists follow the access rule (a
// guest sees neither a hidden item nor a focus group's proposal, the
// moderator sees them all; the proposal names the meeting it came from).
func TestOutcomesLinkAndAccess(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	if err := polls.Migrate(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	m, err := f.s.Create(ctx, f.admin, f.c, f.input(5))
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.forum.CreateConsultation(ctx, f.admin, forum.ConsultationInput{Title: "Konsultasi lain", Status: forum.StatusOpen})
	if err != nil {
		t.Fatal(err)
	}
	g := &forum.FocusGroup{ConsultationID: f.c.ID, Name: "Pedagang pasar"}
	if err := f.forum.CreateFocusGroup(ctx, f.admin, g); err != nil {
		t.Fatal(err)
	}
	prop := func(cid, group int64, title, state string) int64 {
		p := &forum.Proposal{ConsultationID: cid, FocusGroupID: group, AuthorID: f.warga[0].ParticipantID, Title: title,
			State: state, CreatedAt: f.now, UpdatedAt: f.now}
		if _, err := f.db.NewInsert().Model(p).Returning("id").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	stmt := func(cid int64, text string, hidden bool) int64 {
		s := &polls.Statement{ConsultationID: cid, Text: text, Hidden: hidden, Origin: polls.OriginSeeded, CreatedAt: f.now}
		if _, err := f.db.NewInsert().Model(s).Returning("id").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		return s.ID
	}
	public := prop(f.c.ID, 0, "Los sayur dipindah ke lantai dasar", forum.StatePublished)
	hidden := prop(f.c.ID, 0, "Usulan yang disembunyikan", forum.StateHidden)
	grouped := prop(f.c.ID, g.ID, "Usulan kelompok pedagang", forum.StatePublished)
	foreign := prop(other.ID, 0, "Usulan konsultasi lain", forum.StatePublished)
	sPublic := stmt(f.c.ID, "Parkir motor perlu ditata", false)
	sHidden := stmt(f.c.ID, "Pernyataan tersembunyi", true)

	guest := forum.GuestViewer(0)
	if err := f.s.Link(ctx, f.warga[0], f.c, m, []int64{public}, nil); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("citizen links: %v", err)
	}
	if err := f.s.Link(ctx, f.admin, f.c, m, []int64{public, foreign}, nil); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("link another consultation's proposal: %v", err)
	}
	if err := f.s.Link(ctx, f.admin, f.c, m, nil, []int64{sPublic, 999999}); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("link an unknown statement: %v", err)
	}
	if n, _ := f.db.NewSelect().Model((*OutcomeLink)(nil)).Count(ctx); n != 0 {
		t.Fatalf("refused links wrote %d rows", n)
	}
	if err := f.s.Link(ctx, f.admin, f.c, m, []int64{public, hidden, grouped}, []int64{sPublic, sHidden}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Link(ctx, f.admin, f.c, m, []int64{public}, nil); err != nil { // again: kept once
		t.Fatal(err)
	}
	if n, _ := f.db.NewSelect().Table("audit_log").Where("action = ?", AuditLink).Count(ctx); n != 2 {
		t.Fatalf("%d link audit rows, want 2", n)
	}
	list := func(v forum.Viewer) string {
		t.Helper()
		os, err := Outcomes(ctx, f.db, v, f.c, m, pollsStatements(f.db))
		if err != nil {
			t.Fatal(err)
		}
		var b []string
		for _, o := range os {
			b = append(b, o.Kind+":"+o.Text)
		}
		return strings.Join(b, "|")
	}
	if got, want := list(guest), "proposal:Los sayur dipindah ke lantai dasar|statement:Parkir motor perlu ditata"; got != want {
		t.Fatalf("guest sees %q, want %q", got, want)
	}
	if got := list(f.admin); strings.Count(got, "|") != 4 {
		t.Fatalf("moderator sees %q, want all 5", got)
	}
	p := &forum.Proposal{ID: public, ConsultationID: f.c.ID}
	if ms, err := MeetingsOfProposal(ctx, f.db, guest, f.c, p); err != nil || len(ms) != 1 || ms[0].ID != m.ID {
		t.Fatalf("meetings of the proposal: %v %v", ms, err)
	}
	if err := f.s.Unlink(ctx, f.admin, f.c, m, OutcomeStatement, sPublic); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Unlink(ctx, f.admin, f.c, m, OutcomeStatement, sPublic); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("unlink twice: %v", err)
	}
	if got := list(guest); got != "proposal:Los sayur dipindah ke lantai dasar" {
		t.Fatalf("after unlink the guest sees %q", got)
	}
}

func TestParseIDs(t *testing.T) {
	got, err := ParseIDs("12, 13-los-sayur\nhttps://rembug.example/p/14-judul/ #s15 12")
	if err != nil || fmt.Sprint(got) != "[12 13 14 15]" {
		t.Fatalf("ParseIDs = %v %v", got, err)
	}
	for _, bad := range []string{"abc", "-3", "0", strings.Repeat("1 ", 0) + "x12"} {
		if _, err := ParseIDs(bad); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("ParseIDs(%q) = %v", bad, err)
		}
	}
}

// pollsStatements is the StatementsFunc web passes: polls' statements
// with their access items.
func pollsStatements(db bun.IDB) StatementsFunc {
	return func(ctx context.Context, c *forum.Consultation, ids []int64) ([]LinkedStatement, error) {
		ss, err := polls.StatementsIn(ctx, db, c.ID, ids)
		if err != nil {
			return nil, err
		}
		out := make([]LinkedStatement, len(ss))
		for i := range ss {
			out[i] = LinkedStatement{ID: ss[i].ID, Text: ss[i].Text, Item: ss[i].Item(c)}
		}
		return out, nil
	}
}
