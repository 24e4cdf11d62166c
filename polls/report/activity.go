package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/uptrace/bun"
)

// Activity kinds other than statement votes.
const (
	actProposal = iota
	actComment
	actSupport
	actResponse
)

// event is one dated act of a participant in the public space.
type event struct {
	Participant int64     `bun:"pid"`
	At          time.Time `bun:"at"`
	kind        int
}

// activitySQL selects (pid, at) per kind of activity of consultation ?,
// public space only: published proposals outside focus groups, their
// supports, published undeleted comments outside focus groups (on the
// consultation or on such a proposal), and dated responses to polls that
// are not anonymous (anonymous responses carry neither time nor person).
var activitySQL = [...]string{
	actProposal: `SELECT p.author_id AS pid, p.created_at AS at FROM proposals p
		WHERE p.consultation_id = ? AND p.focus_group_id = 0 AND p.state = ?`,
	actComment: `SELECT c.author_id AS pid, c.created_at AS at FROM comments c
		WHERE c.consultation_id = ? AND c.focus_group_id = 0 AND c.state = ? AND c.deleted_at IS NULL
		AND (c.proposal_id = 0 OR EXISTS (SELECT 1 FROM proposals p WHERE p.id = c.proposal_id
			AND p.focus_group_id = 0 AND p.state = c.state))`,
	actSupport: `SELECT s.participant_id AS pid, s.created_at AS at FROM supports s
		JOIN proposals p ON p.id = s.proposal_id
		WHERE p.consultation_id = ? AND p.focus_group_id = 0 AND p.state = ?`,
	actResponse: `SELECT r.participant_id AS pid, r.answered_at AS at FROM survey_responses r
		JOIN surveys s ON s.id = r.survey_id
		WHERE s.consultation_id = ? AND s.anonymous = ? AND r.participant_id IS NOT NULL AND r.answered_at IS NOT NULL`,
}

// loadActivity returns every dated act of consultation cid's public space
// other than statement votes.
func loadActivity(ctx context.Context, db bun.IDB, cid int64) ([]event, error) {
	var out []event
	for kind, q := range activitySQL {
		var arg any = forum.StatePublished
		if kind == actResponse {
			arg = false
		}
		var es []event
		if err := db.NewRaw(q, cid, arg).Scan(ctx, &es); err != nil {
			return nil, fmt.Errorf("activity of %d: %w", cid, err)
		}
		for i := range es {
			es[i].kind = kind
		}
		out = append(out, es...)
	}
	return out, nil
}

// Region is participation by the kecamatan (district) that participants
// gave on their profile under the region-statistics consent
// (forum.ConsentRegion; withdrawing it deletes the answer). Regions with
// fewer than MinRegionSize participants are pooled in Other (itself pooled
// in Unknown when still smaller), so that a row never describes one or two
// people; Unknown is the row of everyone else.
type Region struct {
	Name         string `json:"name"`
	Other        bool   `json:"other,omitempty"`
	Unknown      bool   `json:"unknown,omitempty"`
	Participants int    `json:"participants"`
	Votes        int    `json:"votes"`
	Proposals    int    `json:"proposals"`
	Comments     int    `json:"comments"`
}

// MinRegionSize is the fewest participants a named region row may have.
const MinRegionSize = 3

// loadRegions maps the participants acting for signed-in users to the
// kecamatan on their profile, when the user consents to region statistics.
// Names are trimmed and compared case-insensitively.
func loadRegions(ctx context.Context, db bun.IDB) (map[int64]string, error) {
	var rows []struct {
		PID    int64  `bun:"pid"`
		Answer string `bun:"answer"`
	}
	err := db.NewRaw(`SELECT p.id AS pid, a.answer AS answer FROM profile_answers a
		JOIN participants p ON p.source = ? AND p.source_key = CAST(a.user_id AS VARCHAR(20))
		WHERE a.question = ? AND EXISTS (SELECT 1 FROM consents k WHERE k.user_id = a.user_id
			AND k.purpose = ? AND k.withdrawn_at IS NULL)`,
		forum.ParticipantUser, "kecamatan", forum.ConsentRegion).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("participant regions: %w", err)
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		if name := strings.Join(strings.Fields(r.Answer), " "); name != "" {
			out[r.PID] = name
		}
	}
	return out, nil
}

