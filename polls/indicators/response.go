package indicators

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/complaint/workday"
	"github.com/uptrace/bun"
)

// AgencyResponse is the complaint response times of one agency, over
// complaints received in the range and routed to it (complaint_routes;
// Agency "" gathers those not routed yet). FirstResponse is hours from
// receipt (complaints.received_at) to the first response to the citizen
// (first_response_at), Resolution hours to the official answer
// (answered_at); both in calendar hours, median and p90 (Spread).
// WithinResponse and WithinResolution are the share (0–1) meeting the
// topic's target in working days (complaint_topics, else the complaint
// defaults; the deadline is the one complaint.Store.Stats uses, that many
// working days after receipt on the installation's calendar), of the
// complaints that either reached the stage or are still open past the
// deadline; Pending counts the complaints still without a first response.
// Excluded counts the complaints left out of every response-time figure
// because they were answered before they were received
// (complaint.AnsweredBeforeReceived); they still count in Complaints.
type AgencyResponse struct {
	Agency           string   `json:"agency"`
	Complaints       int      `json:"complaints"`
	FirstResponse    Spread   `json:"first_response_hours"`
	Resolution       Spread   `json:"resolution_hours"`
	WithinResponse   *float64 `json:"within_response_target"`
	WithinResolution *float64 `json:"within_resolution_target"`
	Pending          int      `json:"pending"`
	Excluded         int      `json:"excluded_answered_before_received"`
}

// ProposalAnswers is the time from a proposal passing its consultation's
// support threshold (consultation_rules.support_threshold, imported tally
// included; the moment its threshold-th support was given, from supports,
// or its creation when the imported tally alone passes) to its official
// answer (proposals.answered_at), in days, for proposals answered in the
// range; Waiting counts passed proposals still without an answer.
type ProposalAnswers struct {
	Days    Spread `json:"days"`
	Waiting int    `json:"waiting"`
}

// LiveAnswers is the share of live-session questions asked in the range
// and shown to the room (status approved or archived) that moderators
// marked answered (live_questions.answered), and Minutes from asking
// (created_at) to being marked answered (answered_at), median and p90, of
// those with a time (questions marked before answered_at was recorded
// have none).
type LiveAnswers struct {
	Questions int      `json:"questions"`
	Answered  int      `json:"answered"`
	Share     *float64 `json:"share"`
	Minutes   Spread   `json:"minutes"`
}

// ResponseTime is the response-time indicator (waktu respon).
type ResponseTime struct {
	Complaints []AgencyResponse `json:"complaints"`
	// Overall is every complaint of the range once, whatever its agency
	// (Agency ""); with an agency filter, that agency's row.
	Overall   AgencyResponse  `json:"complaints_overall"`
	Proposals ProposalAnswers `json:"proposals"`
	Live      LiveAnswers     `json:"live_questions"`
	Latency   []RouteLatency  `json:"latency"`
}

type complaintRow struct {
	ID         int64      `bun:"id"`
	Agency     *string    `bun:"agency"`
	Status     string     `bun:"status"`
	Received   time.Time  `bun:"received_at"`
	First      *time.Time `bun:"first_response_at"`
	Answered   *time.Time `bun:"answered_at"`
	PausedNS   int64      `bun:"paused_ns"`
	Complex    bool       `bun:"complex"`
	Response   *int       `bun:"response_days"`
	Resolution *int       `bun:"resolution_days"`
}

// complaintResponses computes AgencyResponse per agency, ordered by agency
// name, and over every complaint once (Agency ""), with cal the
// working-day calendar and now the clock for open complaints.
func complaintResponses(ctx context.Context, db bun.IDB, cal *workday.Calendar, from, to, now time.Time) ([]AgencyResponse, AgencyResponse, error) {
	var rows []complaintRow
	err := db.NewRaw(`SELECT c.id, a.name AS agency, c.status, c.received_at, c.first_response_at, c.answered_at,
		c.paused_ns, c.complex, t.response_days, t.resolution_days FROM complaints c
		LEFT JOIN complaint_routes r ON r.complaint_id = c.id
		LEFT JOIN complaint_agencies a ON a.id = r.agency_id
		LEFT JOIN complaint_topics t ON t.id = c.topic_id
		WHERE c.received_at >= ? AND c.received_at < ? AND c.status NOT IN (?, ?)`,
		from, to, complaint.StatusRejected, complaint.StatusMerged).Scan(ctx, &rows)
	if err != nil {
		return nil, AgencyResponse{}, fmt.Errorf("complaint response times: %w", err)
	}
	by := map[string]*responseAcc{}
	all := &responseAcc{}
	seen := map[int64]bool{}
	for _, c := range rows {
		name := ""
		if c.Agency != nil {
			name = *c.Agency
		}
		a := by[name]
		if a == nil {
			a = &responseAcc{AgencyResponse: AgencyResponse{Agency: name}}
			by[name] = a
		}
		a.add(c, cal, now)
		if !seen[c.ID] { // a complaint routed to two agencies counts once overall
			seen[c.ID] = true
			all.add(c, cal, now)
		}
	}
	out := make([]AgencyResponse, 0, len(by))
	for _, a := range by {
		out = append(out, a.result())
	}
	slices.SortFunc(out, func(p, q AgencyResponse) int { return cmp.Compare(p.Agency, q.Agency) })
	return out, all.result(), nil
}

