package forum_test

import (
	"math"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestContrastRatio checks the WCAG 2.1 contrast ratio against values the
// WCAG documents and common tools agree on.
func TestContrastRatio(t *testing.T) {
	white := [3]uint8{255, 255, 255}
	cases := []struct {
		name  string
		color string
		want  float64
	}{
		{"black", "#000", 21},
		{"white", "#ffffff", 1},
		{"grey 767676, the lightest AA grey", "#767676", 4.54},
		{"grey 777777, just under AA", "#777777", 4.48},
		{"pure red", "#ff0000", 4.00},
		{"pure blue", "#0000ff", 8.59},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rgb, ok := forum.ParseColor(c.color)
			if !ok {
				t.Fatalf("ParseColor(%q) failed", c.color)
			}
			if got := forum.ContrastRatio(rgb, white); math.Abs(got-c.want) > 0.01 {
				t.Errorf("ContrastRatio(%s, white) = %.3f, want %.2f", c.color, got, c.want)
			}
		})
	}
	for _, bad := range []string{"", "#12", "#12345g", "red", "#1234567"} {
		if _, ok := forum.ParseColor(bad); ok {
			t.Errorf("ParseColor(%q) accepted", bad)
		}
	}
}
