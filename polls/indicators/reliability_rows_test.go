package indicators

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/uptrace/bun"
)

// reliabilityRows is the first implementation of reliabilityOf, kept as the
// reference for TestReliabilityInSQLMatchesRows: it loads every heartbeat row
// (one per node per minute) and computes Reliability over [from, min(to, now)) in loc.
func reliabilityRows(ctx context.Context, db bun.IDB, st Settings, from, to, now time.Time, loc *time.Location) (Reliability, error) {
	out := Reliability{Outages: []Outage{}, Errors5xx: []DayErrors{}, Monthly: []MonthAvailability{}, Incidents: []Incident{}}
	var rows []struct {
		Minute   time.Time `bun:"minute"`
		Probe    bool      `bun:"probe"`
		OK       bool      `bun:"ok"`
		Requests int64     `bun:"requests"`
		Errors   int64     `bun:"errors"`
	}
	err := db.NewRaw(`SELECT minute, probe, ok, requests, errors FROM heartbeats WHERE minute >= ? AND minute < ? ORDER BY minute`,
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
		if r.Probe {
			if !r.OK {
				failed[m] = true
			}
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
