package rancangan

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/search"
	"github.com/uptrace/bun"
)

type fixture struct {
	db     *bun.DB
	s      *Store
	forum  *forum.Store
	admin  forum.Viewer
	c      *forum.Consultation
	warga  []forum.Viewer
	users  []*forum.User
	v1, v2 string
}

// newFixture returns a migrated database (SQLite, or PostgreSQL when
// REMBUG_TEST_DATABASE_URL is set) with an admin, an open consultation and
// citizens signed-in citizens with participants.
func newFixture(tb testing.TB, citizens int) *fixture {
	tb.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(tb)
	for _, m := range []func(context.Context, *bun.DB) error{search.Migrate, forum.Migrate, Migrate} {
		if err := m(ctx, db); err != nil {
			tb.Fatal(err)
		}
	}
	now := func() time.Time { return time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC) }
	f := &fixture{db: db, s: NewStore(db, now), forum: forum.NewStore(db, now)}
	f.admin = f.viewer(tb, "admin@tanjungsari.go.id", forum.RoleAdmin)
	var err error
	f.c, err = f.forum.CreateConsultation(ctx, f.admin, forum.ConsultationInput{Title: "Raperda Pengelolaan Sampah", Status: forum.StatusOpen})
	if err != nil {
		tb.Fatal(err)
	}
	for i := range citizens {
		f.warga = append(f.warga, f.viewer(tb, fmt.Sprintf("warga%d@example.id", i), forum.RoleParticipant))
	}
	for _, n := range []string{"raperda_sampah_v1.md", "raperda_sampah_v2.md"} {
		b, err := os.ReadFile("testdata/" + n)
		if err != nil {
			tb.Fatal(err)
		}
		if f.v1 == "" {
			f.v1 = string(b)
		} else {
			f.v2 = string(b)
		}
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

func (f *fixture) draft(tb testing.TB) *Draft {
	tb.Helper()
	d, err := f.s.Create(context.Background(), f.admin, f.c, 0, "", f.v1)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func wantKind(tb testing.TB, err error, k errs.Kind, key string) {
	tb.Helper()
	e := errs.As(err)
	if err == nil || errs.KindOf(err) != k || (key != "" && (e == nil || e.Key != key)) {
		tb.Fatalf("got %v, want %s %s", err, k, key)
	}
}

func TestDraftWorkflow(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 3)
	d := f.draft(t)
	if d.Title != "Raperda tentang Pengelolaan Sampah" || d.CurrentVersion != 1 {
		t.Fatalf("draft %+v", d)
	}
	a, b, c := f.warga[0], f.warga[1], f.warga[2]

	// Citizens comment on Pasal 3 ayat (2) with a stance, one proposes new text.
	disagree, err := f.s.AddInput(ctx, a, f.c, d, NewInput{Anchor: "pasal-3-ayat-2", Stance: StanceDisagree, Body: "Pemilahan dua jenis belum cukup."})
	if err != nil {
		t.Fatal(err)
	}
	amend, err := f.s.AddInput(ctx, b, f.c, d, NewInput{Anchor: "pasal-3-ayat-2", Stance: StanceAmend,
		Body: "Tambahkan residu.", Amendment: "Setiap rumah tangga wajib memilah sampah menjadi sampah organik, anorganik, dan residu."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddInput(ctx, c, f.c, d, NewInput{Anchor: "pasal-11-ayat-2", Stance: StanceAgree}); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name string
		in   NewInput
		key  string
	}{
		{"unknown unit", NewInput{Anchor: "pasal-99", Stance: StanceAgree}, "rancangan.bad_unit"},
		{"heading only", NewInput{Anchor: "bab-2", Stance: StanceAgree}, "rancangan.bad_unit"},
		{"bad stance", NewInput{Anchor: "pasal-3", Stance: "maybe"}, "rancangan.bad_stance"},
		{"disagree without reason", NewInput{Anchor: "pasal-3-ayat-1", Stance: StanceDisagree}, "rancangan.length_input"},
		{"amend without text", NewInput{Anchor: "pasal-3-ayat-1", Stance: StanceAmend, Body: "x"}, "rancangan.length_amendment"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.s.AddInput(ctx, a, f.c, d, tt.in)
			wantKind(t, err, errs.Invalid, tt.key)
		})
	}

	// Supports: once per person, never one's own, only amendments.
	for range 2 {
		if _, err := f.s.Support(ctx, a, f.c, amend); err != nil {
			t.Fatal(err)
		}
	}
	_, err = f.s.Support(ctx, b, f.c, amend)
	wantKind(t, err, errs.Invalid, "rancangan.support_own")
	_, err = f.s.Support(ctx, b, f.c, disagree)
	wantKind(t, err, errs.Invalid, "rancangan.support_not_amendment")

	// Citizens may not answer; drafters answer in bulk after v2.
	_, err = f.s.AnswerInputs(ctx, a, f.c, d, []int64{disagree.ID}, Answer{Decision: DecisionAccepted, Reason: "x"})
	wantKind(t, err, errs.Forbidden, "")
	if _, err := f.s.AddVersion(ctx, f.admin, f.c, d, f.v2, "Residu ditambahkan pada Pasal 3 ayat (2)."); err != nil {
		t.Fatal(err)
	}
	stale := &Draft{ID: d.ID, ConsultationID: d.ConsultationID, CurrentVersion: 1}
	_, err = f.s.AddVersion(ctx, f.admin, f.c, stale, f.v2, "")
	wantKind(t, err, errs.Conflict, "rancangan.version_conflict")
	for _, tt := range []struct {
		name string
		ids  []int64
		a    Answer
		kind errs.Kind
	}{
		{"no reason", []int64{disagree.ID}, Answer{Decision: DecisionAccepted}, errs.Invalid},
		{"bad decision", []int64{disagree.ID}, Answer{Decision: "ok", Reason: "r"}, errs.Invalid},
		{"future version", []int64{disagree.ID}, Answer{Decision: DecisionAccepted, Reason: "r", Version: 3}, errs.Invalid},
		{"no inputs", nil, Answer{Decision: DecisionAccepted, Reason: "r"}, errs.Invalid},
		{"an input of nothing", []int64{disagree.ID, 99999}, Answer{Decision: DecisionAccepted, Reason: "r"}, errs.NotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.s.AnswerInputs(ctx, f.admin, f.c, d, tt.ids, tt.a)
			wantKind(t, err, tt.kind, "")
		})
	}
	if in, _ := InputFor(ctx, f.db, a, f.c, d, disagree.ID); in.Answered() {
		t.Fatal("a refused answer was written")
	}
	reason := "Residu ditambahkan sebagai jenis ketiga."
	if _, err := f.s.AnswerInputs(ctx, f.admin, f.c, d, []int64{disagree.ID, amend.ID}, Answer{Decision: DecisionPartly, Reason: reason, Version: 2}); err != nil {
		t.Fatal(err)
	}

	// The citizen is notified and sees the answer on their input.
	ns, err := Notices(ctx, f.db, a, 10, true)
	if err != nil || len(ns) != 1 || ns[0].InputID != disagree.ID || ns[0].Decision != DecisionPartly || ns[0].Anchor != "pasal-3-ayat-2" {
		t.Fatalf("notices %+v %v", ns, err)
	}
	if err := f.s.MarkNoticesRead(ctx, a); err != nil {
		t.Fatal(err)
	}
	if ns, _ := Notices(ctx, f.db, a, 10, true); len(ns) != 0 {
		t.Errorf("unread after marking: %v", ns)
	}
	mine, err := Matrix(ctx, f.db, a, f.c, d, Filter{Mine: true})
	if err != nil || len(mine) != 1 || mine[0].Reason != reason || mine[0].EffectiveVersion != 2 || mine[0].Label != "Pasal 3 ayat (2)" {
		t.Fatalf("own inputs %+v %v", mine, err)
	}

	// The matrix, in unit order, for everyone.
	rows, err := Matrix(ctx, f.db, forum.GuestViewer(0), f.c, d, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s|%s|%s|%d", r.Label, r.Stance, r.Decision, r.Supports))
	}
	want := []string{"Pasal 3 ayat (2)|tidak_setuju|diterima_sebagian|0", "Pasal 3 ayat (2)|usul_ubah|diterima_sebagian|1", "Pasal 11 ayat (2)|setuju||0"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("matrix\n got %v\nwant %v", got, want)
	}
	if page, _ := Matrix(ctx, f.db, forum.GuestViewer(0), f.c, d, Filter{Limit: 1, Offset: 1}); len(page) != 1 || page[0].ID != amend.ID {
		t.Errorf("second page of one row: %+v", page)
	}
	if total, answered, err := MatrixCount(ctx, f.db, forum.GuestViewer(0), f.c, d, Filter{}); total != 3 || answered != 2 || err != nil {
		t.Errorf("count %d answered %d (%v), want 3 and 2", total, answered, err)
	}
	if open, _ := Matrix(ctx, f.db, f.admin, f.c, d, Filter{Unanswered: true}); len(open) != 1 {
		t.Errorf("unanswered %d, want 1", len(open))
	}

	// The report per unit.
	rep, err := Report(ctx, f.db, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep {
		switch r.Anchor {
		case "pasal-3-ayat-2":
			if r.Disagree != 1 || r.Amend != 1 || r.Answered != 2 || r.ByDecision[DecisionPartly] != 2 || len(r.Top) != 1 || r.Top[0].ID != amend.ID || r.Change != ChangeChanged {
				t.Errorf("report %+v", r)
			}
		case "pasal-10-ayat-3":
			if r.Change != ChangeAdded || r.Total() != 0 {
				t.Errorf("report %+v", r)
			}
		case "pasal-11-ayat-2":
			if r.Agree != 1 || r.Change != ChangeChanged {
				t.Errorf("report %+v", r)
			}
		}
	}

	// A hidden input leaves the matrix for others; its author still sees it.
	if err := f.s.SetHidden(ctx, f.admin, f.c, d, amend, true); err != nil {
		t.Fatal(err)
	}
	if rows, _ := Matrix(ctx, f.db, a, f.c, d, Filter{}); len(rows) != 2 {
		t.Errorf("others see %d rows, want 2", len(rows))
	}
	if rows, _ := Matrix(ctx, f.db, b, f.c, d, Filter{}); len(rows) != 3 {
		t.Errorf("author sees %d rows, want 3", len(rows))
	}
	if _, err := f.s.Support(ctx, c, f.c, amend); errs.KindOf(err) != errs.NotFound {
		t.Errorf("support of hidden input: %v", err)
	}
}

// TestSupportOncePerPerson: many concurrent supports by one participant
// count once; each other participant counts once.
func TestSupportOncePerPerson(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 6)
	d := f.draft(t)
	in, err := f.s.AddInput(ctx, f.warga[0], f.c, d, NewInput{Anchor: "pasal-9", Stance: StanceAmend, Amendment: "Setiap orang dilarang membakar sampah."})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errc := make(chan error, 50)
	for i := range 50 {
		wg.Go(func() {
			v := f.warga[1+i%5]
			cp := *in
			if _, err := f.s.Support(ctx, v, f.c, &cp); err != nil {
				errc <- err
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	got, err := InputFor(ctx, f.db, f.admin, f.c, d, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	n, err := f.db.NewSelect().Table("draft_input_supports").Where("input_id = ?", in.ID).Count(ctx)
	if err != nil || got.Supports != 5 || n != 5 {
		t.Fatalf("supports %d, rows %d (%v), want 5", got.Supports, n, err)
	}
}

// TestDraftNeverLeaks: a draft in a consultation still in draft, or for a
// focus group, is found only by those who may read it, on every path.
func TestDraftNeverLeaks(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 2)
	g := &forum.FocusGroup{ConsultationID: f.c.ID, Name: "Bank sampah"}
	if err := f.forum.CreateFocusGroup(ctx, f.admin, g); err != nil {
		t.Fatal(err)
	}
	d, err := f.s.Create(ctx, f.admin, f.c, g.ID, "Draf kelompok", f.v1)
	if err != nil {
		t.Fatal(err)
	}
	citizen := f.warga[0]
	if _, err := DraftFor(ctx, f.db, citizen, f.c, d.ID); errs.KindOf(err) != errs.NotFound {
		t.Errorf("citizen reads a focus group's draft: %v", err)
	}
	if ds, _ := Drafts(ctx, f.db, citizen, f.c); len(ds) != 0 {
		t.Errorf("listed %v", ds)
	}
	_, err = f.s.AddInput(ctx, citizen, f.c, d, NewInput{Anchor: "pasal-1", Stance: StanceAgree})
	wantKind(t, err, errs.NotFound, "")
	_, err = f.s.Create(ctx, citizen, f.c, 0, "", f.v1)
	wantKind(t, err, errs.Forbidden, "")
	_, err = f.s.Create(ctx, f.admin, f.c, g.ID+100, "", f.v1)
	wantKind(t, err, errs.Invalid, "rancangan.bad_group")

	recs, err := SearchSources()[0].Scan(ctx, f.db, 0, 1000)
	if err != nil || len(recs) == 0 {
		t.Fatalf("unit documents %d %v", len(recs), err)
	}
	for _, r := range recs {
		if r.Doc.Visibility != search.GroupVisibility(g.ID) {
			t.Fatalf("unit document %s visibility %q", r.Doc.ID, r.Doc.Visibility)
		}
	}

	// A public draft's units are public; after v2 only the current ones.
	pub := f.draft(t)
	if _, err := f.s.AddVersion(ctx, f.admin, f.c, pub, f.v2, ""); err != nil {
		t.Fatal(err)
	}
	recs, _ = SearchSources()[0].Scan(ctx, f.db, 0, 10000)
	public := 0
	for _, r := range recs {
		if r.Doc.Visibility == search.VisibilityPublic {
			public++
			if r.Path == "" || r.Doc.ConsultationID != f.c.ID {
				t.Errorf("record %+v", r)
			}
		}
	}
	v2 := MustFixture(t, "raperda_sampah_v2.md")
	if public != len(v2.Units) {
		t.Errorf("%d public unit documents, want %d", public, len(v2.Units))
	}

	// Turning the consultation back to draft hides everything in it.
	if err := f.forum.UpdateConsultation(ctx, f.admin, f.c, forum.ConsultationInput{Title: f.c.Title, Status: forum.StatusDraft}); err != nil {
		t.Fatal(err)
	}
	if _, err := DraftFor(ctx, f.db, citizen, f.c, pub.ID); errs.KindOf(err) != errs.NotFound {
		t.Errorf("draft consultation's raperda read: %v", err)
	}
	recs, _ = SearchSources()[0].Scan(ctx, f.db, 0, 10000)
	for _, r := range recs {
		if r.Doc.Visibility == search.VisibilityPublic {
			t.Fatalf("public document in a draft consultation: %s", r.Doc.ID)
		}
	}
}
