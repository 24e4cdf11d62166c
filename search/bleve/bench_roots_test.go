package bleve_test

import (
	"os"
	"testing"
)

// indonesianRoots returns the stemmer's root dictionary (the file as it is,
// comment lines included), reused as the generator's vocabulary.
func indonesianRoots(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile("../indonesian/roots.txt")
	if err != nil {
		tb.Fatalf("root dictionary: %v", err)
	}
	return string(b)
}
