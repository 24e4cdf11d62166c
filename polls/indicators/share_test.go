package indicators_test

import (
	"context"
	"testing"

	"github.com/rembug/rembug/forum/reach"
	"github.com/rembug/rembug/polls/indicators"
)

// TestShareArrivalsInRange: arrivals through shared links (?src=…) count
// per channel on the range's days in WIB, with zero rows for channels
// nobody used; an arrival the evening before the range (WIB) and one on
// its first morning fall on the right side of the edge. SQLite and
// PostgreSQL.
func TestShareArrivalsInRange(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	for _, a := range []struct {
		src, at string
		n       int
	}{
		{"wa", "2026-10-31 23:30", 1}, // the day before, in WIB
		{"wa", "2026-11-01 00:30", 3},
		{"tg", "2026-11-30 23:59", 2},
		{"fb", "2026-12-01 00:00", 4}, // the day after the range
		{"mail", "2026-11-10 10:00", 1},
	} {
		for range a.n {
			if _, err := reach.Record(ctx, db, a.src, 1, wib(a.at)); err != nil {
				t.Fatal(err)
			}
		}
	}
	r, err := indicators.Compute(ctx, source(t, db, wib("2026-12-10 00:00")),
		indicators.Query{From: wib("2026-11-01 00:00"), To: wib("2026-12-01 00:00")})
	if err != nil {
		t.Fatal(err)
	}
	want := []indicators.Cell{{Label: "wa", Count: 3}, {Label: "fb", Count: 0}, {Label: "x", Count: 0}, {Label: "tg", Count: 2}}
	got := r.Active.ArrivalsByShareLink
	if len(got) != len(want) {
		t.Fatalf("arrivals %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("arrivals %+v, want %+v", got, want)
			break
		}
	}
}
