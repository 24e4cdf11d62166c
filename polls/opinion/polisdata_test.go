package opinion

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// polisExport is a Pol.is conversation export as read for tests: the
// visible votes and Pol.is's own group per participant (-1 = not
// clustered), plus the number of groups from summary.csv.
type polisExport struct {
	votes  []Vote
	groups map[int64]int
	k      int
}

// findPolisData walks up from the working directory looking for
// shared/data/polis (CI keeps shared/ beside the repository root) and
// skips the test when it is absent.
func findPolisData(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "data", "polis")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("shared/data/polis not found above the working directory; real-data checks skipped")
		}
		dir = parent
	}
}

func readCSV(tb testing.TB, path string) [][]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return rows
}

func column(tb testing.TB, header []string, name string) int {
	tb.Helper()
	for i, h := range header {
		if h == name {
			return i
		}
	}
	tb.Fatalf("column %q missing in %v", name, header[:min(len(header), 8)])
	return -1
}

// mustReadPolis reads comments.csv (moderated = -1 means moderated out),
// participants-votes.csv (comment-id columns follow n-disagree; blank = no
// vote; group-id blank = not clustered) and summary.csv (groups row).
func mustReadPolis(tb testing.TB, dir string) polisExport {
	tb.Helper()
	comments := readCSV(tb, filepath.Join(dir, "comments.csv"))
	cid, mod := column(tb, comments[0], "comment-id"), column(tb, comments[0], "moderated")
	visible := map[string]bool{}
	for _, row := range comments[1:] {
		visible[row[cid]] = row[mod] != "-1"
	}
	pv := readCSV(tb, filepath.Join(dir, "participants-votes.csv"))
	h := pv[0]
	pcol, gcol, first := column(tb, h, "participant"), column(tb, h, "group-id"), column(tb, h, "n-disagree")+1
	ex := polisExport{groups: map[int64]int{}}
	for _, row := range pv[1:] {
		pid, err := strconv.ParseInt(row[pcol], 10, 64)
		if err != nil {
			tb.Fatalf("participant %q: %v", row[pcol], err)
		}
		ex.groups[pid] = -1
		if row[gcol] != "" {
			ex.groups[pid], _ = strconv.Atoi(row[gcol])
		}
		for j := first; j < len(row) && j < len(h); j++ {
			if row[j] == "" || !visible[h[j]] {
				continue
			}
			sid, _ := strconv.ParseInt(h[j], 10, 64)
			v, err := strconv.Atoi(row[j])
			if err != nil {
				tb.Fatalf("vote %q: %v", row[j], err)
			}
			ex.votes = append(ex.votes, Vote{Participant: pid, Statement: sid, Value: int8(v)})
		}
	}
	for _, row := range readCSV(tb, filepath.Join(dir, "summary.csv")) {
		if len(row) == 2 && row[0] == "groups" {
			ex.k, _ = strconv.Atoi(row[1])
		}
	}
	return ex
}

// TestMatchesPolis checks, on real Pol.is exports, that Compute finds as
// many groups as Pol.is did and that its assignment agrees with Pol.is's
// (adjusted Rand index >= 0.7 over participants both clustered).
func TestMatchesPolis(t *testing.T) {
	root := findPolisData(t)
	for _, name := range []string{
		"ssis.land-bank-farmland.2rumnecbeh.2021-08-01",
		"vtaiwan.uberx",
		"american-assembly.bowling-green",
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(root, name)
			if _, err := os.Stat(dir); err != nil {
				t.Skipf("%s absent", dir)
			}
			ex := mustReadPolis(t, dir)
			res, err := Compute(ex.votes, Options{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Groups) != ex.k {
				t.Errorf("groups = %d (reason %q), Pol.is found %d", len(res.Groups), res.Reason, ex.k)
			}
			var ours, theirs []int
			for _, p := range res.Participants {
				if g, ok := ex.groups[p.ID]; ok && g >= 0 && p.Group >= 0 {
					ours, theirs = append(ours, p.Group), append(theirs, g)
				}
			}
			ari, err := AdjustedRandIndex(ours, theirs)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d groups, ARI %.3f over %d participants, silhouette %.3f", name, len(res.Groups), ari, len(ours), res.Silhouette)
			if ari < 0.7 {
				t.Errorf("ARI = %.3f, want >= 0.7", ari)
			}
		})
	}
}
