package workday

import (
	"testing"
	"time"
)

func mustCal(t *testing.T, local ...Holiday) *Calendar {
	t.Helper()
	c, err := New(nil, local)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wib(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, time.FixedZone("WIB", 7*3600))
	if err != nil {
		panic(err)
	}
	return t
}

// A complaint received on Friday 5 April 2024 at 15:00, before Idul Fitri
// 1445 H: cuti bersama 8, 9, 12 and 15 April, Idul Fitri 10–11 April (SKB
// Nomor 855 Tahun 2023). The first working day after receipt is Tuesday 16
// April; 1 May (Hari Buruh) is skipped too.
func TestDeadlineFridayBeforeLebaran(t *testing.T) {
	c := mustCal(t)
	got := wib("2024-04-05 15:00")
	cases := []struct {
		name string
		n    int
		want string
	}{
		{"first working day", 1, "2024-04-17 00:00"},
		{"triage 3", 3, "2024-04-19 00:00"},
		{"first response 5", 5, "2024-04-23 00:00"},
		{"resolution 14", 14, "2024-05-07 00:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if d := c.Deadline(got, tc.n); !d.Equal(wib(tc.want)) {
				t.Errorf("Deadline(+%d) = %v, want %s", tc.n, d, tc.want)
			}
		})
	}
	if w := c.Working(c.ClockStart(got), wib("2024-04-16 00:00")); w != 0 {
		t.Errorf("working time over the long weekend = %v, want 0", w)
	}
}

func TestHolidayData(t *testing.T) {
	c := mustCal(t)
	cases := []struct {
		date string
		work bool
	}{
		{"2022-05-04", false}, // cuti bersama Idul Fitri (SKB 375/2022)
		{"2023-06-28", false}, // cuti bersama Iduladha
		{"2024-02-14", false}, // pemilu
		{"2025-08-18", false},
		{"2026-03-20", false}, // cuti bersama Idul Fitri 1447 H
		{"2026-03-25", true},
		{"2026-12-24", false},
		{"2026-12-28", true},
		{"2027-08-17", false},
		{"2024-04-16", true},
		{"2024-04-13", false}, // Saturday
	}
	for _, tc := range cases {
		if got := c.IsWorkday(wib(tc.date + " 10:00")); got != tc.work {
			t.Errorf("IsWorkday(%s) = %v, want %v", tc.date, got, tc.work)
		}
	}
	years := map[string]int{}
	for _, h := range National() {
		if _, err := time.Parse(time.DateOnly, h.Date); err != nil {
			t.Errorf("bad date %q", h.Date)
		}
		switch h.Kind {
		case "libur", "cuti", "perkiraan":
		default:
			t.Errorf("%s: bad kind %q", h.Date, h.Kind)
		}
		if h.Kind == "cuti" {
			years[h.Date[:4]]++
		}
	}
	// Cuti bersama counted by the SKBs: 2022 4 (after amendment), 2024 10,
	// 2026 8.
	for y, n := range map[string]int{"2022": 4, "2024": 10, "2026": 8} {
		if years[y] != n {
			t.Errorf("cuti bersama in %s = %d, want %d", y, years[y], n)
		}
	}
}

func TestLocalHoliday(t *testing.T) {
	c := mustCal(t, Holiday{Date: "2024-04-16", Name: "Hari Jadi Kota"})
	if c.IsWorkday(wib("2024-04-16 09:00")) {
		t.Fatal("local holiday counted as a working day")
	}
	if d := c.Deadline(wib("2024-04-05 15:00"), 1); !d.Equal(wib("2024-04-18 00:00")) {
		t.Errorf("deadline with local holiday = %v", d)
	}
	if _, err := New(nil, []Holiday{{Date: "16-04-2024"}}); err == nil {
		t.Error("malformed local date accepted")
	}
}

func TestWorkingAndAddAgree(t *testing.T) {
	c := mustCal(t)
	start := wib("2025-03-27 13:30")
	for _, d := range []time.Duration{time.Hour, 30 * time.Hour, 5 * Day, 14*Day + 7*time.Hour} {
		end := c.Add(start, d)
		if got := c.Working(start, end); got != d {
			t.Errorf("Working(start, Add(start, %v)) = %v", d, got)
		}
	}
}
