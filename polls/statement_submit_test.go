package polls_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/polis"
)

// mustViewer creates a user with role and returns them as a loaded viewer
// acting as their participant.
func mustViewer(tb testing.TB, db *bun.DB, name, role string) forum.Viewer {
	tb.Helper()
	ctx := context.Background()
	u := &forum.User{DisplayName: name, Email: name + "@example.test", Role: role}
	if err := forumtest.CreateUser(ctx, db, u, t0); err != nil {
		tb.Fatal(err)
	}
	p, err := forum.UserParticipant(ctx, db, u, t0)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := forum.LoadViewer(ctx, db, u, p.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// publicStatements lists what every public path reads of consultation cid:
// Tallies (the list and results), the counts, the next statement of a new
// visitor and the search documents that are public.
func publicStatements(t *testing.T, db *bun.DB, cid int64) (tallies, counted, searchable int) {
	t.Helper()
	ctx := context.Background()
	ts, err := polls.Tallies(ctx, db, cid)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := polls.CountsFor(ctx, db, []int64{cid})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := polls.SearchSource().Scan(ctx, db, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Doc.Visibility == forum.SearchVisibility(true, forum.StatusOpen, 0) {
			searchable++
		}
	}
	return len(ts), cs[cid].Statements, searchable
}

// TestSubmitStatementModeration runs participants' statements through both
// moderation modes on the Store: the rule off refuses them; under
// pre-moderation a statement is invisible on every public path (and cannot
// be voted on) until approved, its author and moderators read it through
// forum.Can, others do not; a rejection carries its reason; under
// post-moderation it is public at once and a moderator hides and restores
// it, with the counters recounted. Duplicates, empty text, a citizen
// moderating and a stale action are refused. SQLite and PostgreSQL.
func TestSubmitStatementModeration(t *testing.T) {
	ctx := context.Background()
	db, c := mustDB(t)
	st := polls.NewStore(db, func() time.Time { return t0 })
	fs := forum.NewStore(db, func() time.Time { return t0 })
	admin := mustViewer(t, db, "admin", forum.RoleAdmin)
	ani := mustViewer(t, db, "ani", forum.RoleParticipant)
	budi := mustViewer(t, db, "budi", forum.RoleParticipant)
	stage := forum.StageAt(c, nil, t0)
	setRules := func(on, pre bool) {
		t.Helper()
		if err := fs.ConfigureRules(ctx, admin, &forum.Rules{ConsultationID: c.ID, ParticipantStatements: on, Premoderation: pre, FlagThreshold: 3}); err != nil {
			t.Fatal(err)
		}
	}

	if _, err := st.SubmitStatement(ctx, ani, c, stage, "Perbanyak pohon"); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("submission with the rule off: %v, want forbidden", err)
	}
	if _, err := st.SubmitStatement(ctx, forum.GuestViewer(0), c, stage, "Perbanyak pohon"); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("submission by a guest: %v, want forbidden", err)
	}

	setRules(true, true)
	s, err := st.SubmitStatement(ctx, ani, c, stage, "  Perbanyak pohon peneduh  ")
	if err != nil {
		t.Fatal(err)
	}
	if s.Text != "Perbanyak pohon peneduh" || s.Origin != polls.OriginSubmitted || s.AuthorID != ani.ParticipantID || s.State() != forum.StatePending {
		t.Fatalf("submitted statement: %+v", s)
	}
	if a, b, c := publicStatements(t, db, c.ID); a+b+c != 0 {
		t.Fatalf("pending statement public: tallies %d, counts %d, search %d", a, b, c)
	}
	dir := t.TempDir()
	if _, err := polis.Export(ctx, db, c, dir); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "comments.csv")); err != nil || strings.Contains(string(b), "Perbanyak pohon") {
		t.Fatalf("pending statement in the Pol.is export (%v):\n%s", err, b)
	}
	if err := st.CastVote(ctx, forum.GuestViewer(budi.ParticipantID), c, s.ID, polls.Agree); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("vote on a pending statement: %v, want not found", err)
	}
	for name, v := range map[string]forum.Viewer{"author": ani, "moderator": admin} {
		if err := forum.Can(ctx, v, forum.ActRead, s.Item(c)); err != nil {
			t.Errorf("%s cannot read the pending statement: %v", name, err)
		}
	}
	if err := forum.Can(ctx, budi, forum.ActRead, s.Item(c)); errs.KindOf(err) != errs.NotFound {
		t.Errorf("another citizen reads the pending statement: %v", err)
	}
	own, err := polls.OwnStatements(ctx, db, c.ID, ani.ParticipantID)
	if err != nil || len(own) != 1 || own[0].ID != s.ID {
		t.Fatalf("author's own statements: %+v %v", own, err)
	}
	if own, _ := polls.OwnStatements(ctx, db, c.ID, budi.ParticipantID); len(own) != 0 {
		t.Fatalf("another citizen's own statements: %+v", own)
	}
	if _, err := st.SubmitStatement(ctx, budi, c, stage, "Perbanyak pohon peneduh"); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("duplicate: %v, want conflict", err)
	}
	if _, err := st.SubmitStatement(ctx, budi, c, stage, " \n "); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("empty: %v, want invalid", err)
	}
	if _, _, _, err := polls.StatementsToModerate(ctx, db, budi, c, 10); err == nil {
		t.Fatal("a citizen reads the statement queue")
	}
	pending, _, _, err := polls.StatementsToModerate(ctx, db, admin, c, 10)
	if err != nil || len(pending) != 1 || pending[0].ID != s.ID {
		t.Fatalf("queue: %+v %v", pending, err)
	}
	if err := st.ModerateStatement(ctx, budi, c, s.ID, forum.ActionApprove, ""); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("a citizen approves: %v, want not found", err)
	}
	if err := st.ModerateStatement(ctx, ani, c, s.ID, forum.ActionApprove, ""); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("the author approves: %v, want forbidden", err)
	}
	if err := st.ModerateStatement(ctx, admin, c, s.ID, forum.ActionRestore, ""); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("restore of a pending statement: %v, want conflict", err)
	}
	if err := st.ModerateStatement(ctx, admin, c, s.ID, forum.ActionApprove, ""); err != nil {
		t.Fatal(err)
	}
	if a, b, c := publicStatements(t, db, c.ID); a != 1 || b != 1 || c != 1 {
		t.Fatalf("approved statement: tallies %d, counts %d, search %d, want 1 each", a, b, c)
	}
	if err := st.CastVote(ctx, forum.GuestViewer(budi.ParticipantID), c, s.ID, polls.Agree); err != nil {
		t.Fatalf("vote on the approved statement: %v", err)
	}

	// A rejection keeps the reason for the author.
	r, err := st.SubmitStatement(ctx, budi, c, stage, "Iklan toko saya")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ModerateStatement(ctx, admin, c, r.ID, forum.ActionHide, ""); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("hide without a reason: %v, want invalid", err)
	}
	if err := st.ModerateStatement(ctx, admin, c, r.ID, forum.ActionHide, "iklan"); err != nil {
		t.Fatal(err)
	}
	own, _ = polls.OwnStatements(ctx, db, c.ID, budi.ParticipantID)
	if len(own) != 1 || own[0].State() != forum.StateHidden || own[0].StateReason != "iklan" {
		t.Fatalf("rejected statement as its author sees it: %+v", own)
	}

	// Post-moderation: public at once, hidden and restored with recounts.
	setRules(true, false)
	p, err := st.SubmitStatement(ctx, budi, c, stage, "Jalur sepeda terpisah")
	if err != nil || p.State() != forum.StatePublished {
		t.Fatalf("post-moderated statement: %+v %v", p, err)
	}
	if err := st.CastVote(ctx, forum.GuestViewer(ani.ParticipantID), c, p.ID, polls.Disagree); err != nil {
		t.Fatal(err)
	}
	cs, _ := polls.CountsFor(ctx, db, []int64{c.ID})
	if cs[c.ID] != (polls.Counts{Statements: 2, Participants: 2, Votes: 2}) {
		t.Fatalf("counts before hiding: %+v", cs[c.ID])
	}
	if err := st.ModerateStatement(ctx, admin, c, p.ID, forum.ActionHide, "di luar topik"); err != nil {
		t.Fatal(err)
	}
	cs, _ = polls.CountsFor(ctx, db, []int64{c.ID})
	if cs[c.ID] != (polls.Counts{Statements: 1, Participants: 1, Votes: 1}) {
		t.Fatalf("counts after hiding: %+v", cs[c.ID])
	}
	if err := st.ModerateStatement(ctx, admin, c, p.ID, forum.ActionRestore, ""); err != nil {
		t.Fatal(err)
	}
	cs, _ = polls.CountsFor(ctx, db, []int64{c.ID})
	if cs[c.ID] != (polls.Counts{Statements: 2, Participants: 2, Votes: 2}) {
		t.Fatalf("counts after restoring: %+v", cs[c.ID])
	}
	actions := map[string]int{}
	var rows []forum.AuditEntry
	if err := db.NewSelect().Model(&rows).Where("target_kind = ?", "statement").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	for _, e := range rows {
		actions[e.Action]++
	}
	want := map[string]int{"statement_submit": 3, forum.ActionApprove: 1, forum.ActionHide: 2, forum.ActionRestore: 1}
	if fmt.Sprint(actions) != fmt.Sprint(want) {
		t.Errorf("audit actions %v, want %v", actions, want)
	}
	origins, err := polls.OriginCounts(ctx, db, c.ID)
	if err != nil || origins[polls.OriginSubmitted] != 3 {
		t.Errorf("origins %v (%v), want 3 submitted", origins, err)
	}
}

