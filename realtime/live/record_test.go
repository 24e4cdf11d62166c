package live_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
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
	q2, err := e.svc.Ask(ctx, forum.GuestViewer(ps[1]), s, "", "Kenapa tarif naik?", true)
	if err != nil {
		t.Fatal(err)
	}
	for _, pid := range ps {
		if _, err := e.svc.Upvote(ctx, forum.GuestViewer(pid), s, q2.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	must(t, e.svc.Moderate(ctx, e.staff, s, q1.ID, live.ActHide, "", 0))
	p, err := e.svc.CreatePoll(ctx, e.staff, s, live.PollInput{Kind: live.KindSingle, Question: "Setuju?", Options: []string{"Ya", "-1 Tidak"}})
	if err != nil {
		t.Fatal(err)
	}
	must(t, e.svc.PollAction(ctx, e.staff, s, p.ID, live.PollLaunch))
	for i, pid := range ps {
		must(t, e.svc.AnswerPoll(ctx, forum.GuestViewer(pid), s, p.ID, live.Answer{Options: []int{i % 2}}))
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
		{"anonymous asker has no pseudonym", "questions", 2, 6, "", 3},
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

// TestRecordAnonymousQuestion checks that an anonymous question carries no
// pseudonym in the record (JSON and CSV): not the one its asker has for
// named questions, upvotes and answers, and that someone who only asked
// anonymously is not numbered at all (a gap in P1, P2, ... would point at
// them).
func TestRecordAnonymousQuestion(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{AllowAnonymous: true})
	ps := e.participants(t, 3)
	named := e.ask(t, s, ps[0], "Atas nama saya")
	anon0, err := e.svc.Ask(ctx, forum.GuestViewer(ps[0]), s, "Budi", "Rahasia dari orang yang sama", true)
	must(t, err)
	anon1, err := e.svc.Ask(ctx, forum.GuestViewer(ps[1]), s, "", "Hanya anonim", true)
	must(t, err)
	for _, q := range []int64{named.ID, anon0.ID} {
		if _, err := e.svc.Upvote(ctx, forum.GuestViewer(ps[2]), s, q, true); err != nil {
			t.Fatal(err)
		}
	}
	rec, err := e.svc.Record(ctx, s.ID)
	must(t, err)
	want := map[int64]string{named.ID: "P1", anon0.ID: "", anon1.ID: ""}
	for _, q := range rec.Questions {
		if q.Participant != want[q.ID] || q.Anonymous != (want[q.ID] == "") {
			t.Errorf("question %d: participant %q anonymous %v, want %q", q.ID, q.Participant, q.Anonymous, want[q.ID])
		}
	}
	for _, u := range rec.Upvotes {
		if u.Participant != "P2" {
			t.Errorf("upvote on %d by %q, want P2 (the asker of anonymous questions only is not numbered)", u.QuestionID, u.Participant)
		}
	}
	var b strings.Builder
	must(t, rec.WriteCSV(&b, "questions"))
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	must(t, err)
	for _, r := range rows[1:] {
		if strings.Contains(r[7], "anonim") || strings.Contains(r[7], "Rahasia") {
			if r[5] != "" || r[6] != "" {
				t.Errorf("anonymous question exported with author %q participant %q", r[5], r[6])
			}
		}
	}
}
