package forum_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"sync"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
)

// TestCommentLifecycle covers replies, votes unique per participant, edit
// with its mark and delete by the author keeping the thread's shape.
func TestCommentLifecycle(t *testing.T) {
	w := newWorld(t)
	ani := w.user(t, "ani", forum.RoleParticipant)
	budi := w.user(t, "budi", forum.RoleParticipant)
	p := w.proposal(t, ani, "Taman")
	root, _, err := w.store.AddComment(w.ctx, ani, w.c, p, forum.CommentInput{Body: "Setuju sekali", Alignment: forum.For})
	if err != nil {
		t.Fatal(err)
	}
	reply := w.comment(t, budi, p, root.ID, "Kenapa?")
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.store.VoteComment(context.Background(), budi, w.c, root, 1); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	w.store.VoteComment(w.ctx, budi, w.c, root, -1) // moves the vote
	if err := w.store.EditComment(w.ctx, budi, root, "bukan punyamu"); errs.KindOf(err) != errs.Forbidden {
		t.Fatal("edited someone else's comment")
	}
	if err := w.store.EditComment(w.ctx, ani, root, "Setuju sekali, dengan catatan"); err != nil {
		t.Fatal(err)
	}
	if err := w.store.DeleteComment(w.ctx, ani, root); err != nil {
		t.Fatal(err)
	}
	w.store.DeleteComment(w.ctx, ani, root) // twice is a no-op
	tree, counts, err := forum.Thread(w.ctx, w.db, forum.Viewer{}, w.c, w.reload(t, p))
	if err != nil {
		t.Fatal(err)
	}
	if len(tree) != 1 || !tree[0].Removed || len(tree[0].Replies) != 1 || tree[0].Replies[0].ID != reply.ID {
		t.Fatalf("thread shape after delete: %+v", tree)
	}
	if counts.Total() != 1 || w.reload(t, p).Comments != 1 {
		t.Fatalf("count after delete: %+v %d", counts, w.reload(t, p).Comments)
	}
	var got forum.Comment
	w.db.NewSelect().Model(&got).Where("id = ?", root.ID).Scan(w.ctx)
	if got.Up != 0 || got.Down != 1 || got.EditedAt.IsZero() || got.Body != "" {
		t.Fatalf("votes or marks: %+v", got)
	}
}

// TestUnicodeTitles is CASES C07: every title gets a non-empty, working
// reference, on both databases.
func TestUnicodeTitles(t *testing.T) {
	w := newWorld(t)
	ani := w.user(t, "ani", forum.RoleParticipant)
	seen := map[string]bool{}
	for _, title := range []string{"🔥🔥🔥", "🇮🇩 Indonesia", "Taman 🌳 untuk RW 03", "Jalan rusak 🚧", "??? apa", "مسجد RW 03", "🔥🔥🔥", "公园改造计划"} {
		p := w.proposal(t, ani, title)
		ref := p.Ref()
		if seen[ref] || strings.HasSuffix(ref, "-") {
			t.Fatalf("%q: ref %q repeated or broken", title, ref)
		}
		seen[ref] = true
		id, err := forum.ProposalIDFromRef(ref)
		if err != nil || id != p.ID {
			t.Fatalf("%q: ref %q resolves to %d %v", title, ref, id, err)
		}
		got, _, err := forum.ProposalFor(w.ctx, w.db, forum.Viewer{}, id)
		if err != nil || got.Title != title {
			t.Fatalf("%q stored as %q: %v", title, got.Title, err)
		}
	}
}

// TestLengthLimits is CASES C09: too long input is an errs.Invalid error
// with the field's key on both databases, never a database error.
func TestLengthLimits(t *testing.T) {
	w := newWorld(t)
	ani := w.user(t, "ani", forum.RoleParticipant)
	p := w.proposal(t, ani, "Taman")
	cases := []struct {
		name, key string
		in        forum.ProposalInput
	}{
		{"300-char title", "error.length_title", forum.ProposalInput{Title: strings.Repeat("judul ", 50)}},
		{"5000 A title", "error.length_title", forum.ProposalInput{Title: strings.Repeat("A", 5000)}},
		{"short title", "error.length_title", forum.ProposalInput{Title: "ab"}},
		{"10000-char topic", "error.length_topic", forum.ProposalInput{Title: "Taman", Topics: strings.Repeat("t", 10000)}},
		{"invalid utf-8", "error.utf8", forum.ProposalInput{Title: "Taman \xff"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := w.store.CreateProposal(w.ctx, ani, w.c, c.in)
			var fe *errs.Error
			if errs.KindOf(err) != errs.Invalid || !asError(err, &fe) || fe.Key != c.key {
				t.Fatalf("error %v, want %s", err, c.key)
			}
		})
	}
	_, _, err := w.store.AddComment(w.ctx, ani, w.c, p, forum.CommentInput{Body: strings.Repeat("x", 1<<20)})
	if errs.KindOf(err) != errs.Invalid {
		t.Fatalf("1 MB comment: %v", err)
	}
}

func asError(err error, fe **errs.Error) bool {
	e, ok := err.(*errs.Error)
	*fe = e
	return ok
}

// TestCSVFormulaInjection is CASES C06: dangerous first characters are
// neutralized in every cell, and the file still parses.
func TestCSVFormulaInjection(t *testing.T) {
	rows := []forum.ExportRow{{Kind: "proposal", Title: "@SUM(1+1)", Body: "\t=1+1", Author: "-2+3", Status: "+62 812 3456"},
		{Kind: "comment", Title: "=HYPERLINK(\"http://x\")", Body: "\r=cmd", Alignment: "neutral"}}
	var buf bytes.Buffer
	if err := forum.WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("csv: %d records, %v", len(recs), err)
	}
	for _, rec := range recs {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Fatalf("unsafe cell %q", cell)
			}
		}
	}
	if recs[1][6] != "'@SUM(1+1)" || recs[1][13] != "'+62 812 3456" {
		t.Fatalf("cells %q %q", recs[1][6], recs[1][13])
	}
}

// TestMigrationsDownUp is CASES C24: forum's steps go down and up again on
// a database holding supports and emoji comments, on both dialects.
func TestMigrationsDownUp(t *testing.T) {
	w := newWorld(t)
	ani := w.user(t, "ani", forum.RoleParticipant)
	p := w.proposal(t, ani, "Taman 🌳")
	w.comment(t, ani, p, 0, "Bagus 👍🏽")
	w.store.Support(w.ctx, ani, p, w.c)
	var after forum.Comment
	w.db.NewSelect().Model(&after).Limit(1).Scan(w.ctx)
	if after.Body != "Bagus 👍🏽" || !after.CreatedAt.Equal(t0) || after.Visible() != true {
		t.Fatalf("round trip: %+v", after)
	}
	for i := 0; i < 3; i++ {
		if err := storage.Rollback(w.ctx, w.db, "forum", forum.Migrations); err != nil {
			t.Fatalf("down %d: %v", i, err)
		}
	}
	if err := forum.Migrate(w.ctx, w.db); err != nil {
		t.Fatalf("up again: %v", err)
	}
}