// mergeActivity adds the events to the Analysis's vote days (in its time
// zone) and tallies the regions. Regions is empty when no active
// participant has a region.
func mergeActivity(a *Analysis, evs []event, regionOf map[int64]string) ([]Day, []Region, Totals) {
	loc := a.loc
	if loc == nil {
		loc = time.UTC
	}
	type acc struct {
		Day
		who map[int64]bool
	}
	days := map[string]*acc{}
	get := func(d string) *acc {
		x := days[d]
		if x == nil {
			x = &acc{Day: Day{Date: d}, who: map[int64]bool{}}
			days[d] = x
		}
		return x
	}
	for _, d := range a.Days {
		x := get(d.Date)
		x.Votes = d.Votes
		for _, id := range a.votes.voters[d.Date] {
			x.who[id] = true
		}
	}
	var t Totals
	perPerson := map[int64]*Region{}
	person := func(id int64) *Region {
		r := perPerson[id]
		if r == nil {
			r = &Region{}
			perPerson[id] = r
		}
		return r
	}
	for id, n := range a.votes.votesBy {
		person(id).Votes = n
	}
	for _, e := range evs {
		x := get(e.At.In(loc).Format(time.DateOnly))
		x.who[e.Participant] = true
		p := person(e.Participant)
		switch e.kind {
		case actProposal:
			x.Proposals++
			p.Proposals++
			t.Proposals++
		case actComment:
			x.Comments++
			p.Comments++
			t.Comments++
		case actSupport:
			t.Supports++
		case actResponse:
			t.Responses++
		}
	}
	out := make([]Day, 0, len(days))
	for _, x := range days {
		x.Participants = len(x.who)
		out = append(out, x.Day)
	}
	slices.SortFunc(out, func(p, q Day) int { return strings.Compare(p.Date, q.Date) })
	seen := map[int64]bool{}
	for i := range out {
		for id := range days[out[i].Date].who {
			if !seen[id] {
				seen[id] = true
				out[i].New++
			}
		}
	}
	t.Participants = len(seen)
	return out, regions(perPerson, regionOf), t
}

// regions sums per-person activity by region; see Region.
func regions(perPerson map[int64]*Region, regionOf map[int64]string) []Region {
	named := map[string]*Region{}
	spelling := map[string]map[string]int{}
	unknown := Region{Unknown: true}
	for id, p := range perPerson {
		name, ok := regionOf[id]
		if !ok {
			addRegion(&unknown, p)
			continue
		}
		key := strings.ToLower(name)
		if named[key] == nil {
			named[key], spelling[key] = &Region{}, map[string]int{}
		}
		addRegion(named[key], p)
		spelling[key][name]++
	}
	if len(named) == 0 {
		return []Region{}
	}
	out := []Region{}
	other := Region{Other: true}
	for key, r := range named {
		if r.Participants < MinRegionSize {
			addRegion(&other, r)
			continue
		}
		r.Name = mostFrequent(spelling[key])
		out = append(out, *r)
	}
	slices.SortFunc(out, func(p, q Region) int {
		return cmp.Or(cmp.Compare(q.Participants, p.Participants), strings.Compare(p.Name, q.Name))
	})
	if other.Participants >= MinRegionSize {
		out = append(out, other)
	} else if other.Participants > 0 {
		addRegion(&unknown, &other)
	}
	if len(out) == 0 {
		return []Region{}
	}
	if unknown.Participants > 0 {
		out = append(out, unknown)
	}
	return out
}

// addRegion adds p (one person when p.Participants is 0) to r.
func addRegion(r, p *Region) {
	r.Participants += max(p.Participants, 1)
	r.Votes += p.Votes
	r.Proposals += p.Proposals
	r.Comments += p.Comments
}

// Totals counts a consultation's whole public activity. Participants is
// everyone active in any way (statement votes, proposals, comments,
// supports, responses to polls that are not anonymous); Responses counts
// those dated responses only.
type Totals struct {
	Participants int `json:"participants"`
	Proposals    int `json:"proposals"`
	Comments     int `json:"comments"`
	Supports     int `json:"supports"`
	Responses    int `json:"poll_responses"`
}
