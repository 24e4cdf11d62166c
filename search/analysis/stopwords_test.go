package analysis

import (
	"slices"
	"testing"

	blevean "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/id"

	"github.com/rembug/rembug/search/stopwords"
)

// TestStopWordsMatchBleve checks that the engine-free lists of
// search/stopwords equal the lists Bleve's analyzers use, so reports and
// search drop the same words.
func TestStopWordsMatchBleve(t *testing.T) {
	for _, c := range []struct {
		name  string
		ours  []string
		bleve []byte
	}{{"id", stopwords.Indonesian(), id.IndonesianStopWords}, {"en", stopwords.English(), en.EnglishStopWords}} {
		tm := blevean.NewTokenMap()
		if err := tm.LoadBytes(c.bleve); err != nil {
			t.Fatal(err)
		}
		var theirs []string
		for w := range tm {
			theirs = append(theirs, w)
		}
		ours := slices.Clone(c.ours)
		slices.Sort(ours)
		ours = slices.Compact(ours)
		slices.Sort(theirs)
		if !slices.Equal(ours, theirs) || len(ours) < 100 {
			t.Errorf("%s: %d words, Bleve has %d", c.name, len(ours), len(theirs))
		}
	}
}
