package ikm

import (
	"errors"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		in, canonical    string
		start, end       string // UTC instants
		labelID, labelEN string
	}{
		{"2024", "2024", "2023-12-31T17:00:00Z", "2024-12-31T17:00:00Z", "Tahun 2024", "2024"},
		{"2024-S1", "2024-S1", "2023-12-31T17:00:00Z", "2024-06-30T17:00:00Z", "Semester I 2024", "H1 2024"},
		{"2024-s2", "2024-S2", "2024-06-30T17:00:00Z", "2024-12-31T17:00:00Z", "Semester II 2024", "H2 2024"},
		{"2025-Q4", "2025-Q4", "2025-09-30T17:00:00Z", "2025-12-31T17:00:00Z", "Triwulan IV 2025", "Q4 2025"},
		{"2024-q1", "2024-Q1", "2023-12-31T17:00:00Z", "2024-03-31T17:00:00Z", "Triwulan I 2024", "Q1 2024"},
		{"2024-02", "2024-02", "2024-01-31T17:00:00Z", "2024-02-29T17:00:00Z", "Februari 2024", "February 2024"},
		{"2024-12", "2024-12", "2024-11-30T17:00:00Z", "2024-12-31T17:00:00Z", "Desember 2024", "December 2024"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePeriod(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if p.String() != tt.canonical || !p.Start.Equal(utc(tt.start)) || !p.End.Equal(utc(tt.end)) {
				t.Errorf("got %s %s..%s", p, p.Start.UTC(), p.End.UTC())
			}
			if p.Label("id") != tt.labelID || p.Label("en") != tt.labelEN {
				t.Errorf("labels %q %q", p.Label("id"), p.Label("en"))
			}
			if again, _ := ParsePeriod(p.String()); again != p {
				t.Errorf("String() does not round-trip: %v", again)
			}
			if _, off := p.Start.Zone(); off != 7*3600 {
				t.Errorf("Start not in WIB: %v", p.Start)
			}
			// The last instant before End is inside, End itself is not.
			if !p.Contains(p.Start) || !p.Contains(p.End.Add(-time.Nanosecond)) || p.Contains(p.End) || p.Contains(p.Start.Add(-time.Second)) {
				t.Error("Contains bounds")
			}
		})
	}
	// 31 Dec 2025 23:59 WIB is 16:59Z and lies in 2025-Q4; 17:00:30Z is already 2026.
	q4, _ := ParsePeriod("2025-Q4")
	if !q4.Contains(utc("2025-12-31T16:59:30Z")) || q4.Contains(utc("2025-12-31T17:00:30Z")) {
		t.Error("Q4 2025 boundary in UTC")
	}
}

func TestParsePeriodErrors(t *testing.T) {
	for _, in := range []string{"", "24", "2024-", "2024-Q5", "2024-Q0", "2024-S3", "2024-13", "2024-00", "2024-1",
		"2024-W01", "0999", "2024-Q1x", "２０２４", "2024/01", " 2024", "2024-Q"} {
		t.Run(in, func(t *testing.T) {
			_, err := ParsePeriod(in)
			var pe *PeriodError
			if !errors.As(err, &pe) || pe.Input != in {
				t.Fatalf("err = %v", err)
			}
			if pe.Indonesian() == pe.English() {
				t.Error("messages not translated")
			}
		})
	}
}
