package polis_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/polis"
)

// sharedPolis finds shared/data/polis beside the repository (or above the
// working directory), or skips the test saying why.
func sharedPolis(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "data", "polis")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shared/data/polis is not present beside the repository; the real-data import test needs it")
		}
		dir = parent
	}
}

// The expected figures were counted independently from the CSV files (latest
// vote per participant and comment in votes.csv; the matrix cells for
// bowling-green, whose votes.csv is not in the snapshot); each
// conversation's content language is detected (English, German,
// Traditional Chinese).
func TestImportRealConversations(t *testing.T) {
	root := sharedPolis(t)
	cases := []struct {
		folder                                  string
		lang                                    string // of the conversation, as its SOURCE.md says
		statements, hidden, participants, votes int
		agree, disagree, pass                   int
		public                                  polls.Counts
		publicAgree, publicDisagree, publicPass int
	}{
		{"ssis.land-bank-farmland.2rumnecbeh.2021-08-01", "en", 297, 105, 404, 33463, 17218, 9672, 6573,
			polls.Counts{Statements: 192, Participants: 396, Votes: 33338}, 17108, 9662, 6568},
		{"austria-climate.5twd2jsnkf.2022-08-08", "de", 522, 245, 1117, 61384, 38206, 9223, 13955,
			polls.Counts{Statements: 277, Participants: 1103, Votes: 54440}, 33771, 8183, 12486},
		{"vtaiwan.uberx", "zh", 197, 78, 1921, 49443, 31029, 11894, 6520,
			polls.Counts{Statements: 119, Participants: 1912, Votes: 49348}, 30950, 11880, 6518},
		{"american-assembly.bowling-green", "en", 896, 289, -1, 225524, 109752, 38647, 77125,
			polls.Counts{Statements: 607}, -1, -1, -1},
	}
	for _, tc := range cases {
		t.Run(tc.folder, func(t *testing.T) {
			if (testing.Short() || raceDetector) && tc.votes > 100000 {
				t.Skip("large conversation skipped in -short mode and under -race (single-threaded import; run without -race to check it)")
			}
			db := newDB(t)
			ctx := context.Background()
			start := time.Now()
			rep, err := polis.Import(ctx, db, filepath.Join(root, tc.folder), now)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("imported %d votes in %v", rep.Votes, time.Since(start))
			if rep.Statements != tc.statements || rep.Hidden != tc.hidden || rep.Votes != tc.votes ||
				rep.Agree != tc.agree || rep.Disagree != tc.disagree || rep.Pass != tc.pass ||
				(tc.participants >= 0 && rep.Participants != tc.participants) {
				t.Fatalf("report = %+v", *rep)
			}
			var lang string
			if err := db.NewRaw(`SELECT content_lang FROM consultations WHERE id = ?`, rep.ConsultationID).Scan(ctx, &lang); err != nil || lang != tc.lang {
				t.Errorf("content language %q (%v), want %q", lang, err, tc.lang)
			}
			counts, err := polls.CountsFor(ctx, db, []int64{rep.ConsultationID})
			if err != nil {
				t.Fatal(err)
			}
			got := counts[rep.ConsultationID]
			if tc.public.Votes > 0 && got != tc.public || got.Statements != tc.public.Statements {
				t.Fatalf("public counts = %+v, want %+v", got, tc.public)
			}
			if tc.publicAgree < 0 {
				return
			}
			ts, err := polls.Tallies(ctx, db, rep.ConsultationID)
			if err != nil {
				t.Fatal(err)
			}
			var a, d, p int
			for _, s := range ts {
				a, d, p = a+s.Agree, d+s.Disagree, p+s.Pass
			}
			if a != tc.publicAgree || d != tc.publicDisagree || p != tc.publicPass {
				t.Fatalf("visible agree/disagree/pass = %d/%d/%d, want %d/%d/%d", a, d, p, tc.publicAgree, tc.publicDisagree, tc.publicPass)
			}
		})
	}
}
