package opinion

import (
	"errors"
	"math"
	"testing"
)

func TestAdjustedRandIndex(t *testing.T) {
	tests := []struct {
		name string
		a, b []int
		want float64
	}{
		// Values as given by scikit-learn's adjusted_rand_score documentation.
		{"identical", []int{0, 0, 1, 1}, []int{0, 0, 1, 1}, 1},
		{"renamed labels", []int{0, 0, 1, 1}, []int{1, 1, 0, 0}, 1},
		{"split one cluster", []int{0, 0, 1, 2}, []int{0, 0, 1, 1}, 4.0 / 7},
		{"split one cluster, swapped", []int{0, 0, 1, 1}, []int{0, 0, 1, 2}, 4.0 / 7},
		{"all together vs all apart", []int{0, 0, 0, 0}, []int{0, 1, 2, 3}, 0},
		{"worse than chance", []int{0, 0, 1, 1}, []int{0, 1, 0, 1}, -0.5},
		// Hand-computed: contingency [[3,1],[0,2]] gives Σ C(n_ij) = 3+0+1 = 4,
		// Σ C(a_i) = 6+1 = 7, Σ C(b_j) = 3+3 = 6, C(6) = 15, E = 42/15 = 2.8,
		// ARI = (4-2.8)/(6.5-2.8).
		{"hand computed", []int{0, 0, 0, 0, 1, 1}, []int{0, 0, 0, 1, 1, 1}, 1.2 / 3.7},
		{"one item", []int{5}, []int{9}, 1},
		{"empty", nil, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AdjustedRandIndex(tt.a, tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("AdjustedRandIndex(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestAdjustedRandIndexLengthMismatch(t *testing.T) {
	if _, err := AdjustedRandIndex([]int{1, 2}, []int{1}); !errors.Is(err, ErrLabelLength) {
		t.Fatalf("err = %v, want ErrLabelLength", err)
	}
}
