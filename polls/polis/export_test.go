package polis_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/polis"
	"github.com/uptrace/bun"
)

// roundTrip exports consultation c of db, imports the export into a fresh
// database and checks that the public counts and the statements' vote
// tallies are the same; it returns the export folder.
func roundTrip(t *testing.T, db *bun.DB, c *forum.Consultation) string {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "export")
	rep, err := polis.Export(ctx, db, c, dir)
	if err != nil {
		t.Fatal(err)
	}
	db2 := newDB(t)
	rep2, err := polis.Import(ctx, db2, dir, now)
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	before, after := counts(t, db, c.ID), counts(t, db2, rep2.ConsultationID)
	if before != after || rep.Votes != before.Votes || rep2.Hidden != 0 {
		t.Fatalf("counts differ: before %+v, after %+v (export %+v, import %+v)", before, after, rep, rep2)
	}
	if a, b := tallies(t, db, c.ID), tallies(t, db2, rep2.ConsultationID); !slices.Equal(a, b) {
		t.Fatalf("tallies differ:\n%v\n%v", a, b)
	}
	return dir
}

func counts(t *testing.T, db *bun.DB, cid int64) polls.Counts {
	t.Helper()
	m, err := polls.CountsFor(context.Background(), db, []int64{cid})
	if err != nil {
		t.Fatal(err)
	}
	return m[cid]
}

// tallies lists "agree/disagree/pass" per visible statement in order.
func tallies(t *testing.T, db *bun.DB, cid int64) []string {
	t.Helper()
	ts, err := polls.Tallies(context.Background(), db, cid)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(ts))
	for i, x := range ts {
		out[i] = strings.Join([]string{itoa(x.Agree), itoa(x.Disagree), itoa(x.Pass)}, "/")
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func readAll(t *testing.T, dir, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestExportRoundTripFixture builds a consultation with guest voters,
// formula-like texts and a hidden statement, exports it and imports it.
func TestExportRoundTripFixture(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	c := &forum.Consultation{Title: "=cmd|' /C calc'!A0", Description: "Taman kota", Source: "test", SourceKey: "t"}
	if err := forum.UpsertImportedConsultation(ctx, db, c, now); err != nil {
		t.Fatal(err)
	}
	texts := []string{"=1+1", "@SUM(1+1)", "\t=1+1", "Perbanyak pohon, \"teduh\"\nbaris dua", "-2+3", "rahasia tersembunyi"}
	var stmts []polls.Statement
	for i, tx := range texts {
		stmts = append(stmts, polls.Statement{ConsultationID: c.ID, Text: tx, Hidden: i == len(texts)-1,
			CreatedAt: now.Add(time.Duration(i) * time.Minute)})
	}
	if _, err := db.NewInsert().Model(&stmts).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	var guests []*forum.Participant
	for i, cookie := range []string{"cookie-secret-a", "cookie-secret-b", "cookie-secret-c"} {
		p, err := forum.EnsureParticipant(ctx, db, forum.ParticipantGuest, forum.ParticipantGuest, cookie, now)
		if err != nil {
			t.Fatal(err)
		}
		guests = append(guests, p)
		for j, s := range stmts {
			if s.Hidden {
				if _, err := db.NewInsert().Model(&polls.StatementVote{StatementID: s.ID, ParticipantID: p.ID, Value: 1, VotedAt: now}).Exec(ctx); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if (i+j)%4 == 3 {
				continue
			}
			v := []int8{polls.Agree, polls.Disagree, polls.Pass}[(i+j)%3]
			if err := polls.NewStore(db, func() time.Time { return now.Add(time.Duration(10*i+j) * time.Second) }).CastVote(ctx, forum.GuestViewer(p.ID), c, s.ID, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	dir := roundTrip(t, db, c)

	var all strings.Builder
	for _, name := range []string{"summary.csv", "comments.csv", "votes.csv", "participants-votes.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	for _, secret := range []string{"cookie-secret", "rahasia", guests[0].PublicID} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("export contains %q", secret)
		}
	}
	comments := readAll(t, dir, "comments.csv")
	want := []string{"'=1+1", "'@SUM(1+1)", "'\t=1+1", "Perbanyak pohon, \"teduh\"\nbaris dua", "'-2+3"}
	for i, w := range want {
		if got := comments[i+1][7]; got != w {
			t.Errorf("comment %d body %q, want %q", i, got, w)
		}
	}
	summary := readAll(t, dir, "summary.csv")
	if summary[0][1] != "'=cmd|' /C calc'!A0" {
		t.Errorf("topic cell %q is not neutralised", summary[0][1])
	}
	pv := readAll(t, dir, "participants-votes.csv")
	if len(pv) != 4 || pv[1][0] != "0" || pv[3][0] != "2" {
		t.Errorf("participants are not numbered 0..n-1: %q", pv)
	}
	votes := readAll(t, dir, "votes.csv")
	if !slices.ContainsFunc(votes[1:], func(r []string) bool { return r[4] == "-1" }) {
		t.Error("a disagree vote must stay -1, not be neutralised")
	}
}

// TestExportRoundTripReal is the round trip on Pol.is's own SSIS export.
func TestExportRoundTripReal(t *testing.T) {
	root := sharedPolis(t)
	if testing.Short() {
		t.Skip("real-data round trip skipped in -short mode")
	}
	ctx := context.Background()
	db := newDB(t)
	rep, err := polis.Import(ctx, db, filepath.Join(root, "ssis.land-bank-farmland.2rumnecbeh.2021-08-01"), now)
	if err != nil {
		t.Fatal(err)
	}
	c, err := forum.ConsultationByRef(ctx, db, rep.Slug)
	if err != nil {
		t.Fatal(err)
	}
	dir := roundTrip(t, db, c)
	summary := readAll(t, dir, "summary.csv")
	for _, kv := range summary {
		if kv[0] == "groups" && kv[1] != "2" {
			t.Errorf("groups = %s, Pol.is found 2", kv[1])
		}
	}
}
