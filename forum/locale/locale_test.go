package locale

import (
	"testing"
	"time"

	"github.com/rembug/rembug/forum/tz"
	"golang.org/x/text/number"
)

func TestFormat(t *testing.T) {
	wib := tz.Default()
	wit, _ := tz.Named("Asia/Jayapura")
	wita, _ := tz.Named("Asia/Makassar")
	kolkata, ok := tz.Named("Asia/Kolkata")
	at := time.Date(2026, 12, 2, 6, 4, 0, 0, time.UTC)
	id, en := For("id", wib), For("en", wib)
	cases := []struct{ name, got, want string }{
		{"id int", id.Int(33343), "33.343"},
		{"en int", en.Int(33343), "33,343"},
		{"id big", id.Int(1234567), "1.234.567"},
		{"id negative", id.Int(-1500), "-1.500"},
		{"id dec", id.Dec(2.92, 2), "2,92"},
		{"en dec", en.Dec(2.92, 2), "2.92"},
		{"id dec keeps zeros", id.Dec(3, 2), "3,00"},
		{"id dec grouped", id.Dec(12345.678, 1), "12.345,7"},
		{"en dec 3", en.Dec(0.8125, 3), "0.812"},
		{"id pct", id.Pct(0.455, 1), "45,5%"},
		{"en pct", en.Pct(0.5, 0), "50%"},
		{"id time WIB", id.Time(at), "2 Des 2026 13.04 WIB"},
		{"en time WIB", en.Time(at), "2 Dec 2026 13:04 WIB"},
		{"id time WITA", For("id", wita).Time(at), "2 Des 2026 14.04 WITA"},
		{"en time WIT next day", For("en", wit).Time(time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC)), "1 Jan 2027 01:00 WIT"},
		{"id date", id.Date(at), "2 Des 2026"},
		{"zero time", id.Time(time.Time{}), "—"},
		{"unknown lang is id", For("fr", tz.Zone{}).Int(1000), "1.000"},
		{"month", en.Month(at), "Dec 2026"},
	}
	if ok {
		cases = append(cases, struct{ name, got, want string }{"other zone", For("en", kolkata).Time(at), "2 Dec 2026 11:34 UTC+05:30"})
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestSprintf(t *testing.T) {
	id, en := In("id"), In("en")
	if got := id.Sprintf("- %d %s (%.0f%%)", 33343, "suara", 45.4); got != "- 33.343 suara (45%)" {
		t.Errorf("id: %q", got)
	}
	if got := en.Sprintf("%d votes, mean %.2f", 33343, 2.915); got != "33,343 votes, mean 2.92" && got != "33,343 votes, mean 2.91" {
		t.Errorf("en: %q", got)
	}
	if got := id.Sprintf("rata-rata %.2f", 2.92); got != "rata-rata 2,92" {
		t.Errorf("id dec: %q", got)
	}
}

// TestShortcutsMatchXText checks that the short path of Int and of Dec at
// 0 digits gives what golang.org/x/text gives, in both languages: every
// whole number under 1000, and every share k/n (n up to 400) and its
// percentage as the results pages compute them.
func TestShortcutsMatchXText(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		f := In(lang)
		for n := int64(0); n < 1000; n++ {
			if got, want := f.Int(n), f.p.Sprint(number.Decimal(n)); got != want {
				t.Fatalf("%s Int(%d) = %q, x/text %q", lang, n, got, want)
			}
		}
		check := func(x float64) {
			t.Helper()
			want := f.p.Sprint(number.Decimal(x, number.MinFractionDigits(0), number.MaxFractionDigits(0)))
			if got := f.Dec(x, 0); got != want {
				t.Fatalf("%s Dec(%v, 0) = %q, x/text %q", lang, x, got, want)
			}
		}
		for n := 1; n <= 400; n++ {
			for k := 0; k <= n; k++ {
				share := float64(k) / float64(n)
				check(share * 100)
				check(100 * share)
			}
		}
		for x := 0.0; x < 999.5; x += 0.25 {
			check(x)
		}
	}
}
