package ikm

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// wib is never modified after initialization (a *time.Location is immutable); one
// shared value keeps Periods comparable with ==.
var wib = time.FixedZone("WIB", 7*60*60)

// Jakarta returns the time zone in which periods are calendar ranges: Asia/Jakarta
// (WIB). It is a fixed UTC+07:00 zone, exact for every date since 1964 when Jakarta's
// offset last changed, so periods do not depend on the host's time zone database.
// Every call returns the same *time.Location, so Periods compare equal with ==.
func Jakarta() *time.Location { return wib }

// PeriodKind is the length of a Period.
type PeriodKind string

// The period kinds and their syntax.
const (
	Year     PeriodKind = "year"     // "2024"
	Semester PeriodKind = "semester" // "2024-S1", "2024-S2"
	Quarter  PeriodKind = "quarter"  // "2024-Q1".."2024-Q4" (triwulan)
	Month    PeriodKind = "month"    // "2024-01".."2024-12"
)

// Period is a survey reporting period: a calendar range in Asia/Jakarta time.
type Period struct {
	Kind PeriodKind `json:"kind"`
	Year int        `json:"year"`
	// N is the semester (1–2), quarter (1–4) or month (1–12); 0 for a year.
	N int `json:"n"`
	// Start is the first instant of the period, 00:00 WIB on its first day.
	Start time.Time `json:"start"`
	// End is the first instant after the period (exclusive), 00:00 WIB on the day
	// after its last day.
	End time.Time `json:"end"`
}

// PeriodError reports text that is not a period.
type PeriodError struct {
	Input string
}

// Error describes e in English.
func (e *PeriodError) Error() string { return e.English() }

// English describes e in English.
func (e *PeriodError) English() string {
	return fmt.Sprintf("period %q is invalid: use YYYY, YYYY-S1|S2, YYYY-Q1..Q4 or YYYY-MM", e.Input)
}

// Indonesian describes e in Indonesian.
func (e *PeriodError) Indonesian() string {
	return fmt.Sprintf("periode %q tidak sah: gunakan YYYY, YYYY-S1|S2, YYYY-Q1..Q4 atau YYYY-MM", e.Input)
}

// ParsePeriod parses "YYYY", "YYYY-S1" or "YYYY-S2", "YYYY-Q1".."YYYY-Q4", or
// "YYYY-MM" (letters in any case; year 1000–9999). It returns a *PeriodError for
// anything else, such as "2024-Q5", "2024-13", "24" or "2024-1".
func ParsePeriod(s string) (Period, error) {
	bad := &PeriodError{Input: s}
	head, tail, found := strings.Cut(s, "-")
	year, ok := digits(head, 4)
	if !ok || year < 1000 {
		return Period{}, bad
	}
	if !found {
		return newPeriod(Year, year, 0), nil
	}
	if len(tail) == 2 && (tail[0] == 'S' || tail[0] == 's' || tail[0] == 'Q' || tail[0] == 'q') {
		n, ok := digits(tail[1:], 1)
		kind, limit := Semester, 2
		if tail[0] == 'Q' || tail[0] == 'q' {
			kind, limit = Quarter, 4
		}
		if !ok || n < 1 || n > limit {
			return Period{}, bad
		}
		return newPeriod(kind, year, n), nil
	}
	m, ok := digits(tail, 2)
	if !ok || m < 1 || m > 12 {
		return Period{}, bad
	}
	return newPeriod(Month, year, m), nil
}

// digits parses exactly n ASCII digits.
func digits(s string, n int) (int, bool) {
	if len(s) != n {
		return 0, false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	v, err := strconv.Atoi(s)
	return v, err == nil
}

func newPeriod(kind PeriodKind, year, n int) Period {
	first, months := time.January, 12
	switch kind {
	case Semester:
		first, months = time.Month(6*(n-1)+1), 6
	case Quarter:
		first, months = time.Month(3*(n-1)+1), 3
	case Month:
		first, months = time.Month(n), 1
	}
	start := time.Date(year, first, 1, 0, 0, 0, 0, Jakarta())
	return Period{Kind: kind, Year: year, N: n, Start: start, End: start.AddDate(0, months, 0)}
}

// String returns the canonical form accepted by ParsePeriod, e.g. "2024-Q3".
func (p Period) String() string {
	switch p.Kind {
	case Semester:
		return fmt.Sprintf("%04d-S%d", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	case Month:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	}
	return fmt.Sprintf("%04d", p.Year)
}

// Contains reports whether t falls in the period: Start <= t < End, whatever t's zone.
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.Start) && t.Before(p.End)
}

// Label returns a readable name in lang ("id" or English otherwise), e.g.
// "Triwulan III 2024" / "Q3 2024", "Semester I 2024" / "H1 2024", "Juli 2024" /
// "July 2024", "Tahun 2024" / "2024".
func (p Period) Label(lang string) string {
	id := lang == "id"
	roman := []string{"", "I", "II", "III", "IV"}
	if p.N < 0 || p.N > 12 || (p.N > 4 && p.Kind != Month) || (p.N == 0 && p.Kind != Year) {
		return p.String()
	}
	switch p.Kind {
	case Semester:
		if id {
			return fmt.Sprintf("Semester %s %d", roman[p.N], p.Year)
		}
		return fmt.Sprintf("H%d %d", p.N, p.Year)
	case Quarter:
		if id {
			return fmt.Sprintf("Triwulan %s %d", roman[p.N], p.Year)
		}
		return fmt.Sprintf("Q%d %d", p.N, p.Year)
	case Month:
		if id {
			months := strings.Fields("Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember")
			return fmt.Sprintf("%s %d", months[p.N-1], p.Year)
		}
		return fmt.Sprintf("%s %d", time.Month(p.N), p.Year)
	}
	if id {
		return fmt.Sprintf("Tahun %d", p.Year)
	}
	return strconv.Itoa(p.Year)
}
