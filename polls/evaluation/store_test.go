package evaluation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/complaint/workday"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/forum/tz"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/evaluation"
	"github.com/rembug/rembug/polls/indicators"
	"github.com/rembug/rembug/realtime/live"
	"github.com/uptrace/bun"
)

type world struct {
	t              *testing.T
	db             *bun.DB
	store          *evaluation.Store
	admin, analyst forum.Viewer
	stmt           int64
	agency         int64     // "Dinas Kominfo"
	now            time.Time // the Store's clock
	n              int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(t)
	for _, m := range []func(context.Context, *bun.DB) error{forum.Migrate, complaint.Migrate, polls.Migrate, live.Migrate,
		messaging.Migrate, indicators.Migrate, evaluation.Migrate} {
		if err := m(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	z := tz.Default()
	cal, err := workday.New(z.Loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)
	w := &world{t: t, db: db, now: now}
	w.store = evaluation.NewStore(db, indicators.Source{DB: db, Calendar: func() *workday.Calendar { return cal },
		Zone: z.Name, Loc: z.Loc, Now: func() time.Time { return w.now }})
	for _, role := range []string{forum.RoleAdmin, forum.RoleAnalyst} {
		u := &forum.User{DisplayName: role, Email: role + "@contoh.test", Role: role}
		if err := forumtest.CreateUser(ctx, db, u, now); err != nil {
			t.Fatal(err)
		}
		v, err := forum.LoadViewer(ctx, db, u, 0)
		if err != nil {
			t.Fatal(err)
		}
		if role == forum.RoleAdmin {
			w.admin = v
		} else {
			w.analyst = v
		}
	}
	w.exec(`INSERT INTO consultations (slug, title, description, status, source, source_key, source_url, created_at, updated_at)
		VALUES ('k', 'K', '', 'open', '', '', '', ?, ?)`, now, now)
	w.exec(`INSERT INTO statements (consultation_id, source_key, author_id, text, hidden, created_at)
		VALUES ((SELECT id FROM consultations WHERE slug = 'k'), 's1', NULL, 's', FALSE, ?)`, now)
	db.NewRaw(`SELECT id FROM statements WHERE source_key = 's1'`).Scan(ctx, &w.stmt)
	w.agency = w.addAgency("Dinas Kominfo")
	return w
}

func (w *world) addAgency(name string) int64 {
	w.t.Helper()
	var id int64
	if err := w.db.NewRaw(`INSERT INTO complaint_agencies (name, created_at) VALUES (?, ?) RETURNING id`, name, time.Now()).Scan(context.Background(), &id); err != nil {
		w.t.Fatal(err)
	}
	return id
}

func (w *world) exec(q string, args ...any) {
	w.t.Helper()
	if _, err := w.db.NewRaw(q, args...).Exec(context.Background()); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
}

// votes records a statement vote by each of n new participants at at.
func (w *world) votes(n int, at time.Time) {
	w.t.Helper()
	for range n {
		w.n++
		p, err := forum.EnsureParticipant(context.Background(), w.db, "guest", "test", fmt.Sprint("p", w.n), at)
		if err != nil {
			w.t.Fatal(err)
		}
		w.exec(`INSERT INTO statement_votes (statement_id, participant_id, value, voted_at) VALUES (?, ?, 1, ?)`, w.stmt, p.ID, at)
	}
}

func semester(y, half int) (time.Time, time.Time) {
	loc := tz.Default().Loc
	from := time.Date(y, time.Month(1+6*(half-1)), 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(0, 6, 0)
}

// TestCycleSnapshotAndFollowUp: a cycle's indicators are frozen when it
// closes (votes recorded afterwards in its period change the live figures,
// not the snapshot); the next cycle is analysed against its target and the
// previous cycle, flagged where worse; recommendations carry their status
// and progress; only admins write; bad input writes nothing.
func TestCycleSnapshotAndFollowUp(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	from1, to1 := semester(2026, 1)
	from2, to2 := semester(2026, 2)
	w.votes(12, from1.AddDate(0, 1, 0))
	w.votes(8, from2.AddDate(0, 1, 0))

	first := &evaluation.Cycle{Name: "Semester I 2026", From: from1, To: to1}
	if err := w.store.Open(ctx, w.analyst, first, nil); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("analyst opens a cycle: %v, want forbidden", err)
	}
	if err := w.store.Open(ctx, w.admin, first, map[string]float64{"active_total": 10}); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetPublished(ctx, w.admin, first.ID, true); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("publishing an open cycle: %v, want conflict", err)
	}
	if err := w.store.Close(ctx, w.admin, first.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.store.Close(ctx, w.admin, first.ID); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("closing twice: %v, want conflict", err)
	}
	// Data recorded later in the first period changes nothing frozen.
	w.votes(30, from1.AddDate(0, 2, 0))
	c1, err := evaluation.Get(ctx, w.db, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	rep1, err := c1.Report()
	if err != nil || rep1 == nil {
		t.Fatalf("snapshot: %v %v", rep1, err)
	}
	if rep1.Active.Total != 12 {
		t.Errorf("snapshot active total = %d, want 12 (frozen before the 30 later votes)", rep1.Active.Total)
	}
	rec := &evaluation.Recommendation{CycleID: first.ID, Body: "Tambah petugas", OwnerAgencyID: &w.agency, Due: "2026-10-31"}
	if err := w.store.AddRecommendation(ctx, w.admin, rec); err != nil {
		t.Fatal(err)
	}
	if err := w.store.Progress(ctx, w.admin, rec.ID, evaluation.RecDropped, " "); errs.KindOf(err) != errs.Invalid {
		t.Errorf("dropped without a reason: %v, want invalid", err)
	}
	if err := w.store.Progress(ctx, w.admin, rec.ID, evaluation.RecDone, "Dua petugas baru sejak Agustus"); err != nil {
		t.Fatal(err)
	}

	second := &evaluation.Cycle{Name: "Semester II 2026", From: from2, To: to2}
	if err := w.store.Open(ctx, w.admin, second, map[string]float64{"active_total": 10}); err != nil {
		t.Fatal(err)
	}
	if err := w.store.Close(ctx, w.admin, second.ID); err != nil {
		t.Fatal(err)
	}
	c2, _ := evaluation.Get(ctx, w.db, second.ID)
	prev, err := evaluation.Previous(ctx, w.db, c2)
	if err != nil || prev == nil || prev.ID != first.ID {
		t.Fatalf("previous of the second cycle: %v %v", prev, err)
	}
	rep2, _ := c2.Report()
	rows := evaluation.Analyse(rep2, rep1, c2.Targets())
	got := rows[0]
	if got.Metric.Key != "active_total" || *got.Value != 8 || *got.Previous != 12 || *got.Change != -4 || !got.Worse || *got.Met {
		t.Errorf("active_total row = value %v prev %v change %v worse %v met %v, want 8, 12, -4, worse, target missed",
			*got.Value, *got.Previous, *got.Change, got.Worse, *got.Met)
	}
	recs, err := evaluation.Recommendations(ctx, w.db, prev.ID)
	if err != nil || len(recs) != 1 || recs[0].Status != evaluation.RecDone || len(recs[0].Updates) != 1 ||
		recs[0].Updates[0].Note != "Dua petugas baru sejak Agustus" {
		t.Errorf("follow-up of the first cycle: %+v %v", recs, err)
	}

	for name, f := range map[string]*evaluation.Finding{
		"empty":   {CycleID: second.ID, Body: "  "},
		"section": {CycleID: second.ID, Body: "x", Section: "weather"},
	} {
		if err := w.store.AddFinding(ctx, w.admin, f); errs.KindOf(err) != errs.Invalid {
			t.Errorf("finding %s: %v, want invalid", name, err)
		}
	}
	for name, r := range map[string]*evaluation.Recommendation{
		"no owner": {CycleID: second.ID, Body: "x", Due: "2027-03-01"},
		"bad due":  {CycleID: second.ID, Body: "x", OwnerAgencyID: &w.agency, Due: "31/03/2027"},
	} {
		if err := w.store.AddRecommendation(ctx, w.admin, r); errs.KindOf(err) != errs.Invalid {
			t.Errorf("recommendation %s: %v, want invalid", name, err)
		}
	}
	if err := w.store.Open(ctx, w.admin, &evaluation.Cycle{Name: "x", From: to1, To: from1}, nil); errs.KindOf(err) != errs.Invalid {
		t.Errorf("reversed period: %v, want invalid", err)
	}
	if fs, _ := evaluation.Findings(ctx, w.db, second.ID); len(fs) != 0 {
		t.Errorf("bad findings were written: %+v", fs)
	}
	if err := w.store.AddFinding(ctx, w.admin, &evaluation.Finding{CycleID: second.ID, Body: "Partisipasi turun", Section: "active_participants"}); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetPublished(ctx, w.admin, second.ID, true); err != nil {
		t.Fatal(err)
	}
	pub, _ := evaluation.Cycles(ctx, w.db, true)
	if len(pub) != 1 || pub[0].ID != second.ID {
		t.Errorf("published cycles: %+v", pub)
	}
	var audits int
	w.db.NewRaw(`SELECT COUNT(*) FROM audit_log WHERE target_kind = 'evaluation'`).Scan(ctx, &audits)
	if audits != 8 {
		t.Errorf("audit rows = %d, want 8: two opened, two closed, a recommendation, its progress, a finding, a publication", audits)
	}
}

// TestDemotedAdminRefused: an admin loaded as such and demoted before the
// write may not open a cycle: the Store checks the role again inside its
// transaction and writes nothing. The refusal is not found, as for any
// non-admin (an unpublished cycle is read by admins only). SQLite and
// PostgreSQL.
func TestDemotedAdminRefused(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.exec("UPDATE users SET role = ? WHERE id = ?", forum.RoleParticipant, w.admin.User.ID)
	from, to := semester(2026, 1)
	if err := w.store.Open(ctx, w.admin, &evaluation.Cycle{Name: "Semester I 2026", From: from, To: to}, nil); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("demoted admin opens a cycle: %v, want not found", err)
	}
	var n int
	if err := w.db.NewRaw("SELECT COUNT(*) FROM evaluation_cycles").Scan(ctx, &n); err != nil || n != 0 {
		t.Fatalf("%d cycles written (%v)", n, err)
	}
}
