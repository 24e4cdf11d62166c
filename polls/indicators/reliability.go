package indicators

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/uptrace/bun"
)

// Outage is a run of minutes in which the site was down: no node wrote a
// heartbeat, or an external probe failed. End is exclusive.
type Outage struct {
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Minutes int       `json:"minutes"`
}

// DayErrors is the share of responses with a 5xx status on one day.
type DayErrors struct {
	Day      string   `json:"day"`
	Requests int64    `json:"requests"`
	Errors   int64    `json:"errors"`
	Share    *float64 `json:"share"`
}

// MonthAvailability is the availability of one month: up minutes over
// monitored minutes, in percent, against the target.
type MonthAvailability struct {
	Period       string   `json:"period"`
	Monitored    int      `json:"monitored_minutes"`
	Down         int      `json:"down_minutes"`
	Availability *float64 `json:"availability_pct"`
	Target       float64  `json:"target_pct"`
	Met          *bool    `json:"met"`
}

// Reliability is the reliability indicator (keandalan sistem), from the
// heartbeats table (one row per node per minute, written by every serving
// node, and rows from `rembug probe`) and incidents.
//
// A minute is monitored from the first heartbeat ever on, up to now; it is
// down when no node wrote a heartbeat for it or a probe reported a
// failure in it. Outages are the runs of down minutes. Errors5xx sums the
// requests and 5xx responses each node counted in its heartbeats, per day.
// Incidents are those that started in the range.
type Reliability struct {
	Outages   []Outage            `json:"outages"`
	Errors5xx []DayErrors         `json:"errors_5xx"`
	Monthly   []MonthAvailability `json:"availability"`
	Incidents []Incident          `json:"incidents"`
}

// reliabilityOf computes Reliability over [from, min(to, now)) in loc.
func reliabilityOf(ctx context.Context, db bun.IDB, st Settings, from, to, now time.Time, loc *time.Location) (Reliability, error) {
	out := Reliability{Outages: []Outage{}, Errors5xx: []DayErrors{}, Monthly: []MonthAvailability{}, Incidents: []Incident{}}
	// One row per minute, not per node per minute: the database folds the
	// nodes' beats and the probes' verdicts of a minute together.
	var rows []struct {
		Minute   time.Time `bun:"minute"`
		Alive    int       `bun:"alive"`
		Failed   int       `bun:"failed"`
		Requests int64     `bun:"requests"`
		Errors   int64     `bun:"errors"`
	}
	err := db.NewRaw(`SELECT minute,
		MAX(CASE WHEN probe THEN 0 ELSE 1 END) AS alive,
		MAX(CASE WHEN probe AND NOT ok THEN 1 ELSE 0 END) AS failed,
		SUM(CASE WHEN probe THEN 0 ELSE requests END) AS requests,
		SUM(CASE WHEN probe THEN 0 ELSE errors END) AS errors
		FROM heartbeats WHERE minute >= ? AND minute < ? GROUP BY minute ORDER BY minute`,
		from, to).Scan(ctx, &rows)
	if err != nil {
		return out, fmt.Errorf("heartbeats: %w", err)
	}
	var first *time.Time
	if err := db.NewRaw(`SELECT MIN(minute) FROM heartbeats`).Scan(ctx, &first); err != nil {
		return out, fmt.Errorf("first heartbeat: %w", err)
	}
	alive, failed := map[int64]bool{}, map[int64]bool{}
	days := map[string]*DayErrors{}
	for _, r := range rows {
		m := r.Minute.Unix() / 60
		if r.Failed > 0 {
			failed[m] = true
		}
		if r.Alive == 0 {
			continue
		}
		alive[m] = true
		d := r.Minute.In(loc).Format(time.DateOnly)
		if days[d] == nil {
			days[d] = &DayErrors{Day: d}
		}
		days[d].Requests += r.Requests
		days[d].Errors += r.Errors
	}
	for _, d := range periodKeys(Day, from, to, loc) {
		if x := days[d]; x != nil {
			x.Share = share(int(x.Errors), int(x.Requests))
			out.Errors5xx = append(out.Errors5xx, *x)
		}
	}
	end := to
	if now.Before(end) {
		end = now
	}
	start, end := from.Truncate(time.Minute), end.Truncate(time.Minute)
	if first != nil && first.After(start) {
		start = first.Truncate(time.Minute)
	}
	monthly := map[string]*MonthAvailability{}
	var cur *Outage
	for t := start; first != nil && t.Before(end); t = t.Add(time.Minute) {
		k := periodKey(Month, t, loc)
		ma := monthly[k]
		if ma == nil {
			ma = &MonthAvailability{Period: k, Target: st.AvailabilityGoal}
			monthly[k] = ma
		}
		ma.Monitored++
		m := t.Unix() / 60
		if alive[m] && !failed[m] {
			cur = nil
			continue
		}
		ma.Down++
		if cur == nil {
			out.Outages = append(out.Outages, Outage{Start: t})
			cur = &out.Outages[len(out.Outages)-1]
		}
		cur.Minutes++
		cur.End = t.Add(time.Minute)
	}
	for _, k := range periodKeys(Month, from, to, loc) {
		ma := monthly[k]
		if ma == nil {
			ma = &MonthAvailability{Period: k, Target: st.AvailabilityGoal}
		} else if ma.Monitored > 0 {
			v := math.Round(float64(ma.Monitored-ma.Down)/float64(ma.Monitored)*100000) / 1000
			met := v >= st.AvailabilityGoal
			ma.Availability, ma.Met = &v, &met
		}
		out.Monthly = append(out.Monthly, *ma)
	}
	err = db.NewSelect().Model(&out.Incidents).Where("started_at >= ? AND started_at < ?", from, to).Order("started_at").Scan(ctx)
	if err != nil {
		return out, fmt.Errorf("incidents: %w", err)
	}
	return out, nil
}
