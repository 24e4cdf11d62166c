package report

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls/opinion"
	"github.com/uptrace/bun"
)

// Version identifies the state of a consultation's visible votes cheaply,
// from the statements' vote counters (kept in each vote's transaction by
// polls) rather than a scan of the votes: the number of visible statements
// and the largest visible id (a statement hidden, shown or added), the vote
// total, and for each vote value the sum of counter × statement id, which
// changes when a vote moves between values or statements. Two participants
// swapping opposite votes on the same statement leave it unchanged; the
// Cache's MaxAge bounds how long that can go unseen.
type Version struct {
	Statements int64 `json:"statements"`
	LastID     int64 `json:"last_statement"`
	Votes      int64 `json:"votes"`
	Agree      int64 `json:"agree_sum"`
	Disagree   int64 `json:"disagree_sum"`
	Pass       int64 `json:"pass_sum"`
}

// VersionOf returns the current Version of consultation cid's visible votes
// with one aggregate over its statements (not its votes).
func VersionOf(ctx context.Context, db bun.IDB, cid int64) (Version, error) {
	var v Version
	var last, votes, ag, dis, pass sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT COUNT(*), MAX(id), SUM(agree_count + disagree_count + pass_count),
		SUM(agree_count * id), SUM(disagree_count * id), SUM(pass_count * id)
		FROM statements WHERE consultation_id = ? AND hidden = ?`, cid, false).
		Scan(&v.Statements, &last, &votes, &ag, &dis, &pass)
	if err != nil {
		return v, fmt.Errorf("votes version of %d: %w", cid, err)
	}
	v.LastID, v.Votes, v.Agree, v.Disagree, v.Pass = last.Int64, votes.Int64, ag.Int64, dis.Int64, pass.Int64
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
		WHERE s.consultation_id = ? AND s.hidden = ?`, cid, false)
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
	// Sorting here is far cheaper than an ORDER BY over the join.
	slices.SortFunc(out, func(a, b TimedVote) int {
		return cmp.Or(cmp.Compare(a.Participant, b.Participant), cmp.Compare(a.Statement, b.Statement))
	})
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
	// Participants counts distinct participants active on this day: whose
	// current votes fall on it, or who proposed, commented, supported a
	// proposal or answered a poll that is not anonymous (public space only).
	// New counts those whose first such activity does.
	Participants int `json:"participants"`
	New          int `json:"new_participants"`
	// Votes counts current statement votes cast (or last changed) on this day.
	Votes int `json:"votes"`
	// Proposals and Comments count the published proposals and comments of
	// the public space (not focus groups) created on this day.
	Proposals int `json:"proposals"`
	Comments  int `json:"comments"`
}

// voteDays is participation by votes alone: per day (in loc) the distinct
// voters, and per participant the number of current votes.
type voteDays struct {
	voters  map[string][]int64
	votesBy map[int64]int
}

// participation buckets votes by day in loc, oldest day first. Days without
// votes between the first and last are left out.
func participation(votes []TimedVote, loc *time.Location) ([]Day, voteDays) {
	type acc struct {
		votes int
		who   map[int64]bool
		new   int
	}
	days := map[string]*acc{}
	first := map[int64]string{}
	vd := voteDays{voters: map[string][]int64{}, votesBy: map[int64]int{}}
	for _, v := range votes {
		d := v.At.In(loc).Format(time.DateOnly)
		a := days[d]
		if a == nil {
			a = &acc{who: map[int64]bool{}}
			days[d] = a
		}
		a.votes++
		a.who[v.Participant] = true
		vd.votesBy[v.Participant]++
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
		ids := make([]int64, 0, len(a.who))
		for id := range a.who {
			ids = append(ids, id)
		}
		vd.voters[d] = ids
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, vd
}
