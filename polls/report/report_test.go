package report_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/report"
	"github.com/uptrace/bun"
)

var t0 = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// world is a migrated database with one consultation.
type world struct {
	db    *bun.DB
	c     *forum.Consultation
	stmts []polls.Statement
	ppl   []*forum.Participant
}

// texts are the fixture's statements; the last one is hidden.
var texts = []string{
	"Perbanyak pohon peneduh di taman kota",
	"Taman kota perlu lampu penerangan",
	"Bangun lahan parkir di dekat taman",
	"Parkir kendaraan harus berbayar",
	"Jalur sepeda terpisah dari jalan raya",
	"Sepeda boleh masuk taman",
	"Pedagang kaki lima ditertibkan",
	"Pasar malam diizinkan di taman",
	"=HYPERLINK(\"http://evil\") rahasia tersembunyi",
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := forum.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := polls.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	c := &forum.Consultation{Title: "Taman kota", Source: "test", SourceKey: "taman"}
	if err := forum.UpsertImportedConsultation(ctx, db, c, t0); err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, c: c}
	for i, tx := range texts {
		w.stmts = append(w.stmts, polls.Statement{ConsultationID: c.ID, SourceKey: fmt.Sprint(i), Text: tx,
			Hidden: i == len(texts)-1, CreatedAt: t0.Add(time.Duration(i) * time.Second)})
	}
	if _, err := db.NewInsert().Model(&w.stmts).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

// people adds n imported participants.
func (w *world) people(t *testing.T, n int) {
	t.Helper()
	for i := len(w.ppl); len(w.ppl) < i+n; {
		p, err := forum.EnsureParticipant(context.Background(), w.db, forum.ParticipantImported, "test", fmt.Sprint("src-", len(w.ppl)), t0)
		if err != nil {
			t.Fatal(err)
		}
		w.ppl = append(w.ppl, p)
	}
}

// vote stores votes[p][s] (2 means no vote) for participant p on
// statement s, on day p%3 after t0, then recounts.
func (w *world) vote(t *testing.T, votes [][]int8) {
	t.Helper()
	ctx := context.Background()
	w.people(t, len(votes)-len(w.ppl))
	var rows []polls.StatementVote
	for p, vs := range votes {
		for s, v := range vs {
			if v == 2 {
				continue
			}
			rows = append(rows, polls.StatementVote{StatementID: w.stmts[s].ID, ParticipantID: w.ppl[p].ID, Value: v,
				VotedAt: t0.Add(time.Duration(p%3)*24*time.Hour + time.Duration(s)*time.Minute)})
		}
	}
	if len(rows) > 0 {
		_, err := w.db.NewInsert().Model(&rows).On("CONFLICT (statement_id, participant_id) DO UPDATE").
			Set("value = EXCLUDED.value").Set("voted_at = EXCLUDED.voted_at").Exec(ctx)
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return polls.Recount(ctx, tx, w.c.ID) }); err != nil {
		t.Fatal(err)
	}
}

// camps returns n participants in two camps voting opposite ways on the
// visible statements; everyone agrees with statement 0, and everyone votes
// "agree" on the hidden statement.
func camps(n int) [][]int8 {
	out := make([][]int8, n)
	for p := range out {
		row := make([]int8, len(texts))
		for s := range row {
			switch {
			case s == 0 || s == len(texts)-1:
				row[s] = polls.Agree
			case (s%2 == 0) == (p%2 == 0):
				row[s] = polls.Agree
			default:
				row[s] = polls.Disagree
			}
		}
		if p == 5 {
			row[3] = polls.Pass
		}
		out[p] = row
	}
	return out
}

