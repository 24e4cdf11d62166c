package report_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/report"
)

// TestReportLeavesOutOpenText: the consultation report (JSON, CSV tables
// and Markdown) follows polls.Disclose: the number of open-text answers,
// never their text, named and anonymous surveys alike.
func TestReportLeavesOutOpenText(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.people(t, 6)
	for _, anonymous := range []bool{false, true} {
		s := &polls.Survey{ConsultationID: w.c.ID, Title: fmt.Sprint("Saran ", anonymous), Anonymous: anonymous,
			OpensAt: t0.Add(-time.Hour), ClosesAt: t0.Add(time.Hour)}
		qs := []polls.Question{{Code: "t", Kind: polls.KindText, Text: "Saran", Required: true}}
		if err := polls.NewStore(w.db, func() time.Time { return t0.Add(-time.Hour) }).CreateSurvey(ctx, forum.Viewer{}, s, qs); err != nil {
			t.Fatal(err)
		}
		for i, p := range w.ppl {
			if _, err := polls.NewStore(w.db, func() time.Time { return t0 }).Submit(ctx, forum.GuestViewer(p.ID), s, qs, polls.Answers{"t": {Text: fmt.Sprintf("rahasia %d", i)}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	r := build(t, w)
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var md strings.Builder
	if err := report.WriteMarkdown(&md, r, "id"); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"json": string(js), "markdown": md.String()} {
		if strings.Contains(out, "rahasia") {
			t.Errorf("report %s shows an open-text answer", name)
		}
	}
	if len(r.Polls) != 2 || r.Polls[0].Questions[0].Answered == 0 {
		t.Fatalf("polls in the report: %+v", r.Polls)
	}
}
