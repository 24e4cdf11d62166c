package indicators_test

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/tz"
	"github.com/rembug/rembug/polls/indicators"
	"github.com/rembug/rembug/polls/polis"
)

// shared finds shared/data/<rel> beside the repository (or above the
// working directory), or skips the test saying why.
func shared(t *testing.T, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "data", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skipf("shared/data/%s is not present beside the repository; the real-data test needs it", rel)
		}
		dir = parent
	}
}

func readCSV(t *testing.T, path string) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[0], recs[1:]
}

func col(header []string, name string) int {
	return slices.Index(header, name)
}

// TestActivePolisMonthly imports a real Pol.is conversation and checks
// active participants and new ones per month (WIB) against a count made
// here from its CSV files: each participant's latest vote on each comment
// (the importer keeps that one) and each comment's author at its time.
func TestActivePolisMonthly(t *testing.T) {
	dir := shared(t, "polis/ssis.land-bank-farmland.2rumnecbeh.2021-08-01")
	db := newDB(t)
	ctx := context.Background()
	if _, err := polis.Import(ctx, db, dir, time.Now()); err != nil {
		t.Fatal(err)
	}
	loc := tz.Default().Loc
	ms := func(s string) time.Time {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return time.UnixMilli(n)
	}
	type key struct{ voter, comment string }
	latest := map[key]time.Time{}
	h, rows := readCSV(t, filepath.Join(dir, "votes.csv"))
	for _, r := range rows {
		k, at := key{r[col(h, "voter-id")], r[col(h, "comment-id")]}, ms(r[col(h, "timestamp")])
		if at.After(latest[k]) {
			latest[k] = at
		}
	}
	acts := map[string][]time.Time{}
	for k, at := range latest {
		acts[k.voter] = append(acts[k.voter], at)
	}
	h, rows = readCSV(t, filepath.Join(dir, "comments.csv"))
	for _, r := range rows {
		acts[r[col(h, "author-id")]] = append(acts[r[col(h, "author-id")]], ms(r[col(h, "timestamp")]))
	}
	count, fresh := map[string]map[string]bool{}, map[string]int{}
	var lo, hi time.Time
	for who, ts := range acts {
		first := slices.MinFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
		fresh[first.In(loc).Format("2006-01")]++
		for _, at := range ts {
			m := at.In(loc).Format("2006-01")
			if count[m] == nil {
				count[m] = map[string]bool{}
			}
			count[m][who] = true
			if lo.IsZero() || at.Before(lo) {
				lo = at
			}
			if at.After(hi) {
				hi = at
			}
		}
	}
	from := time.Date(lo.In(loc).Year(), lo.In(loc).Month(), 1, 0, 0, 0, 0, loc)
	to := time.Date(hi.In(loc).Year(), hi.In(loc).Month()+1, 1, 0, 0, 0, 0, loc)
	r, err := indicators.Compute(ctx, source(t, db, time.Now()), indicators.Query{From: from, To: to, By: []indicators.Granularity{indicators.Month}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Active.Monthly) == 0 {
		t.Fatal("no months")
	}
	total := 0
	for _, b := range r.Active.Monthly {
		if b.Count != len(count[b.Period]) || b.New != fresh[b.Period] {
			t.Errorf("%s: %d active, %d new; the CSV files say %d and %d", b.Period, b.Count, b.New, len(count[b.Period]), fresh[b.Period])
		}
		total += b.New
	}
	if total != len(acts) || r.Active.Total != len(acts) {
		t.Errorf("total %d (new summed %d), want %d participants", r.Active.Total, total, len(acts))
	}
	t.Logf("%d months, %d participants", len(r.Active.Monthly), len(acts))
}

// TestComplaintResponseSurabaya imports the real Surabaya records with the
// complaint importer and checks each agency's first-response median, p90
// and count against a computation from the file made here, and against
// the complaint package's own statistics.
func TestComplaintResponseSurabaya(t *testing.T) {
	path := shared(t, "id-complaints/surabaya_complaints_meta.csv")
	db := newDB(t)
	ctx := context.Background()
	loc := tz.Default().Loc
	cs, err := complaint.NewStore(ctx, db, complaint.Config{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if _, err := cs.Import(ctx, complaint.Actor{System: true}, filepath.Base(path), in, loc); err != nil {
		t.Fatal(err)
	}
	h, rows := readCSV(t, path)
	parse := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04:05.000", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	hours := map[string][]float64{}
	received, excluded := map[string]int{}, map[string]int{}
	for _, r := range rows {
		ag := r[col(h, "agency")]
		received[ag]++
		if a := r[col(h, "answered_at")]; a != "" {
			x := parse(a).Sub(parse(r[col(h, "received_at")])).Hours()
			if x < 0 { // answered before received (ids 162295, 165359): left out
				excluded[ag]++
				continue
			}
			hours[ag] = append(hours[ag], x)
		}
	}
	q7 := func(xs []float64, q float64) float64 { // the test's own type-7 quantile
		slices.Sort(xs)
		p := q * float64(len(xs)-1)
		i := int(p)
		if i+1 >= len(xs) {
			return xs[len(xs)-1]
		}
		return xs[i] + (p-float64(i))*(xs[i+1]-xs[i])
	}
	src := source(t, db, time.Date(2023, 8, 1, 0, 0, 0, 0, loc))
	src.Calendar = cs.Calendar
	r, err := indicators.Compute(ctx, src, indicators.Query{From: time.Date(2022, 1, 1, 0, 0, 0, 0, loc), To: time.Date(2023, 7, 1, 0, 0, 0, 0, loc),
		By: []indicators.Granularity{indicators.Month}})
	if err != nil {
		t.Fatal(err)
	}
	stats, err := cs.Stats(ctx, time.Date(2022, 1, 1, 0, 0, 0, 0, loc), time.Date(2023, 7, 1, 0, 0, 0, 0, loc), complaint.ByAgency)
	if err != nil {
		t.Fatal(err)
	}
	statsOf := map[string]complaint.Group{}
	for _, g := range stats {
		statsOf[g.Key] = g
	}
	if len(r.ResponseTime.Complaints) != len(received) {
		t.Errorf("%d agencies, the file has %d", len(r.ResponseTime.Complaints), len(received))
	}
	round := func(x float64) float64 { return math.Round(x*100) / 100 }
	for _, a := range r.ResponseTime.Complaints {
		xs := hours[a.Agency]
		if a.Complaints != received[a.Agency] || a.FirstResponse.N != len(xs) || a.Excluded != excluded[a.Agency] {
			t.Errorf("%s: %d complaints, %d answered, %d excluded; file %d, %d, %d", a.Agency, a.Complaints, a.FirstResponse.N,
				a.Excluded, received[a.Agency], len(xs), excluded[a.Agency])
			continue
		}
		if len(xs) == 0 {
			continue
		}
		med, p90 := round(q7(xs, 0.5)), round(q7(xs, 0.9))
		if *a.FirstResponse.Median != med || *a.FirstResponse.P90 != p90 {
			t.Errorf("%s: median %v p90 %v; file %v %v", a.Agency, *a.FirstResponse.Median, *a.FirstResponse.P90, med, p90)
		}
		if g := statsOf[a.Agency]; g.FirstResponseHours.Median != med || g.FirstResponseHours.P90 != p90 {
			t.Errorf("%s: complaint stats say median %v p90 %v; file %v %v", a.Agency, g.FirstResponseHours.Median, g.FirstResponseHours.P90, med, p90)
		}
	}
	if o := r.ResponseTime.Overall; o.Excluded != 2 {
		t.Errorf("overall: %d excluded (want 2: ids 162295, 165359), %d first responses, %d resolutions", o.Excluded, o.FirstResponse.N, o.Resolution.N)
	}
	if r.Cost.Handled == 0 || r.Active.Total != len(rows) {
		t.Errorf("handled %d, active %d (each imported complaint has its own unnamed reporter: want %d)", r.Cost.Handled, r.Active.Total, len(rows))
	}
}
