package opinion

import (
	"math"
	"testing"
)

// TestPCAAndProjection uses votes whose centred matrix has uncorrelated
// columns with variances 8 (statement 1), 4 (statement 2) and 0
// (statement 3, agreed by all), so the components are the unit vectors of
// statements 1 and 2 and projections can be written down by hand.
func TestPCAAndProjection(t *testing.T) {
	var votes []Vote
	s2 := []int8{1, 1, -1, -1}
	for i := 0; i < 8; i++ {
		pid := int64(i + 1)
		votes = append(votes, Vote{pid, 1, int8(1 - 2*(i%2))}, Vote{pid, 3, Agree})
		if i < 4 {
			votes = append(votes, Vote{pid, 2, s2[i]})
		}
	}
	m, err := newMatrix(votes)
	if err != nil {
		t.Fatal(err)
	}
	pc := pca2(m, 3)
	want := [2][]float64{{1, 0, 0}, {0, 1, 0}}
	for a := range 2 {
		for j := range 3 {
			if math.Abs(pc[a][j]-want[a][j]) > 1e-6 {
				t.Fatalf("component %d = %v, want %v", a, pc[a], want[a])
			}
		}
	}
	xy := m.project(pc)
	tests := []struct {
		name string
		row  int
		want [2]float64
	}{
		{"voted on all three", 0, [2]float64{1, 1}},
		{"disagreed on 1 and 2", 3, [2]float64{-1, -1}},
		{"two of three votes, scaled by sqrt(3/2)", 4, [2]float64{math.Sqrt(1.5), 0}},
		{"two of three votes, disagree", 5, [2]float64{-math.Sqrt(1.5), 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := xy[tt.row]
			if math.Abs(got[0]-tt.want[0]) > 1e-6 || math.Abs(got[1]-tt.want[1]) > 1e-6 {
				t.Errorf("projection = %v, want %v", got, tt.want)
			}
		})
	}
}
