package polls_test

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
)

// TestSubmitIKMAssisted: an assisted-entry officer records the answers of
// two citizens at the desk in a row (no once-a-month limit: they are not
// the officer's own), each with consent, the officer's id and the consent
// version, and an audit row; the report counts them apart from the
// self-service answer. A citizen cannot record for others, and nothing is
// written without consent.
func TestSubmitIKMAssisted(t *testing.T) {
	ctx := context.Background()
	db, _ := mustDB(t)
	st := polls.NewStore(db, func() time.Time { return t0 })
	u, err := st.EnsureIKMUnit(ctx, forum.Viewer{}, "Kelurahan Darmo")
	if err != nil {
		t.Fatal(err)
	}
	viewer := func(email, role string) forum.Viewer {
		usr := &forum.User{Email: email, DisplayName: email, Role: role}
		if err := forumtest.CreateUser(ctx, db, usr, t0); err != nil {
			t.Fatal(err)
		}
		v, err := forum.LoadViewer(ctx, db, usr, 0)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	officer, citizen := viewer("pendamping@example.id", forum.RoleAssistant), viewer("warga@example.id", forum.RoleParticipant)
	resp := ikm.Response{Scores: [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}}
	if err := st.SubmitIKMAssisted(ctx, officer, u.ID, resp, false); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("without consent: %v", err)
	}
	if err := st.SubmitIKMAssisted(ctx, citizen, u.ID, resp, true); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("by a citizen: %v", err)
	}
	for range 2 {
		if err := st.SubmitIKMAssisted(ctx, officer, u.ID, resp, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SubmitIKM(ctx, u.ID, mustParticipant(t, db, 1), ikm.Response{Scores: [9]int{1, 1, 1, 1, 1, 1, 1, 1, 1}}); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		By      int64  `bun:"assisted_by"`
		Consent string `bun:"assist_consent"`
	}
	if err := db.NewRaw(`SELECT COALESCE(assisted_by, 0) AS assisted_by, assist_consent FROM ikm_responses ORDER BY id`).Scan(ctx, &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].By != officer.User.ID || rows[0].Consent != forum.ConsentVersion || rows[2].By != 0 || rows[2].Consent != "" {
		t.Fatalf("rows %+v", rows)
	}
	var audits int
	if err := db.NewRaw(`SELECT COUNT(*) FROM audit_log WHERE action = ? AND actor_user_id = ? AND target_id = ?`, polls.AuditIKMAssisted, officer.User.ID, u.ID).Scan(ctx, &audits); err != nil || audits != 2 {
		t.Fatalf("%d audit rows (%v)", audits, err)
	}
	p := mustPeriod(t, t0.In(ikm.Jakarta()).Format("2006-01"))
	rep, err := polls.BuildIKMReport(ctx, db, u, p)
	if err != nil || rep.Result.Respondents != 3 || rep.Assisted != 2 {
		t.Fatalf("report: %d respondents, %d assisted (%v)", rep.Result.Respondents, rep.Assisted, err)
	}
}
