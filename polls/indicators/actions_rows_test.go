package indicators

// This file keeps the first implementation of the active-users indicator,
// which loaded every action into Go and counted there, as the reference
// the SQL aggregation (active.go) is checked against and the baseline of
// its benchmark.

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/uptrace/bun"
)

// actionRowsSQL selects (pid, at) for each kind of recorded action by a
// participant, with the action's own time: imported votes, statements,
// proposals and comments carry their source times.
//
//	statement vote  statement_votes.voted_at (the latest vote per statement is kept)
//	statement       statements.created_at (author_id set)
//	proposal        proposals.created_at
//	comment         comments.created_at
//	support         supports.created_at
//	live question   live_questions.created_at (participant_id set)
//	upvote          live_upvotes.created_at
//	poll response   survey_responses.answered_at (anonymous surveys record neither), live_poll_answers.answered_at
var actionRowsSQL = []string{
	`SELECT participant_id AS pid, voted_at AS at FROM statement_votes WHERE voted_at < ?`,
	`SELECT author_id AS pid, created_at AS at FROM statements WHERE author_id IS NOT NULL AND created_at < ?`,
	`SELECT author_id AS pid, created_at AS at FROM proposals WHERE created_at < ?`,
	`SELECT author_id AS pid, created_at AS at FROM comments WHERE created_at < ?`,
	`SELECT participant_id AS pid, created_at AS at FROM supports WHERE created_at < ?`,
	`SELECT participant_id AS pid, created_at AS at FROM live_questions WHERE participant_id IS NOT NULL AND created_at < ?`,
	`SELECT participant_id AS pid, created_at AS at FROM live_upvotes WHERE created_at < ?`,
	`SELECT participant_id AS pid, answered_at AS at FROM survey_responses
		WHERE participant_id IS NOT NULL AND answered_at IS NOT NULL AND answered_at < ?`,
	`SELECT participant_id AS pid, answered_at AS at FROM live_poll_answers WHERE answered_at < ?`,
}

// action is one recorded act: who (a participant id, or a negative id
// standing for a complaint reporter without one), when and through which
// channel.
type action struct {
	who     int64
	at      time.Time
	channel string
}

// loadActions returns every action before to. A complaint's reporter is the
// participant of their user account when they filed signed in, else the
// same person across complaints by user id, phone or email, else the
// complaint alone.
func loadActions(ctx context.Context, db bun.IDB, to time.Time) ([]action, error) {
	var out []action
	for _, q := range actionRowsSQL {
		var rows []struct {
			PID int64     `bun:"pid"`
			At  time.Time `bun:"at"`
		}
		if err := db.NewRaw(q, to).Scan(ctx, &rows); err != nil {
			return nil, fmt.Errorf("actions (%.40s…): %w", q, err)
		}
		for _, r := range rows {
			out = append(out, action{r.PID, r.At, ChannelWeb})
		}
	}
	var cs []struct {
		ID      int64     `bun:"id"`
		Channel string    `bun:"channel"`
		At      time.Time `bun:"at"`
		PID     *int64    `bun:"pid"`
		UID     *int64    `bun:"uid"`
		Phone   string    `bun:"phone"`
		Email   string    `bun:"email"`
	}
	err := db.NewRaw(`SELECT c.id, c.channel, c.received_at AS at, p.id AS pid, c.reporter_user_id AS uid,
		c.reporter_phone AS phone, c.reporter_email AS email FROM complaints c
		LEFT JOIN participants p ON p.source = ? AND p.source_key = CAST(c.reporter_user_id AS VARCHAR(20))
		WHERE c.received_at < ?`, forum.ParticipantUser, to).Scan(ctx, &cs)
	if err != nil {
		return nil, fmt.Errorf("complaint actions: %w", err)
	}
	reporters := map[string]int64{}
	for _, c := range cs {
		a := action{at: c.At, channel: complaintChannel(c.Channel)}
		if c.PID != nil {
			a.who = *c.PID
		} else {
			key := "c" + strconv.FormatInt(c.ID, 10)
			switch {
			case c.UID != nil:
				key = "u" + strconv.FormatInt(*c.UID, 10)
			case c.Phone != "":
				key = "p" + c.Phone
			case c.Email != "":
				key = "e" + strings.ToLower(c.Email)
			}
			if reporters[key] == 0 {
				reporters[key] = -int64(len(reporters) + 1)
			}
			a.who = reporters[key]
		}
		out = append(out, a)
	}
	return out, nil
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

// complaintChannel maps a complaint's intake channel to an indicator channel.
func complaintChannel(c string) string {
	switch c {
	case ChannelWhatsApp, ChannelSMS:
		return c
	}
	return ChannelWeb
}

// activeRows is activeIn as first written: every action loaded into Go.
func activeRows(ctx context.Context, db bun.IDB, from, to time.Time, loc *time.Location, grains []Granularity,
	regionOf map[int64]string, kecamatan string) (Active, error) {
	acts, err := loadActions(ctx, db, to)
	if err != nil {
		return Active{}, err
	}
	if kecamatan != "" {
		acts = slices.DeleteFunc(acts, func(a action) bool { return regionOf[a.who] != kecamatan })
	}
	return activeOf(acts, from, to, loc, grains, regionOf), nil
}