// responseAcc gathers one AgencyResponse's complaints.
type responseAcc struct {
	AgencyResponse
	first, res                     []float64
	inResp, dueResp, inRes, dueRes int
}

// add counts complaint c, with cal the working-day calendar and now the
// clock for open complaints.
func (a *responseAcc) add(c complaintRow, cal *workday.Calendar, now time.Time) {
	a.Complaints++
	if complaint.AnsweredBeforeReceived(c.Received, c.First, c.Answered) {
		a.Excluded++
		return
	}
	respDays, resDays := complaint.DefaultResponseDays, complaint.DefaultResolutionDays
	if c.Response != nil {
		respDays, resDays = *c.Response, *c.Resolution
	}
	if c.Complex {
		resDays = max(resDays, complaint.ComplexResolutionDays)
	}
	// The deadline rule of complaint.Store.Stats: n working days after receipt.
	within := func(end *time.Time, days int) (in, due bool) {
		deadline := cal.Deadline(c.Received, days)
		if end == nil {
			return false, now.After(deadline)
		}
		return !end.After(deadline), true
	}
	if c.First != nil {
		a.first = append(a.first, c.First.Sub(c.Received).Hours())
	} else {
		a.Pending++
	}
	if in, due := within(c.First, respDays); due {
		a.dueResp++
		if in {
			a.inResp++
		}
	}
	if c.Answered != nil {
		a.res = append(a.res, c.Answered.Sub(c.Received).Hours())
	}
	if in, due := within(c.Answered, resDays); due {
		a.dueRes++
		if in {
			a.inRes++
		}
	}
}

func (a *responseAcc) result() AgencyResponse {
	r := a.AgencyResponse
	r.FirstResponse, r.Resolution = spreadOf(a.first), spreadOf(a.res)
	r.WithinResponse, r.WithinResolution = share(a.inResp, a.dueResp), share(a.inRes, a.dueRes)
	return r
}

// proposalAnswers computes ProposalAnswers for [from, to).
func proposalAnswers(ctx context.Context, db bun.IDB, from, to time.Time) (ProposalAnswers, error) {
	var ps []struct {
		ID        int64      `bun:"id"`
		Threshold int        `bun:"threshold"`
		Imported  int        `bun:"imported_supports"`
		Created   time.Time  `bun:"created_at"`
		Answered  *time.Time `bun:"answered_at"`
	}
	err := db.NewRaw(`SELECT p.id, r.support_threshold AS threshold, p.imported_supports, p.created_at, p.answered_at
		FROM proposals p JOIN consultation_rules r ON r.consultation_id = p.consultation_id
		WHERE r.support_threshold > 0 AND p.supports >= r.support_threshold
		AND (p.answered_at IS NULL OR (p.answered_at >= ? AND p.answered_at < ?))`, from, to).Scan(ctx, &ps)
	if err != nil {
		return ProposalAnswers{}, fmt.Errorf("qualified proposals: %w", err)
	}
	var out ProposalAnswers
	var days []float64
	for _, p := range ps {
		if p.Answered == nil {
			out.Waiting++
			continue
		}
		passed := p.Created
		if need := p.Threshold - p.Imported; need > 0 {
			var at time.Time
			err := db.NewRaw(`SELECT created_at FROM supports WHERE proposal_id = ? ORDER BY created_at, participant_id
				LIMIT 1 OFFSET ?`, p.ID, need-1).Scan(ctx, &at)
			switch {
			case errors.Is(err, sql.ErrNoRows): // supports counted but not recorded one by one
			case err != nil:
				return out, fmt.Errorf("support %d of proposal %d: %w", need, p.ID, err)
			default:
				passed = at
			}
		}
		days = append(days, max(p.Answered.Sub(passed).Hours()/24, 0))
	}
	out.Days = spreadOf(days)
	return out, nil
}

// liveAnswers computes LiveAnswers for [from, to).
func liveAnswers(ctx context.Context, db bun.IDB, from, to time.Time) (LiveAnswers, error) {
	var out LiveAnswers
	err := db.NewRaw(`SELECT COUNT(*) AS questions, COALESCE(SUM(CASE WHEN answered THEN 1 ELSE 0 END), 0) AS answered
		FROM live_questions WHERE status IN ('approved', 'archived') AND created_at >= ? AND created_at < ?`,
		from, to).Scan(ctx, &out.Questions, &out.Answered)
	if err != nil {
		return out, fmt.Errorf("live questions answered: %w", err)
	}
	out.Share = share(out.Answered, out.Questions)
	var times []struct {
		Asked    time.Time `bun:"created_at"`
		Answered time.Time `bun:"answered_at"`
	}
	err = db.NewRaw(`SELECT created_at, answered_at FROM live_questions WHERE status IN ('approved', 'archived') AND answered
		AND answered_at IS NOT NULL AND created_at >= ? AND created_at < ?`, from, to).Scan(ctx, &times)
	if err != nil {
		return out, fmt.Errorf("live answer times: %w", err)
	}
	mins := make([]float64, 0, len(times))
	for _, t := range times {
		mins = append(mins, max(t.Answered.Sub(t.Asked).Minutes(), 0))
	}
	out.Minutes = spreadOf(mins)
	return out, nil
}