// TestSubmitStatementAtomic refuses the audit row of a submission and of a
// moderation and checks nothing of either remains. SQLite and PostgreSQL.
func TestSubmitStatementAtomic(t *testing.T) {
	ctx := context.Background()
	db, c := mustDB(t)
	st := polls.NewStore(db, func() time.Time { return t0 })
	admin := mustViewer(t, db, "admin", forum.RoleAdmin)
	ani := mustViewer(t, db, "ani", forum.RoleParticipant)
	if err := forum.NewStore(db, nil).ConfigureRules(ctx, admin, &forum.Rules{ConsultationID: c.ID, ParticipantStatements: true, Premoderation: true}); err != nil {
		t.Fatal(err)
	}
	stage := forum.StageAt(c, nil, t0)
	lift := storagetest.RefuseInserts(t, db, "audit_log")
	if _, err := st.SubmitStatement(ctx, ani, c, stage, "Perbanyak pohon"); err == nil {
		t.Fatal("submission succeeded without its audit row")
	}
	if n := count(t, db, "statements", "1 = 1"); n != 0 {
		t.Fatalf("%d statements left by a failed submission", n)
	}
	lift()
	s, err := st.SubmitStatement(ctx, ani, c, stage, "Perbanyak pohon")
	if err != nil {
		t.Fatal(err)
	}
	lift = storagetest.RefuseInserts(t, db, "audit_log")
	if err := st.ModerateStatement(ctx, admin, c, s.ID, forum.ActionApprove, ""); err == nil {
		t.Fatal("approval succeeded without its audit row")
	}
	if n := count(t, db, "statements", "id = ? AND pending AND hidden", s.ID); n != 1 {
		t.Fatal("a failed approval changed the statement")
	}
	lift()
}

