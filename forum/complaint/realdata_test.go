package complaint

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/complaint/workday"
)

// sharedComplaints finds shared/data/id-complaints beside the repository
// (or above the working directory), or skips the test saying why.
func sharedComplaints(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "data", "id-complaints", "surabaya_complaints_meta.csv")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shared/data/id-complaints is not present beside the repository; the real-data import test needs it")
		}
		dir = parent
	}
}

// fileFigures is an independent reading of the Surabaya file: per agency,
// complaints, answered ones and first-response hours.
type fileFigures struct {
	received, answered, met, excluded int
	hours                             []float64
}

func readFigures(t *testing.T, path string, cal *workday.Calendar) (map[string]*fileFigures, []float64) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for i, h := range recs[0] {
		idx[h] = i
	}
	wib := time.FixedZone("WIB", 7*3600)
	parse := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04:05.000", s, wib)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	by := map[string]*fileFigures{}
	var all []float64
	for _, r := range recs[1:] {
		ag := r[idx["agency"]]
		if by[ag] == nil {
			by[ag] = &fileFigures{}
		}
		g := by[ag]
		g.received++
		if a := r[idx["answered_at"]]; a != "" {
			rec, ans := parse(r[idx["received_at"]]), parse(a)
			h := ans.Sub(rec).Hours()
			g.answered++
			all = append(all, h)
			if h < 0 { // answered before received: left out of the figures
				g.excluded++
				continue
			}
			g.hours = append(g.hours, h)
			if !ans.After(cal.Deadline(rec, 5)) {
				g.met++
			}
		}
	}
	return by, all
}

// quantile is the test's own type-7 quantile.
func quantile(xs []float64, q float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}

func TestImportSurabaya(t *testing.T) {
	path := sharedComplaints(t)
	ctx := context.Background()
	f := newFixture(t)
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := f.s.Import(ctx, f.admin, "surabaya_complaints_meta.csv", in, wibZone)
	in.Close()
	if err != nil {
		t.Fatal(err)
	}
	// The file's 269 distinct topic values include the empty one (115
	// rows): those complaints get no topic, the other 268 become topics.
	// The fixture made two agencies, both named in the file.
	want := ImportReport{Rows: 5000, Imported: 5000, Agencies: 188, Topics: 268, Areas: 158, Answered: 4674, WithoutAnswers: 326}
	// Two rows were answered before they were received: imported, named
	// in a warning, left out of response times.
	var warned []string
	for _, w := range rep.Warnings {
		if w.File != "surabaya_complaints_meta.csv" {
			t.Errorf("warning names file %q", w.File)
		}
		warned = append(warned, fmt.Sprintf("%d %s", w.Row, strings.Fields(w.Msg)[1]))
	}
	if fmt.Sprint(warned) != "[1734 162295: 2451 165359:]" {
		t.Errorf("warnings %v, want rows 1734 (id 162295) and 2451 (id 165359)", rep.Warnings)
	}
	rep.Warnings = nil
	if !reflect.DeepEqual(rep, want) {
		t.Fatalf("report %+v, want %+v", rep, want)
	}
	db := f.s.db
	count := func(q string) int {
		var n int
		if err := db.NewRaw(q).Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	checks := []struct {
		q    string
		want int
	}{
		{"SELECT count(*) FROM complaints", 5000},
		{"SELECT count(DISTINCT agency_id) FROM complaint_routes", 190},
		{"SELECT count(*) FROM complaint_topics", 268},
		{"SELECT count(*) FROM complaints WHERE topic_id IS NULL", 115},
		{"SELECT count(DISTINCT kecamatan) FROM complaint_areas", 31},
		{"SELECT count(*) FROM complaint_areas", 158},
		{"SELECT count(*) FROM complaints WHERE first_response_at IS NOT NULL", 4674},
		{"SELECT count(*) FROM complaints WHERE response_bucket = 'Lebih 7 Hari'", countBucket(t, path, "Lebih 7 Hari")},
	}
	for _, c := range checks {
		if got := count(c.q); got != c.want {
			t.Errorf("%s = %d, want %d", c.q, got, c.want)
		}
	}

	figs, all := readFigures(t, path, f.s.Calendar())
	if m := quantile(all, 0.5); math.Abs(m-7.87) > 0.005 {
		t.Fatalf("file median %v", m)
	}
	groups, err := f.s.Stats(ctx, time.Time{}, time.Time{}, ByAgency)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 190 {
		t.Fatalf("%d agency groups", len(groups))
	}
	excluded := 0
	for _, g := range groups {
		w := figs[g.Key]
		excluded += g.Excluded
		if w == nil || g.Received != w.received || g.Answered != w.answered || g.Excluded != w.excluded {
			t.Fatalf("agency %q: %+v, file %+v", g.Key, g, w)
		}
		if len(w.hours) == 0 {
			continue
		}
		if math.Abs(g.FirstResponseHours.Median-quantile(w.hours, 0.5)) > 0.005+1e-9 ||
			math.Abs(g.FirstResponseHours.P90-quantile(w.hours, 0.9)) > 0.005+1e-9 ||
			math.Abs(g.SLAMetShare-float64(w.met)/float64(len(w.hours))) > 0.00005 {
			t.Errorf("agency %q: %+v, file median %.2f p90 %.2f met %d/%d", g.Key, g.FirstResponseHours,
				quantile(w.hours, 0.5), quantile(w.hours, 0.9), w.met, w.answered)
		}
	}
	if excluded != 2 {
		t.Errorf("%d complaints left out of response times, want 2 (ids 162295 and 165359)", excluded)
	}
	kec, err := f.s.Stats(ctx, time.Time{}, time.Time{}, ByKecamatan)
	if err != nil || len(kec) != 31 {
		t.Fatalf("kecamatan groups %d, %v", len(kec), err)
	}

	// Importing again changes nothing.
	in, _ = os.Open(path)
	rep, err = f.s.Import(ctx, f.admin, "surabaya_complaints_meta.csv", in, wibZone)
	in.Close()
	if err != nil || rep.Imported != 0 || rep.Skipped != 5000 || count("SELECT count(*) FROM complaints") != 5000 {
		t.Fatalf("second import: %+v, %v", rep, err)
	}
}

func countBucket(t *testing.T, path, bucket string) int {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, _ := csv.NewReader(f).ReadAll()
	n := 0
	for _, r := range recs[1:] {
		if r[3] == bucket {
			n++
		}
	}
	return n
}
