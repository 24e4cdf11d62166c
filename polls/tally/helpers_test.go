package tally

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

// A, B, C, D name option indices in tests.
const (
	A = iota
	B
	C
	D
)

// times repeats a ranking n times.
func times(n int, ranking ...int) [][]int {
	out := make([][]int, n)
	for i := range out {
		out[i] = append([]int(nil), ranking...)
	}
	return out
}

// ballots concatenates groups of ballots.
func ballots(groups ...[][]int) [][]int {
	var out [][]int
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// mustJSON fails when v does not marshal (NaN or Inf make json.Marshal fail).
func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("json.Marshal: %v", err)
	}
	if strings.Contains(string(b), "null") {
		tb.Fatalf("JSON holds null (nil slice): %s", b)
	}
	return string(b)
}

func checkSummary(tb testing.TB, got Summary, outcome Outcome, winners, order, places []int) {
	tb.Helper()
	if got.Outcome != outcome {
		tb.Errorf("Outcome = %q, want %q", got.Outcome, outcome)
	}
	if !reflect.DeepEqual(got.Winners, winners) {
		tb.Errorf("Winners = %v, want %v", got.Winners, winners)
	}
	if order != nil && !reflect.DeepEqual(got.Order, order) {
		tb.Errorf("Order = %v, want %v", got.Order, order)
	}
	if places != nil && !reflect.DeepEqual(got.Places, places) {
		tb.Errorf("Places = %v, want %v", got.Places, places)
	}
	if got.NoVotes != (outcome == OutcomeNoVotes) {
		tb.Errorf("NoVotes = %v with outcome %q", got.NoVotes, outcome)
	}
}

func finite(tb testing.TB, xs ...float64) {
	tb.Helper()
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			tb.Fatalf("non-finite value %v", x)
		}
	}
}