// TestSubmitStatementRateLimit: a participant submits
// StatementsPerParticipant statements in an hour, the next is refused as
// rate limited, and the next hour takes them again.
func TestSubmitStatementRateLimit(t *testing.T) {
	ctx := context.Background()
	db, c := mustDB(t)
	st := polls.NewStore(db, func() time.Time { return t0 })
	admin := mustViewer(t, db, "admin", forum.RoleAdmin)
	if err := forum.NewStore(db, nil).ConfigureRules(ctx, admin, &forum.Rules{ConsultationID: c.ID, ParticipantStatements: true}); err != nil {
		t.Fatal(err)
	}
	stage := forum.StageAt(c, nil, t0)
	cara := mustViewer(t, db, "cara", forum.RoleParticipant)
	for i := 0; i < polls.StatementsPerParticipant; i++ {
		if _, err := st.SubmitStatement(ctx, cara, c, stage, fmt.Sprint("Usul kecil nomor ", i)); err != nil {
			t.Fatalf("statement %d within the limit: %v", i, err)
		}
	}
	if _, err := st.SubmitStatement(ctx, cara, c, stage, "Satu lagi"); errs.KindOf(err) != errs.RateLimited {
		t.Fatalf("statement over the limit: %v, want rate limited", err)
	}
	later := polls.NewStore(db, func() time.Time { return t0.Add(polls.StatementWindow) })
	if _, err := later.SubmitStatement(ctx, cara, c, stage, "Satu lagi"); err != nil {
		t.Fatalf("statement in the next window: %v", err)
	}
}

