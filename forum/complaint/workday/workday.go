// Package workday counts working days (hari kerja) for complaint deadlines:
// Monday to Friday, minus Indonesia's national holidays and cuti bersama
// (embedded holidays.tsv, one SKB per year, 2022–2027) and minus the local
// holidays a pemda adds.
//
// Deadlines are measured in working time: only the hours of working days
// count. A clock that starts at t runs from the start of the first working
// day after t's date (the day of receipt is day zero, as "paling lambat N
// hari kerja sejak diterima" is read), so a deadline of N working days ends
// at midnight closing the N-th working day.
//
// A Calendar is immutable after New and safe for concurrent use.
package workday

import (
	_ "embed"
	"fmt"
	"strings"
	"time"
)

//go:embed holidays.tsv
var holidaysTSV string

// Day is a working day's length in working time.
const Day = 24 * time.Hour

// Holiday is one non-working date.
type Holiday struct {
	Date string // YYYY-MM-DD
	Kind string // "libur", "cuti", "perkiraan" or "lokal"
	Name string
}

// Calendar knows which dates are not working days, in one time zone.
type Calendar struct {
	loc *time.Location
	off map[string]Holiday
}

// National returns the embedded national holidays and cuti bersama.
func National() []Holiday {
	var hs []Holiday
	for _, line := range strings.Split(holidaysTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 {
			panic(fmt.Sprintf("workday: malformed holidays.tsv line %q", line))
		}
		hs = append(hs, Holiday{Date: f[0], Kind: f[1], Name: f[2]})
	}
	return hs
}

// New returns a calendar in loc (nil means Asia/Jakarta's fixed UTC+7) whose
// non-working days are weekends, the national list and local (dates
// YYYY-MM-DD). It fails on a malformed local date.
func New(loc *time.Location, local []Holiday) (*Calendar, error) {
	if loc == nil {
		loc = time.FixedZone("WIB", 7*3600)
	}
	c := &Calendar{loc: loc, off: map[string]Holiday{}}
	for _, h := range National() {
		c.off[h.Date] = h
	}
	for _, h := range local {
		if _, err := time.Parse(time.DateOnly, h.Date); err != nil {
			return nil, fmt.Errorf("workday: local holiday %q: %w", h.Date, err)
		}
		if h.Kind == "" {
			h.Kind = "lokal"
		}
		c.off[h.Date] = h
	}
	return c, nil
}

// Location is the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Holiday returns the holiday on t's local date, if any.
func (c *Calendar) Holiday(t time.Time) (Holiday, bool) {
	h, ok := c.off[t.In(c.loc).Format(time.DateOnly)]
	return h, ok
}

// IsWorkday reports whether t's local date is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	t = t.In(c.loc)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, off := c.off[t.Format(time.DateOnly)]
	return !off
}

// startOfDay returns local midnight starting t's date.
func (c *Calendar) startOfDay(t time.Time) time.Time {
	t = t.In(c.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.loc)
}

// ClockStart is when a clock started by an event at t begins to run: local
// midnight ending t's date.
func (c *Calendar) ClockStart(t time.Time) time.Time {
	return c.startOfDay(t).AddDate(0, 0, 1)
}

// Working returns the working time between a and b (0 when b is not after
// a): the parts of [a, b) that fall on working days.
func (c *Calendar) Working(a, b time.Time) time.Duration {
	var d time.Duration
	for day := c.startOfDay(a); day.Before(b); day = day.AddDate(0, 0, 1) {
		next := day.AddDate(0, 0, 1)
		if !c.IsWorkday(day) {
			continue
		}
		from, to := maxTime(day, a), minTime(next, b)
		if to.After(from) {
			d += to.Sub(from)
		}
	}
	return d
}

// Add returns the instant when d of working time has passed since start.
// A zero d returns start.
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	t := start
	for d > 0 {
		day := c.startOfDay(t)
		next := day.AddDate(0, 0, 1)
		if c.IsWorkday(day) {
			if left := next.Sub(t); d <= left {
				return t.Add(d)
			} else {
				d -= left
			}
		}
		t = next
	}
	return t
}

// Deadline returns the end of the n-th working day after t's date: the
// deadline of "n hari kerja sejak diterima" for something received at t.
func (c *Calendar) Deadline(t time.Time, n int) time.Time {
	return c.Add(c.ClockStart(t), time.Duration(n)*Day)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
