package report

import (
	"context"
	"fmt"
	"time"

	"github.com/rembug/rembug/polls"
	"github.com/uptrace/bun"
)

// Poll statuses, as the poll results API reports them.
const (
	PollOpen    = "open"
	PollNotOpen = "not_open"
	PollClosed  = "closed"
)

// Poll is one poll or survey of the consultation with its results, counted
// by polls.Results exactly as its own results page (/survei/{id}/results)
// counts them, so winners and orders agree. The report shows what
// polls.Disclose lets every output show: aggregates, no open-text answer.
type Poll struct {
	ID          int64                  `json:"id"`
	Title       string                 `json:"title"`
	Anonymous   bool                   `json:"anonymous"`
	Status      string                 `json:"status"`
	OpensAt     time.Time              `json:"opens_at"`
	ClosesAt    time.Time              `json:"closes_at"`
	Respondents int                    `json:"respondents"`
	Questions   []polls.QuestionResult `json:"questions"`
}

// loadPolls computes the results of every poll and survey of consultation
// cid, earliest opening first, with their status at now, disclosed with
// k = minCell (polls.Disclose).
func loadPolls(ctx context.Context, db bun.IDB, cid int64, now time.Time, minCell int) ([]Poll, error) {
	ss, err := polls.SurveysOf(ctx, db, cid)
	if err != nil {
		return nil, err
	}
	out := make([]Poll, 0, len(ss))
	for i := len(ss) - 1; i >= 0; i-- { // SurveysOf lists the latest first
		sv, qs, err := polls.SurveyByID(ctx, db, ss[i].ID)
		if err != nil {
			return nil, err
		}
		all, err := polls.AllAnswers(ctx, db, sv, now)
		if err != nil {
			return nil, err
		}
		res, err := polls.Results(qs, all)
		if err != nil {
			return nil, fmt.Errorf("results of survey %d: %w", sv.ID, err)
		}
		polls.Disclose(sv, res, minCell)
		if res == nil {
			res = []polls.QuestionResult{}
		}
		status := PollOpen
		if now.Before(sv.OpensAt) {
			status = PollNotOpen
		} else if !sv.Open(now) {
			status = PollClosed
		}
		out = append(out, Poll{ID: sv.ID, Title: sv.Title, Anonymous: sv.Anonymous, Status: status,
			OpensAt: sv.OpensAt, ClosesAt: sv.ClosesAt, Respondents: len(all), Questions: res})
	}
	return out, nil
}
