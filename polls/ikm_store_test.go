package polls_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
)

// workedCSV is the regulation's worked check: 29 respondents, all nine
// elements answered, scores totalling 955 (172 fours, then threes).
func workedCSV() string {
	var b strings.Builder
	b.WriteString("u1,u2,u3,u4,u5,u6,u7,u8,u9,sex,age\n")
	k := 0
	for r := 0; r < 29; r++ {
		for e := 0; e < 9; e++ {
			v := 3
			if k < 172 {
				v = 4
			}
			k++
			fmt.Fprintf(&b, "%d,", v)
		}
		b.WriteString([]string{"L", "P"}[r%2] + ",34\n")
	}
	return b.String()
}

func mustPeriod(tb testing.TB, s string) ikm.Period {
	tb.Helper()
	p, err := ikm.ParsePeriod(s)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestIKMStore(t *testing.T) {
	ctx := context.Background()
	db, _ := mustDB(t)
	u, err := polls.NewStore(db, func() time.Time { return t0 }).EnsureIKMUnit(ctx, forum.Viewer{}, "Dinas Kependudukan")
	if err != nil {
		t.Fatal(err)
	}
	again, err := polls.NewStore(db, func() time.Time { return t0 }).EnsureIKMUnit(ctx, forum.Viewer{}, "Dinas Kependudukan")
	if err != nil || again.ID != u.ID {
		t.Fatalf("second EnsureIKMUnit: %v, id %d vs %d", err, again.ID, u.ID)
	}
	rs, err := ikm.ReadCSV(strings.NewReader(workedCSV()))
	if err != nil {
		t.Fatal(err)
	}
	s1 := mustPeriod(t, "2026-S1")
	if err := polls.NewStore(db, func() time.Time { return t0 }).ImportIKM(ctx, forum.Viewer{}, u.ID, s1, "digest-1", rs); err != nil {
		t.Fatal(err)
	}
	if err := polls.NewStore(db, func() time.Time { return t0 }).ImportIKM(ctx, forum.Viewer{}, u.ID, s1, "digest-1", rs); !errors.Is(err, polls.ErrIKMDuplicateImport) {
		t.Fatalf("second import of the same file: %v", err)
	}
	// A web answer on 1 July 00:00 WIB belongs to S2, not S1.
	pid := mustParticipant(t, db, 1)
	july := time.Date(2026, 7, 1, 0, 0, 0, 0, ikm.Jakarta())
	web := ikm.Response{Scores: [9]int{1, 1, 1, 1, 1, 1, 1, 1, 0}, Profile: ikm.Profile{Sex: "P"}}
	if err := polls.NewStore(db, func() time.Time { return july }).SubmitIKM(ctx, u.ID, pid, web); err != nil {
		t.Fatal(err)
	}
	if err := polls.NewStore(db, func() time.Time { return july.Add(time.Hour) }).SubmitIKM(ctx, u.ID, pid, web); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("second web answer in a month: %v", err)
	}
	cases := []struct {
		period      string
		respondents int
		rounded     int64
		grade       ikm.Grade
	}{
		{"2026-S1", 29, 9148, ikm.GradeA},
		{"2026-Q1", 0, 0, ""}, // a semester import cannot be split into quarters
		{"2026-S2", 1, 2500, ikm.GradeD},
		{"2026-07", 1, 2500, ikm.GradeD},
		{"2026", 30, 0, ""}, // checked below
	}
	for _, tc := range cases {
		t.Run(tc.period, func(t *testing.T) {
			rep, err := polls.BuildIKMReport(ctx, db, u, mustPeriod(t, tc.period))
			if err != nil {
				t.Fatal(err)
			}
			r := rep.Result
			if r.Respondents != tc.respondents || (tc.period != "2026" && (r.Rounded != tc.rounded || r.Grade != tc.grade)) {
				t.Fatalf("respondents %d ikm %d grade %q; want %d %d %q", r.Respondents, r.Rounded, r.Grade, tc.respondents, tc.rounded, tc.grade)
			}
			if len(rep.Trend) != polls.TrendPeriods || rep.Trend[len(rep.Trend)-1].Period.String() != tc.period {
				t.Fatalf("trend %+v", rep.Trend)
			}
		})
	}
	rep, err := polls.BuildIKMReport(ctx, db, u, s1)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Profile[1].Field != "sex" || rep.Profile[1].Counts[0].Count+rep.Profile[1].Counts[1].Count != 29 || len(rep.Weakest) != 3 {
		t.Fatalf("profile %+v weakest %d", rep.Profile[1], len(rep.Weakest))
	}
	if rep.Trend[4].Period.String() != "2025-S2" || rep.Trend[0].Period.String() != "2023-S2" {
		t.Fatalf("trend periods %s..%s", rep.Trend[0].Period, rep.Trend[4].Period)
	}
}

func TestImportIKMAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db, _ := mustDB(t)
	u, err := polls.NewStore(db, func() time.Time { return t0 }).EnsureIKMUnit(ctx, forum.Viewer{}, "Puskesmas")
	if err != nil {
		t.Fatal(err)
	}
	bad := ikm.Response{Scores: [9]int{5}} // passes no reader, but a caller could build it
	good := ikm.Response{Scores: [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}}
	if err := polls.NewStore(db, func() time.Time { return t0 }).ImportIKM(ctx, forum.Viewer{}, u.ID, mustPeriod(t, "2026"), "d", []ikm.Response{good, bad}); err == nil {
		t.Fatal("a score of 5 was stored")
	}
	rs, err := polls.IKMResponses(ctx, db, u.ID, mustPeriod(t, "2026"))
	if err != nil || len(rs) != 0 {
		t.Fatalf("after a failed import: %d responses, %v", len(rs), err)
	}
}