// TestSubmitStatementReadsStageAgain takes the stage and the consultation
// as the page loaded them, then moves the phase on to one without
// statements (and, in a second consultation state, closes it) before the
// submit: the Store reads the phase and the status again inside its
// transaction, so the stale stage is refused with errs.Forbidden and
// nothing is stored. SQLite and PostgreSQL.
func TestSubmitStatementReadsStageAgain(t *testing.T) {
	ctx := context.Background()
	db, c := mustDB(t)
	st := polls.NewStore(db, func() time.Time { return t0 })
	fs := forum.NewStore(db, func() time.Time { return t0 })
	admin := mustViewer(t, db, "admin", forum.RoleAdmin)
	if err := fs.ConfigureRules(ctx, admin, &forum.Rules{ConsultationID: c.ID, ParticipantStatements: true}); err != nil {
		t.Fatal(err)
	}
	open := &forum.Phase{ConsultationID: c.ID, Kind: "information", Features: forum.FeatureStatements,
		StartsAt: t0.Add(-time.Hour), EndsAt: t0.Add(time.Hour)}
	if err := fs.SchedulePhase(ctx, admin, open); err != nil {
		t.Fatal(err)
	}
	cara := mustViewer(t, db, "cara", forum.RoleParticipant)
	stage, err := forum.StageOf(ctx, db, c, t0) // the page's stage: statements on
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.RemovePhase(ctx, admin, c.ID, open.ID); err != nil {
		t.Fatal(err)
	}
	if err := fs.SchedulePhase(ctx, admin, &forum.Phase{ConsultationID: c.ID, Kind: "information", Features: forum.FeatureComments,
		StartsAt: t0.Add(-time.Hour), EndsAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SubmitStatement(ctx, cara, c, stage, "Pasar perlu atap baru"); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("statement on a stage read before the phase moved on: %v, want forbidden", err)
	}
	page := *c
	closed := *c
	if err := fs.UpdateConsultation(ctx, admin, &closed, forum.ConsultationInput{Title: c.Title, Status: forum.StatusClosed}); err != nil {
		t.Fatal(err)
	}
	open2 := forum.StageAt(&page, nil, t0) // a stage without phases allows everything
	if _, err := st.SubmitStatement(ctx, cara, &page, open2, "Pasar perlu atap baru"); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("statement in a consultation closed after the page loaded: %v, want forbidden", err)
	}
	if n, err := db.NewSelect().Model((*polls.Statement)(nil)).Where("consultation_id = ?", c.ID).Count(ctx); err != nil || n != 0 {
		t.Fatalf("%d statements stored by refused submits (%v)", n, err)
	}
}

// TestSeedStatementReadsRoleAgain: a consultation's moderator loaded as
// such, whose role is taken back before they seed a statement, is refused
// (errs.Forbidden): the Store checks the role inside its transaction.
// SQLite and PostgreSQL.
func TestSeedStatementReadsRoleAgain(t *testing.T) {
	ctx := context.Background()
	db, c := mustDB(t)
	st := polls.NewStore(db, func() time.Time { return t0 })
	fs := forum.NewStore(db, func() time.Time { return t0 })
	admin := mustViewer(t, db, "admin", forum.RoleAdmin)
	mod := mustViewer(t, db, "moda", forum.RoleParticipant)
	if err := fs.SetConsultationRole(ctx, admin, c, mod.User.ID, forum.ConsultationModerator, true); err != nil {
		t.Fatal(err)
	}
	mod, err := forum.LoadViewer(ctx, db, mod.User, mod.ParticipantID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SeedStatement(ctx, mod, c.ID, "Pasar perlu atap"); err != nil {
		t.Fatalf("moderator seeds: %v", err)
	}
	if err := fs.SetConsultationRole(ctx, admin, c, mod.User.ID, forum.ConsultationModerator, false); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SeedStatement(ctx, mod, c.ID, "Pasar perlu lampu"); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("seed by a moderator whose role was taken back: %v, want forbidden", err)
	}
}
