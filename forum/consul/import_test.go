package consul_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/consul"
	"github.com/rembug/rembug/forum/storage/storagetest"
)

var now = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// dataDir finds shared/data/proposals/decide-madrid by walking up from the
// working directory, or skips.
func dataDir(t *testing.T) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		for _, p := range []string{filepath.Join(dir, "shared", "data", "proposals", "decide-madrid"),
			filepath.Join(dir, "..", "shared", "data", "proposals", "decide-madrid")} {
			if _, err := os.Stat(filepath.Join(p, "proposals.csv")); err == nil {
				return p
			}
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Skip("shared/data/proposals/decide-madrid not found above the working directory; the import test needs it")
		}
		dir = up
	}
}

// TestImportDecideMadrid loads the real data and checks the counts and the
// reply tree against the files, then imports again and sees no change.
func TestImportDecideMadrid(t *testing.T) {
	dir := dataDir(t)
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := forum.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	data, err := consul.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := consul.Import(ctx, db, dir, now)
	if err != nil {
		t.Fatal(err)
	}
	var lang string
	if err := db.NewRaw(`SELECT content_lang FROM consultations WHERE source = 'consul'`).Scan(ctx, &lang); err != nil || lang != "es" {
		t.Errorf("content language %q (%v), want es", lang, err)
	}
	if rep.Proposals != 80 || rep.Comments != 5633 || rep.NewProposals != 80 || rep.NewComments != 5633 || rep.Orphans != 268 || rep.Supports != 228140 {
		t.Fatalf("report %+v", rep)
	}
	// The tree: every stored parent is the file's parent, or 0 when the
	// file's parent is -1 or missing.
	var rows []forum.Comment
	if err := db.NewSelect().Model(&rows).Where("source = ?", consul.Source("decide-madrid")).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5633 {
		t.Fatalf("%d comment rows", len(rows))
	}
	key := map[int64]string{}
	for _, r := range rows {
		key[r.ID] = r.SourceKey
	}
	fileParent, perProposal := map[string]string{}, map[string]int{}
	for _, c := range data.Comments {
		fileParent[c.ID] = c.ParentID
		perProposal[c.ProposalID]++
	}
	orphans := 0
	for _, r := range rows {
		want := fileParent[r.SourceKey]
		if _, known := fileParent[want]; !known && want != "" {
			orphans++
			want = ""
		}
		got := ""
		if r.ParentID != 0 {
			got = key[r.ParentID]
		}
		if got != want {
			t.Fatalf("comment %s: parent %q, file says %q", r.SourceKey, got, want)
		}
	}
	if orphans != 268 {
		t.Fatalf("%d orphans kept at top level, want 268", orphans)
	}
	// Each proposal's count and thread match the file.
	var props []forum.Proposal
	if err := db.NewSelect().Model(&props).Where("source = ?", consul.Source("decide-madrid")).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := forum.ConsultationByRef(ctx, db, strconv.FormatInt(rep.ConsultationID, 10))
	if err != nil {
		t.Fatal(err)
	}
	total, supports := 0, 0
	for i := range props {
		p := &props[i]
		tree, counts, err := forum.Thread(ctx, db, forum.Viewer{}, c, p)
		if err != nil {
			t.Fatal(err)
		}
		if p.Comments != perProposal[p.SourceKey] || forum.CountNodes(tree) != p.Comments || counts.Total() != p.Comments {
			t.Fatalf("proposal %s: count %d, tree %d, file %d", p.SourceKey, p.Comments, forum.CountNodes(tree), perProposal[p.SourceKey])
		}
		total += p.Comments
		supports += p.Supports
	}
	if total != 5633 || supports != 228140 {
		t.Fatalf("comments %d supports %d", total, supports)
	}

	again, err := consul.Import(ctx, db, dir, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if again.NewProposals != 0 || again.NewComments != 0 || again.ConsultationID != rep.ConsultationID {
		t.Fatalf("second import changed things: %+v", again)
	}
	for _, table := range []string{"proposals", "comments", "consultations"} {
		n, err := db.NewSelect().Table(table).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{"proposals": 80, "comments": 5633, "consultations": 1}[table]
		if int(n) != want {
			t.Fatalf("%s: %d rows after re-import, want %d", table, n, want)
		}
	}
}

// TestImportMalformed checks that a bad row names its file and line and
// that nothing is written.
func TestImportMalformed(t *testing.T) {
	good := dataDir(t)
	cases := []struct {
		name, file, from, to, want string
	}{
		{"bad supports", "proposals.csv", ",archived,6560,", ",archived,many,", "proposals.csv:2"},
		{"unknown proposal", "comments.csv", "0,17092,-1,7,", "0,17092,-1,999999,", "comments.csv:2"},
		{"bad clock", "comments.csv", "0 days 10:50:19", "ten to eleven", "comments.csv:2"},
		{"hierarchy disagrees", "comment_hierarchy.csv", "7,17107,17092", "7,17107,17135", "comment_hierarchy.csv:4"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "decide-madrid")
			os.Mkdir(dir, 0o755)
			for _, f := range []string{"proposals.csv", "comments.csv", "comment_hierarchy.csv"} {
				b, err := os.ReadFile(filepath.Join(good, f))
				if err != nil {
					t.Fatal(err)
				}
				s := string(b)
				if f == tc.file {
					if !strings.Contains(s, tc.from) {
						t.Fatalf("%s lacks %q", f, tc.from)
					}
					s = strings.Replace(s, tc.from, tc.to, 1)
				}
				os.WriteFile(filepath.Join(dir, f), []byte(s), 0o644)
			}
			ctx := context.Background()
			db := storagetest.NewDB(t)
			if err := forum.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			_, err := consul.Import(ctx, db, dir, now)
			var re *consul.RowError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one naming %s", err, tc.want)
			}
			if n, _ := db.NewSelect().Table("proposals").Count(ctx); n != 0 {
				t.Fatalf("%d proposals written by a failed import", n)
			}
		})
	}
}
