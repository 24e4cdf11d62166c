package indicators_test

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/polls/indicators"
)

// TestSectionAsOf: each section of a Report carries the time its own
// figures were read (a clock that moves a minute per reading gives five
// different times, in order, after the report's start); the public subset
// keeps only the published sections' times; a Report without them (an old
// snapshot) is as of its ComputedAt. SQLite and PostgreSQL.
func TestSectionAsOf(t *testing.T) {
	db := newDB(t)
	newFixture(t, db)
	src := source(t, db, time.Time{})
	clock := wib("2026-12-10 00:00")
	src.Now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	r, err := indicators.Compute(context.Background(), src, indicators.Query{From: wib("2026-11-01 00:00"), To: wib("2026-12-01 00:00")})
	if err != nil {
		t.Fatal(err)
	}
	prev := r.ComputedAt
	for _, sec := range indicators.Sections {
		at := r.SectionAsOf(sec)
		if !at.After(prev) {
			t.Errorf("%s as of %s, not after %s", sec, at, prev)
		}
		prev = at
	}
	pub := r.Redacted([]string{"satisfaction"})
	if len(pub.AsOf) != 1 || !pub.SectionAsOf("satisfaction").Equal(r.SectionAsOf("satisfaction")) {
		t.Errorf("public as of = %v, want satisfaction's only", pub.AsOf)
	}
	old := &indicators.Report{ComputedAt: wib("2026-06-30 23:00")}
	if !old.SectionAsOf("cost").Equal(old.ComputedAt) {
		t.Errorf("a report without per-section times is as of %s", old.SectionAsOf("cost"))
	}
}
