package live_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/rembug/rembug/realtime/live"
)

// TestRecordExport builds a session's record and checks every CSV part:
// pseudonyms instead of participant ids, formula-safe cells, counts.
func TestRecordExport(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{AllowAnonymous: true})
	ps := e.participants(t, 3)
	q1 := e.ask(t, s, ps[0], "=HYPERLINK(\"http://x\",\"klik\")")
	q2, err := e.svc.Ask(ctx, s, ps[1], "", "Kenapa tarif naik?", true)
	if err != nil {
		t.Fatal(err)
	}
	for _, pid := range ps {
		if _, err := e.svc.Upvote(ctx, s, q2.ID, pid, true); err != nil {
			t.Fatal(err)
		}
	}
	must(t, e.svc.Moderate(ctx, s, q1.ID, live.ActHide, "", 0))
	p, err := e.svc.CreatePoll(ctx, s, live.PollInput{Kind: live.KindSingle, Question: "Setuju?", Options: []string{"Ya", "-1 Tidak"}})
	if err != nil {
		t.Fatal(err)
	}
	must(t, e.svc.PollAction(ctx, s, p.ID, live.PollLaunch))
	for i, pid := range ps {
		must(t, e.svc.AnswerPoll(ctx, s, p.ID, pid, live.Answer{Options: []int{i % 2}}))
	}
	rec, err := e.svc.Record(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][][]string{}
	for _, part := range live.RecordParts() {
		var b strings.Builder
		must(t, rec.WriteCSV(&b, part))
		rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", part, err)
		}
		parts[part] = rows
	}
	for _, tc := range []struct {
		name     string
		part     string
		row, col int
		want     string
		wantRows int
	}{
		{"formula neutralized", "questions", 1, 7, "'=HYPERLINK(\"http://x\",\"klik\")", 3},
		{"hidden question kept", "questions", 1, 1, live.StatusHidden, 3},
		{"anonymous has no name", "questions", 2, 5, "", 3},
		{"anonymous asker pseudonym", "questions", 2, 6, "P2", 3},
		{"upvote count", "questions", 2, 4, "3", 3},
		{"upvotes by pseudonym", "upvotes", 1, 1, "P1", 4},
		{"poll option minus sign", "polls", 2, 5, "'-1 Tidak", 3},
		{"poll count", "polls", 1, 6, "2", 3},
		{"answers", "answers", 3, 1, "P3", 4},
	} {
		rows := parts[tc.part]
		if len(rows) != tc.wantRows {
			t.Fatalf("%s: %s has %d rows, want %d: %v", tc.name, tc.part, len(rows), tc.wantRows, rows)
		}
		if got := rows[tc.row][tc.col]; got != tc.want {
			t.Errorf("%s: %s[%d][%d] = %q, want %q", tc.name, tc.part, tc.row, tc.col, got, tc.want)
		}
	}
	if err := rec.WriteCSV(&strings.Builder{}, "secrets"); err == nil {
		t.Fatal("unknown part accepted")
	}
}