func build(t *testing.T, w *world) *report.Report {
	t.Helper()
	ctx := context.Background()
	a, err := report.Analyze(ctx, w.db, w.c.ID, report.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(ctx, w.db, w.c, a, t0)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReportGroups(t *testing.T) {
	w := newWorld(t)
	w.vote(t, camps(24))
	r := build(t, w)
	if r.Opinion.Reason != "" || len(r.Opinion.Groups) != 2 {
		t.Fatalf("want 2 groups, got %d (reason %q)", len(r.Opinion.Groups), r.Opinion.Reason)
	}
	for _, g := range r.Opinion.Groups {
		if g.Size != 12 || len(g.Members) != 12 || len(g.Representative) == 0 || len(g.KeyTerms) == 0 {
			t.Errorf("group %d: size %d, %d members, %d representative, %d terms", g.ID, g.Size, len(g.Members), len(g.Representative), len(g.KeyTerms))
		}
		for _, m := range g.Members {
			if m.PublicID == "" || !strings.HasPrefix(m.SourceID, "src-") {
				t.Errorf("member %+v lacks public or source id", m)
			}
		}
	}
	if len(r.Consensus) == 0 || r.Consensus[0].StatementID != w.stmts[0].ID {
		t.Errorf("consensus should start with the statement everyone agrees with: %+v", r.Consensus)
	}
	if len(r.Divisive) == 0 || r.Divisive[0].Score < 0.5 {
		t.Errorf("divisive statements: %+v", r.Divisive)
	}
	if r.Counts.Participants != 24 || r.Counts.Statements != len(texts)-1 {
		t.Errorf("counts %+v", r.Counts)
	}
	if len(r.Participation) != 3 || r.Participation[0].New != 8 || r.Participation[0].Votes != 8*(len(texts)-1) {
		t.Errorf("participation %+v", r.Participation)
	}
	checkClean(t, r)
}

// checkClean checks C19 and C20's JSON rule: no hidden text, no NaN.
func checkClean(t *testing.T, r *report.Report) {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	s := string(b)
	if strings.Contains(s, "rahasia") || strings.Contains(s, "NaN") || strings.Contains(s, "Inf") {
		t.Fatalf("report leaks hidden text or non-finite numbers: %s", s)
	}
	for _, st := range r.Statements {
		if strings.Contains(st.Text, "rahasia") {
			t.Fatal("hidden statement listed")
		}
	}
	for _, g := range r.Opinion.Groups {
		if g.Size < 2 {
			t.Fatalf("group of size %d published", g.Size)
		}
	}
}

// TestDegenerate is CASES C20 through the store path.
func TestDegenerate(t *testing.T) {
	same := func(n int) [][]int8 {
		out := make([][]int8, n)
		for p := range out {
			out[p] = []int8{1, 1, -1, 1, 0, 1, -1, 1, 1}
		}
		return out
	}
	passes := func(n int) [][]int8 {
		out := camps(n)
		out[0] = []int8{0, 0, 0, 0, 0, 0, 0, 0, 0}
		for p := range out {
			out[p][7] = 2 // nobody votes on statement 7
		}
		return out
	}
	few := func(n int) [][]int8 {
		out := camps(n)
		for p := range out {
			for s := 0; s < len(texts)-1; s++ {
				if (s-p%8+8)%8 >= 3 { // three votes each, every statement voted on
					out[p][s] = 2
				}
			}
		}
		return out
	}
	outlier := func(n int) [][]int8 {
		out := same(n)
		out[n-1] = []int8{-1, -1, 1, -1, 1, -1, 1, -1, 1}
		return out
	}
	cases := []struct {
		name   string
		votes  [][]int8
		groups bool
	}{
		{"no votes", nil, false},
		{"one participant", camps(1), false},
		{"two participants", camps(2), false},
		{"three participants", camps(3), false},
		{"everyone identical", same(30), false},
		{"fewer than 7 votes each", few(30), false},
		{"58 with one outlier", outlier(58), false},
		{"all-pass voter and unvoted statement", passes(24), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.vote(t, tc.votes)
			r := build(t, w)
			checkClean(t, r)
			if tc.groups != (len(r.Opinion.Groups) >= 2) {
				t.Fatalf("groups %d, reason %q", len(r.Opinion.Groups), r.Opinion.Reason)
			}
			if !tc.groups && r.Opinion.Reason == "" {
				t.Fatal("no groups and no reason")
			}
			for _, f := range []string{"id", "en"} {
				var md strings.Builder
				if err := report.WriteMarkdown(&md, r, f); err != nil || strings.Contains(md.String(), "NaN") {
					t.Fatalf("markdown: %v\n%s", err, md.String())
				}
			}
		})
	}
}
