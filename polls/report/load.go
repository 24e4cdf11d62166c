package report

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls/opinion"
	"github.com/uptrace/bun"
)

// Version identifies the state of a consultation's visible votes cheaply:
// any vote cast, changed or removed, and any statement hidden or shown,
// changes it. Two equal Versions mean the same vote matrix.
type Version struct {
	Votes      int    `json:"votes"`
	LastVote   string `json:"last_vote"` // the latest voted_at as the database prints it; opaque
	Statements int    `json:"statements"`
	LastID     int64  `json:"last_statement"`
}

// VersionOf returns the current Version of consultation cid's visible votes
// with two aggregate queries over indexed columns.
func VersionOf(ctx context.Context, db bun.IDB, cid int64) (Version, error) {
	var v Version
	var last sql.NullString
	err := db.QueryRowContext(ctx, `SELECT COUNT(*), MAX(v.voted_at) FROM statement_votes v
		JOIN statements s ON s.id = v.statement_id WHERE s.consultation_id = ? AND s.hidden = ?`, cid, false).
		Scan(&v.Votes, &last)
	if err != nil {
		return v, fmt.Errorf("votes version of %d: %w", cid, err)
	}
	v.LastVote = last.String
	var maxID sql.NullInt64
	err = db.QueryRowContext(ctx, `SELECT COUNT(*), MAX(id) FROM statements WHERE consultation_id = ? AND hidden = ?`,
		cid, false).Scan(&v.Statements, &maxID)
	if err != nil {
		return v, fmt.Errorf("statements version of %d: %w", cid, err)
	}
	v.LastID = maxID.Int64
	return v, nil
}

// Person is what a report may show of a participant: the random public id
// and, for imported participants, the source's own id.
type Person struct {
	PublicID string `json:"public_id"`
	SourceID string `json:"source_id,omitempty"`
}

// TimedVote is one current vote on a visible statement with its time.
type TimedVote struct {
	opinion.Vote
	At time.Time
}

// LoadVotes returns every current vote on consultation cid's visible
// statements (C19: votes on hidden statements are left out by the query),
// ordered by participant then statement.
func LoadVotes(ctx context.Context, db bun.IDB, cid int64) ([]TimedVote, error) {
	rows, err := db.QueryContext(ctx, `SELECT v.participant_id, v.statement_id, v.value, v.voted_at
		FROM statement_votes v JOIN statements s ON s.id = v.statement_id
		WHERE s.consultation_id = ? AND s.hidden = ?
		ORDER BY v.participant_id, v.statement_id`, cid, false)
	if err != nil {
		return nil, fmt.Errorf("load votes of %d: %w", cid, err)
	}
	defer rows.Close()
	var out []TimedVote
	for rows.Next() {
		var tv TimedVote
		if err := rows.Scan(&tv.Participant, &tv.Statement, &tv.Value, &tv.At); err != nil {
			return nil, fmt.Errorf("load votes of %d: %w", cid, err)
		}
		out = append(out, tv)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load votes of %d: %w", cid, err)
	}
	return out, nil
}

// loadPeople maps the ids in ids to their Person.
func loadPeople(ctx context.Context, db bun.IDB, ids []int64) (map[int64]Person, error) {
	out := make(map[int64]Person, len(ids))
	const chunk = 900 // below SQLite's bound-parameter limit
	for len(ids) > 0 {
		n := min(chunk, len(ids))
		var ps []forum.Participant
		err := db.NewSelect().Model(&ps).Column("id", "public_id", "kind", "source_key").
			Where("id IN (?)", bun.In(ids[:n])).Scan(ctx)
		if err != nil {
			return nil, fmt.Errorf("load participants: %w", err)
		}
		for _, p := range ps {
			person := Person{PublicID: p.PublicID}
			if p.Kind == forum.ParticipantImported {
				person.SourceID = p.SourceKey
			}
			out[p.ID] = person
		}
		ids = ids[n:]
	}
	return out, nil
}

// Day is one calendar day of participation (in the Analysis's time zone).
type Day struct {
	Date string `json:"date"` // YYYY-MM-DD
	// Participants counts distinct participants whose current votes fall on
	// this day; New counts those whose first such vote does.
	Participants int `json:"participants"`
	New          int `json:"new_participants"`
	// Votes counts current votes cast (or last changed) on this day.
	Votes int `json:"votes"`
}

// participation buckets votes by day in loc, oldest day first. Days without
// votes between the first and last are left out.
func participation(votes []TimedVote, loc *time.Location) []Day {
	type acc struct {
		votes int
		who   map[int64]bool
		new   int
	}
	days := map[string]*acc{}
	first := map[int64]string{}
	for _, v := range votes {
		d := v.At.In(loc).Format(time.DateOnly)
		a := days[d]
		if a == nil {
			a = &acc{who: map[int64]bool{}}
			days[d] = a
		}
		a.votes++
		a.who[v.Participant] = true
		if f, ok := first[v.Participant]; !ok || d < f {
			first[v.Participant] = d
		}
	}
	for _, d := range first {
		days[d].new++
	}
	out := make([]Day, 0, len(days))
	for d, a := range days {
		out = append(out, Day{Date: d, Participants: len(a.who), New: a.new, Votes: a.votes})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}
