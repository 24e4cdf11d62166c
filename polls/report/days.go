package report

import "time"

// DayRow is one row of a participation table: a day with activity (Day
// set) or a stretch of Gap calendar days without any between two such days
// (Day nil, From and To its first and last day). Dates are "YYYY-MM-DD".
type DayRow struct {
	Date     string
	Day      *Day
	Gap      int
	From, To string
}

// DayRows lists days (oldest first, as in Report.Participation) with a gap
// row between two days that are not consecutive: the one rule for the
// participation tables of the HTML, Markdown and CSV reports, so every
// output names the same stretches without activity. Dates that do not
// parse are left out.
func DayRows(days []Day) []DayRow {
	var out []DayRow
	var prev time.Time
	for i := range days {
		t, err := time.Parse(time.DateOnly, days[i].Date)
		if err != nil {
			continue
		}
		if !prev.IsZero() {
			if n := int(t.Sub(prev).Hours()/24) - 1; n > 0 {
				out = append(out, DayRow{Gap: n, From: prev.AddDate(0, 0, 1).Format(time.DateOnly), To: t.AddDate(0, 0, -1).Format(time.DateOnly)})
			}
		}
		out = append(out, DayRow{Date: days[i].Date, Day: &days[i]})
		prev = t
	}
	return out
}
