package opinion

import (
	"slices"
	"testing"
)

func TestMergeSmall(t *testing.T) {
	pts := []point{{0, 0}, {0, 1}, {1, 0}, {10, 0}, {10, 1}, {11, 0}, {0, 9}}
	w := []float64{1, 1, 1, 1, 1, 1, 1}
	tests := []struct {
		name    string
		minSize float64
		want    []int
	}{
		{"singleton joins nearest group", 3, []int{0, 0, 0, 1, 1, 1, 0}},
		{"nothing below the minimum", 1, []int{0, 0, 0, 1, 1, 1, 2}},
		{"everything merges when no group is big enough", 8, []int{0, 0, 0, 0, 0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := compact(pts, w, []int{0, 0, 0, 1, 1, 1, 2}, 3)
			mergeSmall(&c, pts, w, tt.minSize)
			if !slices.Equal(c.labels, tt.want) {
				t.Errorf("labels = %v, want %v", c.labels, tt.want)
			}
			if len(c.centers) != slices.Max(tt.want)+1 {
				t.Errorf("%d centres for labels %v", len(c.centers), c.labels)
			}
		})
	}
}

func TestFindGroupsReasons(t *testing.T) {
	two := [][2]float64{{0, 0}, {0, 0.1}, {0.1, 0}, {5, 5}, {5, 5.1}, {5.1, 5}}
	rows := []int{0, 1, 2, 3, 4, 5}
	tests := []struct {
		name   string
		xy     [][2]float64
		opts   Options
		reason string
		groups int
	}{
		{"two clear groups", two, Options{MinGroupSize: 3, MaxK: 5}, "", 2},
		{"groups below the minimum size", two, Options{MinGroupSize: 4, MaxK: 5}, ReasonNoDistinctGroups, 0},
		{"one point repeated", make([][2]float64, 6), Options{MinGroupSize: 2, MaxK: 5}, ReasonNoVariance, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := findGroups(tt.xy, rows, tt.opts)
			if g.reason != tt.reason || len(g.members) != tt.groups {
				t.Errorf("reason %q, %d groups; want %q, %d", g.reason, len(g.members), tt.reason, tt.groups)
			}
		})
	}
}
