package report_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/polis"
	"github.com/rembug/rembug/polls/report"
)

// TestKeyTermsSSIS checks the key terms on the SSIS Land Bank conversation,
// where almost every statement speaks of the "Land Bank": words that
// every group meets alike must not be anyone's key term, no word may be
// the key term of two groups, and each group gets words of its own.
func TestKeyTermsSSIS(t *testing.T) {
	dir := sharedPolis(t, "ssis.land-bank-farmland.2rumnecbeh.2021-08-01")
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := forum.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := polls.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	imp, err := polis.Import(ctx, db, dir, t0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := forum.ConsultationByRef(ctx, db, imp.Slug)
	if err != nil {
		t.Fatal(err)
	}
	a, err := report.Analyze(ctx, db, c.ID, report.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(ctx, db, c, a, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Opinion.Groups) < 2 {
		t.Fatalf("no groups: %s", r.Opinion.Reason)
	}
	// Share of statements each word occurs in.
	df := map[string]int{}
	for _, s := range r.Statements {
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(s.Text), func(r rune) bool { return !('a' <= r && r <= 'z') }) {
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	owner := map[string]int{}
	for _, g := range r.Opinion.Groups {
		var words []string
		for _, k := range g.KeyTerms {
			words = append(words, k.Term)
		}
		t.Logf("group %s (%d): %s", report.GroupLetter(g.ID), g.Size, strings.Join(words, ", "))
		if len(g.KeyTerms) < 3 {
			t.Errorf("group %d has %d key terms", g.ID, len(g.KeyTerms))
		}
		for i, k := range g.KeyTerms {
			if k.Score <= 0 || k.Score > 1 || (i > 0 && k.Score > g.KeyTerms[i-1].Score) {
				t.Errorf("group %d term %q score %v out of order", g.ID, k.Term, k.Score)
			}
			if share := float64(df[k.Term]) / float64(len(r.Statements)); share > 0.2 {
				t.Errorf("group %d: generic word %q (in %.0f%% of statements) is a key term", g.ID, k.Term, share*100)
			}
			if o, ok := owner[k.Term]; ok {
				t.Errorf("%q is a key term of groups %d and %d", k.Term, o, g.ID)
			}
			owner[k.Term] = g.ID
		}
	}
	for _, generic := range []string{"land", "bank"} {
		if _, ok := owner[generic]; ok {
			t.Errorf("generic word %q is a key term", generic)
		}
	}
}
