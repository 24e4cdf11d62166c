package grapheme

import (
	"strings"
	"testing"
	"unicode/utf8"
)

const (
	family   = "👨‍👩‍👧‍👦" // man ZWJ woman ZWJ girl ZWJ boy: 7 runes, one cluster
	flagID   = "🇮🇩"      // two regional indicators
	thumbs   = "👍🏽"      // thumbs up with a medium skin tone
	combined = "e\u0301" // e + combining acute accent
)

func TestTruncate(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		n        int
		want     string
	}{
		{"fits", "Taman kota", 10, "Taman kota"},
		{"ascii", "Taman kota", 6, "Taman…"},
		{"zwj family kept whole", "ab" + family + family + "c", 4, "ab" + family + "…"},
		{"zwj family dropped whole", "abc" + family, 3, "ab…"},
		{"flag kept whole", flagID + flagID + flagID, 3, flagID + flagID + flagID},
		{"flag not halved", "x" + flagID + flagID, 2, "x…"},
		{"skin tone not split", thumbs + thumbs + "y", 2, thumbs + "…"},
		{"combining mark stays", combined + combined + combined, 2, combined + "…"},
		{"one", "abc", 1, "…"},
		{"zero means one", "abc", 0, "…"},
		{"empty", "", 5, ""},
		{"invalid bytes", "a\xffb\xfec", 3, "a\uFFFD…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Truncate(tc.in, tc.n); got != tc.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
			}
		})
	}
}

func TestPrefix(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		n        int
		unit     Unit
		want     string
	}{
		{"runes keep family out", "ab" + family, 8, Runes, "ab"},
		{"runes take family", "ab" + family, 9, Runes, "ab" + family},
		{"bytes stop before flag", "a" + flagID, 5, Bytes, "a"},
		{"bytes take flag", "a" + flagID, 9, Bytes, "a" + flagID},
		{"clusters", thumbs + family + flagID, 2, Clusters, thumbs + family},
		{"first cluster too long", family, 3, Runes, ""},
		{"zero", "abc", 0, Clusters, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Prefix(tc.in, tc.n, tc.unit); got != tc.want {
				t.Errorf("Prefix(%q, %d, %d) = %q, want %q", tc.in, tc.n, tc.unit, got, tc.want)
			}
		})
	}
}

func TestFloor(t *testing.T) {
	s := "a" + family + "b"
	for i := 0; i <= len(s)+1; i++ {
		got := Floor(s, i)
		want := 0
		switch {
		case i >= len(s):
			want = len(s)
		case i >= 1+len(family):
			want = 1 + len(family)
		case i >= 1:
			want = 1
		}
		if got != want {
			t.Errorf("Floor(%q, %d) = %d, want %d", s, i, got, want)
		}
	}
}

func TestCount(t *testing.T) {
	if got := Count(family + flagID + thumbs + combined + "a"); got != 5 {
		t.Errorf("Count = %d, want 5", got)
	}
}

// FuzzTruncate checks, for any input and limit, that Truncate's result is
// valid UTF-8, holds at most n clusters, and is the input itself or a
// prefix of it that ends on a cluster boundary followed by Ellipsis.
func FuzzTruncate(f *testing.F) {
	for _, s := range []string{"", "Taman kota", family + family, flagID + "x" + flagID, thumbs + combined, "a\xffb"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = n % 64
		got := Truncate(s, n)
		if !utf8.ValidString(got) {
			t.Fatalf("Truncate(%q, %d) = %q: invalid UTF-8", s, n, got)
		}
		if c := Count(got); c > max(n, 1) {
			t.Fatalf("Truncate(%q, %d) = %q: %d clusters", s, n, got, c)
		}
		valid := strings.ToValidUTF8(s, "\uFFFD")
		if got == valid {
			return
		}
		head, ok := strings.CutSuffix(got, Ellipsis)
		if !ok || !strings.HasPrefix(valid, head) {
			t.Fatalf("Truncate(%q, %d) = %q: not a prefix plus %q", s, n, got, Ellipsis)
		}
		if Floor(valid, len(head)) != len(head) {
			t.Fatalf("Truncate(%q, %d) = %q: cut inside a cluster", s, n, got)
		}
	})
}

// FuzzPrefix checks Prefix in every unit: valid UTF-8, within the limit, a
// prefix ending on a cluster boundary, and the longest such prefix.
func FuzzPrefix(f *testing.F) {
	f.Add("ab"+family+flagID, 5, 1)
	f.Fuzz(func(t *testing.T, s string, n, u int) {
		unit := Unit(uint(u) % 3)
		n = n % 128
		got := Prefix(s, n, unit)
		valid := strings.ToValidUTF8(s, "\uFFFD")
		if !utf8.ValidString(got) || !strings.HasPrefix(valid, got) || Floor(valid, len(got)) != len(got) {
			t.Fatalf("Prefix(%q, %d, %d) = %q: not a valid cluster-boundary prefix", s, n, unit, got)
		}
		if got != "" && size(got, unit) > n {
			t.Fatalf("Prefix(%q, %d, %d) = %q: over the limit", s, n, unit, got)
		}
		if rest := valid[len(got):]; rest != "" && n > 0 {
			next := len(valid[:len(got)]) + len(firstCluster(rest))
			if size(valid[:next], unit) <= n {
				t.Fatalf("Prefix(%q, %d, %d) = %q: a longer prefix fits", s, n, unit, got)
			}
		}
	})
}

func firstCluster(s string) string {
	for i := 1; i <= len(s); i++ {
		if Floor(s, i) == i {
			return s[:i]
		}
	}
	return s
}
