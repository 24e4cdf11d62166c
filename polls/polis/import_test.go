package polis_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/polis"
	"github.com/uptrace/bun"
)

var now = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func newDB(t *testing.T) *bun.DB {
	t.Helper()
	db := storagetest.NewDB(t)
	ctx := context.Background()
	if err := forum.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := polls.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	return db
}

// writeExport writes a small export; files maps names to contents.
func writeExport(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func fixture() map[string]string {
	return map[string]string{
		"summary.csv": "topic,Taman kota 公园 Stadtpark\nurl,https://pol.is/abc123\nvoters,3\n" +
			"conversation-description,\"Apa pendapat Anda?\nZweite Zeile: Bürger\"\n",
		"comments.csv": "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n" +
			"1600000000000,x,0,0,2,0,1,Perbanyak pohon di taman\n" +
			"1600000001000,x,1,1,0,1,0,應該增加公園的長椅\n" +
			"1600000002000,x,2,2,0,0,-1,Spam versteckt\n",
		"votes.csv": "timestamp,datetime,comment-id,voter-id,vote\n" +
			"1600000010000,x,0,0,1\n" +
			"1600000011000,x,0,1,-1\n" +
			"1600000012000,x,0,1,1\n" + // later vote replaces the earlier one
			"1600000013000,x,1,1,0\n" +
			"1600000009000,x,1,0,-1\n" +
			"1600000014000,x,2,0,1\n", // on the hidden statement
	}
}

func TestImportFixture(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	dir := writeExport(t, fixture())
	rep, err := polis.Import(ctx, db, dir, now)
	if err != nil {
		t.Fatal(err)
	}
	want := polis.Report{ConsultationID: rep.ConsultationID, Slug: rep.Slug, Title: "Taman kota 公园 Stadtpark",
		Statements: 3, Hidden: 1, Participants: 3, Votes: 5, Agree: 3, Disagree: 1, Pass: 1}
	if *rep != want {
		t.Fatalf("report = %+v, want %+v", *rep, want)
	}
	c, err := forum.ConsultationByRef(ctx, db, rep.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Taman kota 公园 Stadtpark" || !strings.Contains(c.Description, "Bürger") {
		t.Fatalf("text did not round-trip: %q / %q", c.Title, c.Description)
	}
	ts, err := polls.Tallies(ctx, db, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].Agree != 2 || ts[0].Disagree != 0 || ts[1].Disagree != 1 || ts[1].Pass != 1 ||
		ts[1].Text != "應該增加公園的長椅" {
		t.Fatalf("tallies = %+v", ts)
	}
	counts, err := polls.CountsFor(ctx, db, []int64{c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if got := counts[c.ID]; got != (polls.Counts{Statements: 2, Participants: 2, Votes: 4}) {
		t.Fatalf("public counts = %+v", got)
	}

	// A second import of the same folder changes nothing.
	before := snapshot(t, db)
	rep2, err := polis.Import(ctx, db, dir, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if rep2.ConsultationID != rep.ConsultationID || rep2.Slug != rep.Slug {
		t.Fatalf("second import made a new consultation: %+v", rep2)
	}
	if after := snapshot(t, db); after != before {
		t.Fatalf("second import changed the database:\n%s\n%s", before, after)
	}
}

// snapshot renders the rows an import writes, for comparing two states.
func snapshot(t *testing.T, db *bun.DB) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	var cs []forum.Consultation
	var ps []forum.Participant
	var ss []polls.Statement
	var vs []polls.StatementVote
	for _, q := range []error{
		db.NewSelect().Model(&cs).Order("id").Scan(ctx),
		db.NewSelect().Model(&ps).Order("id").Scan(ctx),
		db.NewSelect().Model(&ss).Order("id").Scan(ctx),
		db.NewSelect().Model(&vs).Order("statement_id", "participant_id").Scan(ctx),
	} {
		if q != nil {
			t.Fatal(q)
		}
	}
	for _, c := range cs {
		b.WriteString(c.Slug + c.Title + c.UpdatedAt.UTC().String() + "\n")
	}
	for _, p := range ps {
		b.WriteString(p.PublicID + p.SourceKey + "\n")
	}
	for _, s := range ss {
		b.WriteString(s.SourceKey + s.Text + "\n")
	}
	for _, v := range vs {
		b.WriteString(string(rune('0'+v.Value+1)) + v.VotedAt.UTC().String() + "\n")
	}
	return b.String()
}

func TestImportMalformedWritesNothing(t *testing.T) {
	cases := []struct {
		name, file, body, want string
	}{
		{"bad vote value", "votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1600000010000,x,0,0,1\n1600000010000,x,0,1,2\n", "votes.csv, row 3"},
		{"unknown comment", "votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1600000010000,x,9,0,1\n", "votes.csv, row 2"},
		{"bad timestamp", "comments.csv", "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\nabc,x,0,0,0,0,1,Halo\n", "comments.csv, row 2"},
		{"missing column", "votes.csv", "timestamp,comment-id,vote\n1,0,1\n", "votes.csv, row 1: missing column \"voter-id\""},
		{"invalid utf-8", "comments.csv", "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1600000000000,x,0,0,0,0,1,Usulan\x96air\xff\n", "comments.csv, row 2: text is not valid UTF-8"},
		{"unterminated quote", "comments.csv", "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1600000000000,x,0,0,0,0,1,\"Halo\n", "comments.csv, row 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := newDB(t)
			files := fixture()
			files[tc.file] = tc.body
			_, err := polis.Import(context.Background(), db, writeExport(t, files), now)
			var re *polis.RowError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a RowError containing %q", err, tc.want)
			}
			for _, table := range []string{"consultations", "participants", "statements", "statement_votes"} {
				n, err := db.NewSelect().Table(table).Count(context.Background())
				if err != nil || n != 0 {
					t.Fatalf("%s has %d rows after a failed import (err %v)", table, n, err)
				}
			}
		})
	}
}

func TestImportMatrixFallback(t *testing.T) {
	files := fixture()
	delete(files, "votes.csv")
	files["participants-votes.csv"] = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n" +
		"0,0,1,2,1,1,1,-1,\n1,1,1,2,1,0,1,0,\n2,,1,0,0,0,,,\n"
	db := newDB(t)
	rep, err := polis.Import(context.Background(), db, writeExport(t, files), now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Votes != 4 || rep.Agree != 2 || rep.Disagree != 1 || rep.Pass != 1 || rep.Participants != 3 {
		t.Fatalf("report = %+v", rep)
	}
}
