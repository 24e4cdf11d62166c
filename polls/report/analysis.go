package report

import (
	"context"
	"fmt"
	"time"

	"github.com/rembug/rembug/polls/opinion"
	"github.com/uptrace/bun"
)

// Analysis is the expensive part of a report, computed from one load of the
// vote matrix: the opinion groups, who is who, and participation by day.
type Analysis struct {
	Version Version
	Opinion opinion.Result
	// People maps the participant ids in Opinion to what may be shown.
	People map[int64]Person
	// Days is participation by statement votes alone; Build adds the
	// other kinds of activity.
	Days []Day
	// Took is how long loading and computing took; At is when it began.
	Took time.Duration
	At   time.Time

	loc     *time.Location
	votes   voteDays
	minCell int // Settings.MinCell
}

// Settings tune Analyze. The zero value uses opinion's defaults and UTC days.
type Settings struct {
	Opinion opinion.Options
	// Location is the time zone of participation days; nil means UTC.
	Location *time.Location
	// MinCell is k of the polls' disclosure rules (polls.Disclose) for the
	// report's poll results; 0 means polls.DefaultMinCell.
	MinCell int
	// MaxAge is how long a Cache serves an Analysis whose Version still
	// matches before recomputing anyway (see Version); 0 means 5 minutes.
	MaxAge time.Duration
}

// DefaultMaxAge is Settings.MaxAge's default.
const DefaultMaxAge = 5 * time.Minute

// Analyze loads consultation cid's visible votes and computes its Analysis.
// It reads the Version first, so a vote arriving during the load makes the
// Analysis look older than it is (and be recomputed), never newer.
func Analyze(ctx context.Context, db bun.IDB, cid int64, set Settings) (*Analysis, error) {
	start := time.Now()
	ver, err := VersionOf(ctx, db, cid)
	if err != nil {
		return nil, err
	}
	votes, err := LoadVotes(ctx, db, cid)
	if err != nil {
		return nil, err
	}
	ov := make([]opinion.Vote, len(votes))
	var ids []int64
	for i, v := range votes {
		ov[i] = v.Vote
		if i == 0 || votes[i-1].Participant != v.Participant {
			ids = append(ids, v.Participant)
		}
	}
	res, err := opinion.Compute(ov, set.Opinion)
	if err != nil {
		return nil, fmt.Errorf("opinion groups of %d: %w", cid, err)
	}
	people, err := loadPeople(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	loc := set.Location
	if loc == nil {
		loc = time.UTC
	}
	days, vd := participation(votes, loc)
	return &Analysis{Version: ver, Opinion: res, People: people, Days: days,
		Took: time.Since(start), At: start, loc: loc, votes: vd, minCell: set.MinCell}, nil
}
