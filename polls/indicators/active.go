package indicators

import (
	"cmp"
	"slices"
	"time"
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
// response, complaint — see actionSQL and loadActions) whose time falls in
// the period. Unit: people. Sources: statement_votes, statements,
// proposals, comments, supports, live_questions, live_upvotes,
// survey_responses, live_poll_answers, complaints.
//
// Daily, Weekly (ISO 8601) and Monthly cover every period overlapping the
// range, empty ones included; periods cut by the range count only actions
// inside it. Total is distinct people over the whole range, New those whose
// first action ever is in it. ByChannel counts each person once per channel
// used. ByKecamatan counts people by the kecamatan on their profile when
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
}

// activeOf computes Active over [from, to) in loc from every action before
// to; regionOf maps participant ids to consented kecamatan names.
func activeOf(acts []action, from, to time.Time, loc *time.Location, grains []Granularity, regionOf map[int64]string) Active {
	first := map[int64]time.Time{}
	for _, a := range acts {
		if f, ok := first[a.who]; !ok || a.at.Before(f) {
			first[a.who] = a.at
		}
	}
	type seen map[int64]bool
	perGrain := map[Granularity]map[string]seen{}
	for _, g := range grains {
		perGrain[g] = map[string]seen{}
	}
	all, channels := seen{}, map[string]seen{}
	for _, a := range acts {
		if a.at.Before(from) || !a.at.Before(to) {
			continue
		}
		all[a.who] = true
		if channels[a.channel] == nil {
			channels[a.channel] = seen{}
		}
		channels[a.channel][a.who] = true
		for _, g := range grains {
			k := periodKey(g, a.at, loc)
			if perGrain[g][k] == nil {
				perGrain[g][k] = seen{}
			}
			perGrain[g][k][a.who] = true
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
	out.ByChannel = Pool(ch, MinCell, "")
	kec := map[string]int{}
	for who := range all {
		kec[regionOf[who]]++
	}
	cells := make([]Cell, 0, len(kec))
	for name, n := range kec {
		cells = append(cells, Cell{Label: name, Count: n})
	}
	slices.SortFunc(cells, func(a, b Cell) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Label, b.Label)) })
	out.ByKecamatan = Pool(cells, MinCell, "")
	return out
}
