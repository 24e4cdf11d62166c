package indicators

import (
	"fmt"
	"time"
)

// Granularity is the length of a period in a series.
type Granularity string

// The granularities of the active-participant series.
const (
	Day   Granularity = "day"   // "2026-11-03"
	Week  Granularity = "week"  // ISO 8601 week, "2026-W45"
	Month Granularity = "month" // "2026-11"
)

// periodKey names the period of granularity g holding t, in loc.
func periodKey(g Granularity, t time.Time, loc *time.Location) string {
	t = t.In(loc)
	switch g {
	case Day:
		return t.Format(time.DateOnly)
	case Week:
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	default:
		return t.Format("2006-01")
	}
}

// periodStart is the first instant of the period of granularity g holding
// t, in loc: midnight, the Monday of the ISO week, or the first of the month.
func periodStart(g Granularity, t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	switch g {
	case Day:
		return day
	case Week:
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	default:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	}
}

// nextStart is the first instant of the period after the one starting at s.
func nextStart(g Granularity, s time.Time) time.Time {
	switch g {
	case Day:
		return s.AddDate(0, 0, 1)
	case Week:
		return s.AddDate(0, 0, 7)
	default:
		return s.AddDate(0, 1, 0)
	}
}

// periodKeys lists, oldest first, the periods of granularity g that
// overlap [from, to).
func periodKeys(g Granularity, from, to time.Time, loc *time.Location) []string {
	var out []string
	for s := periodStart(g, from, loc); s.Before(to); s = nextStart(g, s) {
		out = append(out, periodKey(g, s, loc))
	}
	return out
}
