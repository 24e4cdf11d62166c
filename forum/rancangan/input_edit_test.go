package rancangan

import (
	"context"
	"strconv"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// A citizen edits and deletes their own unanswered input while the
// consultation is open; never another's, never an answered one, never
// after it closes; each change leaves an audit row.
func TestEditDeleteOwnInput(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 2)
	d := f.draft(t)
	a, b := f.warga[0], f.warga[1]
	in, err := f.s.AddInput(ctx, a, f.c, d, NewInput{Anchor: "pasal-3-ayat-2", Stance: StanceAgree})
	if err != nil {
		t.Fatal(err)
	}
	edit := NewInput{Stance: StanceDisagree, Body: "Setelah membaca lagi, dua jenis belum cukup."}
	wantKind(t, f.s.EditInput(ctx, b, f.c, d, in, edit), errs.Forbidden, "rancangan.not_yours")
	wantKind(t, f.s.DeleteInput(ctx, b, f.c, d, in), errs.Forbidden, "rancangan.not_yours")
	wantKind(t, f.s.EditInput(ctx, a, f.c, d, in, NewInput{Stance: StanceDisagree}), errs.Invalid, "rancangan.length_input")
	if err := f.s.EditInput(ctx, a, f.c, d, in, edit); err != nil {
		t.Fatal(err)
	}
	got, err := InputFor(ctx, f.db, b, f.c, d, in.ID)
	if err != nil || got.Stance != StanceDisagree || got.Body != edit.Body || got.Anchor != "pasal-3-ayat-2" {
		t.Fatalf("edited %+v %v", got, err)
	}

	// An amendment others supported keeps its words.
	amend, err := f.s.AddInput(ctx, a, f.c, d, NewInput{Anchor: "pasal-3-ayat-1", Stance: StanceAmend, Amendment: "Teks lama."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Support(ctx, b, f.c, amend); err != nil {
		t.Fatal(err)
	}
	wantKind(t, f.s.EditInput(ctx, a, f.c, d, amend, NewInput{Stance: StanceAmend, Amendment: "Teks baru."}), errs.Conflict, "rancangan.edit_supported")
	if err := f.s.EditInput(ctx, a, f.c, d, amend, NewInput{Stance: StanceAmend, Body: "Alasan ditambah.", Amendment: "Teks lama."}); err != nil {
		t.Fatalf("editing only the comment of a supported amendment: %v", err)
	}

	// Answered: the answer stays tied to what was said.
	if _, err := f.s.AnswerInputs(ctx, f.admin, f.c, d, []int64{in.ID}, Answer{Decision: DecisionRejected, Reason: "Sudah diatur."}); err != nil {
		t.Fatal(err)
	}
	wantKind(t, f.s.EditInput(ctx, a, f.c, d, in, edit), errs.Conflict, "rancangan.already_answered")
	wantKind(t, f.s.DeleteInput(ctx, a, f.c, d, in), errs.Conflict, "rancangan.already_answered")

	// Delete removes the input and its supports.
	if err := f.s.DeleteInput(ctx, a, f.c, d, amend); err != nil {
		t.Fatal(err)
	}
	if _, err := InputFor(ctx, f.db, a, f.c, d, amend.ID); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("deleted input read: %v", err)
	}
	if n, _ := f.db.NewSelect().Table("draft_input_supports").Where("input_id = ?", amend.ID).Count(ctx); n != 0 {
		t.Errorf("%d supports left", n)
	}
	for _, action := range []string{AuditEdit, AuditDelete} {
		if n, err := f.db.NewSelect().Table("audit_log").Where("action = ?", action).Count(ctx); err != nil || n == 0 {
			t.Errorf("audit rows %s: %d %v", action, n, err)
		}
	}

	// Closed consultation: no edits, no deletions.
	open, err := f.s.AddInput(ctx, a, f.c, d, NewInput{Anchor: "pasal-3-ayat-2", Stance: StanceAgree})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.forum.UpdateConsultation(ctx, f.admin, f.c, forum.ConsultationInput{Title: f.c.Title, Status: forum.StatusClosed}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.EditInput(ctx, a, f.c, d, open, edit); err == nil {
		t.Error("edited after the consultation closed")
	}
	if err := f.s.DeleteInput(ctx, a, f.c, d, open); err == nil {
		t.Error("deleted after the consultation closed")
	}
}

// Reports of a draft input go through forum.Flag: at the consultation's
// threshold the input is hidden pending review (forum.AutoHideReason),
// leaves the matrix, stays visible to its author, and the queue lists it
// with a link to its unit.
func TestFlagDraftInput(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1+forum.DefaultFlagThreshold)
	d := f.draft(t)
	author := f.warga[0]
	in, err := f.s.AddInput(ctx, author, f.c, d, NewInput{Anchor: "pasal-3-ayat-2", Stance: StanceDisagree, Body: "Iklan: beli sekarang!"})
	if err != nil {
		t.Fatal(err)
	}
	target := forum.Target{Kind: forum.TargetDraftInput, ID: in.ID}
	for i, r := range f.warga[1:] {
		if err := f.forum.Flag(ctx, r, target, 0, "spam"); err != nil {
			t.Fatal(err)
		}
		got, _ := InputFor(ctx, f.db, author, f.c, d, in.ID)
		if hidden := got.State == forum.StateHidden; hidden != (i+1 >= forum.DefaultFlagThreshold) {
			t.Fatalf("after %d reports state %q", i+1, got.State)
		}
	}
	got, err := InputFor(ctx, f.db, author, f.c, d, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := forum.ParseAutoHide(got.StateReason); !ok || n != forum.DefaultFlagThreshold {
		t.Errorf("state reason %q", got.StateReason)
	}
	if rows, _ := Matrix(ctx, f.db, forum.Viewer{}, f.c, d, Filter{}); len(rows) != 0 {
		t.Errorf("hidden input in the public matrix: %+v", rows)
	}
	q, err := forum.Queue(ctx, f.db, f.admin, f.c)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range q {
		if it.Target == target {
			found = it.Path == Path(f.c.Slug, d.ID, "")+"/u/pasal-3-ayat-2#m"+strconv.FormatInt(in.ID, 10) && len(it.Reports) == forum.DefaultFlagThreshold
		}
	}
	if !found {
		t.Fatalf("queue %+v", q)
	}
	if err := f.forum.Moderate(ctx, f.admin, target, 0, forum.ActionRestore, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := InputFor(ctx, f.db, author, f.c, d, in.ID); got.State != forum.StatePublished {
		t.Errorf("restored input state %q", got.State)
	}
}

// An answer's notice is mailed only while its recipient may read the
// input and the input is published: DeliverableNotice, asked at send time,
// says no once the input is hidden or the consultation is turned back
// into a draft, and yes again after a restore.
func TestDeliverableNotice(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	d := f.draft(t)
	a := f.warga[0]
	in, err := f.s.AddInput(ctx, a, f.c, d, NewInput{Anchor: "pasal-3-ayat-2", Stance: StanceAgree})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := f.s.AnswerInputs(ctx, f.admin, f.c, d, []int64{in.ID}, Answer{Decision: DecisionAccepted, Reason: "Terima kasih."})
	if err != nil || len(ids) != 1 {
		t.Fatalf("notices %v %v", ids, err)
	}
	want := func(step string, ok bool) {
		t.Helper()
		n, u, got, err := DeliverableNotice(ctx, f.db, ids[0])
		if err != nil || got != ok {
			t.Fatalf("%s: deliverable %v %v, want %v", step, got, err, ok)
		}
		if ok && (u.ID != f.users[1].ID || n.Label != "Pasal 3 ayat (2)" || n.Decision != DecisionAccepted) {
			t.Fatalf("%s: notice %+v to user %d", step, n, u.ID)
		}
	}
	want("answered", true)
	if err := f.s.SetHidden(ctx, f.admin, f.c, d, in, true); err != nil {
		t.Fatal(err)
	}
	want("hidden", false)
	if err := f.s.SetHidden(ctx, f.admin, f.c, d, in, false); err != nil {
		t.Fatal(err)
	}
	want("restored", true)
	if err := f.forum.UpdateConsultation(ctx, f.admin, f.c, forum.ConsultationInput{Title: f.c.Title, Status: forum.StatusDraft}); err != nil {
		t.Fatal(err)
	}
	want("consultation back to draft", false)
	if _, _, ok, err := DeliverableNotice(ctx, f.db, ids[0]+1000); ok || err != nil {
		t.Fatalf("unknown notice: %v %v", ok, err)
	}
}
