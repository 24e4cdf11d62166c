package indicators

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/uptrace/bun"
)

// Bucket is the active participants of one period: Count distinct people
// with at least one action in it (within the requested range), New of them
// acting for the first time ever, Returning the rest.
type Bucket struct {
	Period    string `json:"period"`
	Count     int    `json:"count"`
	New       int    `json:"new"`
	Returning int    `json:"returning"`
	// Suppressed marks a public figure hidden because it would describe
	// fewer than MinCell people (see Report.Public).
	Suppressed bool `json:"suppressed,omitempty"`
}

// Cell is a count of people under a label; Pooled marks the cell that
// gathers labels with fewer than MinCell people.
type Cell struct {
	Label  string `json:"label"`
	Count  int    `json:"count"`
	Pooled bool   `json:"pooled,omitempty"`
}

// Active is the active-users indicator (jumlah pengguna aktif): distinct
// participants with at least one recorded action (statement vote,
// statement, proposal, comment, support, live question, upvote, poll
// response, complaint, IKM answer — see actionSQL) whose time falls in
// the period. Unit: people. Sources: statement_votes, statements,
// proposals, comments, supports, live_questions, live_upvotes,
// survey_responses, live_poll_answers, complaints, ikm_responses.
//
// Daily, Weekly (ISO 8601) and Monthly cover every period overlapping the
// range, empty ones included; periods cut by the range count only actions
// inside it. Total is distinct people over the whole range, New those whose
// first action ever is in it. ByChannel counts each person once per channel
// used; ChannelAssisted counts the entries an officer recorded for a
// citizen at the desk apart from self-service ones. ByKecamatan counts people by the kecamatan on their profile when
// they consent to region statistics (forum.ConsentRegion); "" is everyone
// else. Both are pooled below MinCell.
type Active struct {
	Daily       []Bucket `json:"daily"`
	Weekly      []Bucket `json:"weekly"`
	Monthly     []Bucket `json:"monthly"`
	Total       int      `json:"total"`
	New         int      `json:"new"`
	ByChannel   []Cell   `json:"by_channel"`
	ByKecamatan []Cell   `json:"by_kecamatan"`
	// ArrivalsByShareLink counts visits that arrived through a shared
	// link's campaign tag (?src=wa, fb, x, tg; package forum/reach) on the
	// days of the range in the installation's zone, per channel in
	// reach.Channels order. Unit: arrivals, not people: nothing about the
	// visitor is stored, so the same person arriving twice counts twice.
	// Source: share_arrivals. Not pooled: no person is in it.
	ArrivalsByShareLink []Cell `json:"arrivals_by_share_link"`
}

// activeIn computes Active over [from, to) in loc, aggregating in the
// database: one query returns each person's distinct (channel, UTC hour)
// pairs with an action in the range, another the first action of the
// people who acted before it; Go only folds those hours into days, weeks
// and months (exact for zones a whole number of hours from UTC, as
// Indonesia's are). A person is new in the period of their first action
// ever. regionOf maps participant ids to consented kecamatan
// names; kecamatan, when set, keeps only the people with it.
func activeIn(ctx context.Context, db bun.IDB, from, to time.Time, loc *time.Location, grains []Granularity,
	regionOf map[int64]string, kecamatan string) (Active, error) {
	inRange, args := actions(func(col string) string { return col + " >= ? AND " + col + " < ?" }, from, to)
	var hours []struct {
		Who  string `bun:"who"`
		Ch   string `bun:"ch"`
		Hour string `bun:"hour"`
	}
	if err := db.NewRaw(`SELECT who, ch, `+utcHour(db, "at")+` AS hour FROM (`+inRange+`) a GROUP BY 1, 2, 3`, args...).Scan(ctx, &hours); err != nil {
		return Active{}, fmt.Errorf("active hours: %w", err)
	}
	before, args := actions(func(col string) string { return col + " < ?" }, from)
	var earlier []struct {
		Who   string    `bun:"who"`
		First time.Time `bun:"first"`
	}
	if err := db.NewRaw(`SELECT who, MIN(at) AS first FROM (`+before+`) a GROUP BY who`, args...).Scan(ctx, &earlier); err != nil {
		return Active{}, fmt.Errorf("earlier actions: %w", err)
	}
	first := make(map[string]time.Time, len(earlier)) // each person's first action ever
	for _, e := range earlier {
		first[e.Who] = e.First
	}
	region := func(who string) string {
		id, err := strconv.ParseInt(who, 10, 64)
		if err != nil {
			return "" // a complaint reporter without a participant
		}
		return regionOf[id]
	}
	type seen map[string]bool
	perGrain := map[Granularity]map[string]seen{}
	for _, g := range grains {
		perGrain[g] = map[string]seen{}
	}
	at := map[string]time.Time{} // each hour's start
	all, channels := seen{}, map[string]seen{}
	for _, h := range hours {
		if kecamatan != "" && region(h.Who) != kecamatan {
			continue
		}
		t, ok := at[h.Hour]
		if !ok {
			var err error
			if t, err = time.ParseInLocation("2006-01-02 15", h.Hour, time.UTC); err != nil {
				return Active{}, fmt.Errorf("active hour %q: %w", h.Hour, err)
			}
			at[h.Hour] = t
		}
		if f, ok := first[h.Who]; !ok || t.Before(f) {
			first[h.Who] = t
		}
		all[h.Who] = true
		if channels[h.Ch] == nil {
			channels[h.Ch] = seen{}
		}
		channels[h.Ch][h.Who] = true
		for _, g := range grains {
			k := periodKey(g, t, loc)
			if perGrain[g][k] == nil {
				perGrain[g][k] = seen{}
			}
			perGrain[g][k][h.Who] = true
		}
	}
	out := Active{Daily: []Bucket{}, Weekly: []Bucket{}, Monthly: []Bucket{}, Total: len(all)}
	for _, g := range grains {
		var bs []Bucket
		for _, k := range periodKeys(g, from, to, loc) {
			b := Bucket{Period: k, Count: len(perGrain[g][k])}
			for who := range perGrain[g][k] {
				if periodKey(g, first[who], loc) == k {
					b.New++
				}
			}
			b.Returning = b.Count - b.New
			bs = append(bs, b)
		}
		switch g {
		case Day:
			out.Daily = bs
		case Week:
			out.Weekly = bs
		case Month:
			out.Monthly = bs
		}
	}
	for who := range all {
		if !first[who].Before(from) {
			out.New++
		}
	}
	var ch []Cell
	for _, c := range []string{ChannelWeb, ChannelWhatsApp, ChannelSMS} {
		ch = append(ch, Cell{Label: c, Count: len(channels[c])})
	}
	if n := len(channels[ChannelAssisted]); n > 0 {
		// Only where a desk records entries: other installations keep
		// their three channels.
		ch = append(ch, Cell{Label: ChannelAssisted, Count: n})
	}
	out.ByChannel = Pool(ch, MinCell, "")
	kec := map[string]int{}
	for who := range all {
		kec[region(who)]++
	}
	cells := make([]Cell, 0, len(kec))
	for name, n := range kec {
		cells = append(cells, Cell{Label: name, Count: n})
	}
	slices.SortFunc(cells, func(a, b Cell) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Label, b.Label)) })
	out.ByKecamatan = Pool(cells, MinCell, "")
	return out, nil
}
