package live

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls/tally"
	"github.com/uptrace/bun"
)

// PollInput is a new poll: Options are the choices of single and multiple
// choice polls (2 to 10 non-empty labels), none for rating and word polls.
type PollInput struct {
	Kind     string
	Question string
	Options  []string
}

// CreatePoll adds moderator v's draft poll to sess, with its audit row.
// v's right to moderate sess is decided inside the write's transaction
// (authorizeModerate). Errors: ErrPollInvalid, ErrNotFound, forum.Can's
// errs.Forbidden error.
func (s *Service) CreatePoll(ctx context.Context, v forum.Viewer, sess *Session, in PollInput) (*Poll, error) {
	in.Question = strings.TrimSpace(in.Question)
	if in.Question == "" || utf8.RuneCountInString(in.Question) > MaxQuestionLength {
		return nil, ErrPollInvalid
	}
	var opts []string
	for _, o := range in.Options {
		if o = strings.TrimSpace(o); o != "" {
			opts = append(opts, o)
		}
	}
	switch in.Kind {
	case KindSingle, KindMultiple:
		if len(opts) < 2 || len(opts) > 10 {
			return nil, ErrPollInvalid
		}
	case KindRating, KindWords:
		opts = []string{}
	default:
		return nil, ErrPollInvalid
	}
	var p *Poll
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := authorizeModerate(ctx, v, sess); err != nil {
			return err
		}
		p = &Poll{SessionID: sess.ID, Kind: in.Kind, Question: in.Question, Options: opts, State: PollDraft,
			Version: 1, CreatedAt: now}
		if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
			return err
		}
		return audit(ctx, tx, v, auditPoll, "create", p.ID, sess, now, "")
	})
	if err != nil {
		return nil, err
	}
	s.publishPoll(ctx, p)
	return p, nil
}

// closedIfOpen is the state a poll takes when another one is launched.
func closedIfOpen(state string) string {
	if state == PollOpen {
		return PollClosed
	}
	return state
}

// Poll actions of the moderator.
const (
	PollLaunch = "launch" // draft or closed → open and shown; other open polls close, other shown ones leave the presenter view
	PollClose  = "close"  // open → closed
	PollShow   = "show"   // the result goes on the presenter view (one at a time)
	PollHide   = "hide"   // the result leaves it
)

// PollAction applies moderator v's action to poll id of sess, in one
// transaction with its audit row ("live_poll.<action>"), v's right to
// moderate sess decided inside it (authorizeModerate). Errors:
// ErrNotFound, ErrTransition, forum.Can's errs.Forbidden error.
func (s *Service) PollAction(ctx context.Context, v forum.Viewer, sess *Session, id int64, action string) error {
	var changed []*Poll
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		changed = nil
		if err := authorizeModerate(ctx, v, sess); err != nil {
			return err
		}
		var all []*Poll
		if err := tx.NewSelect().Model(&all).Where("session_id = ?", sess.ID).Order("id").Scan(ctx); err != nil {
			return err
		}
		var p *Poll
		for _, x := range all {
			if x.ID == id {
				p = x
			}
		}
		if p == nil {
			return ErrNotFound
		}
		switch action {
		case PollLaunch:
			if p.State == PollOpen {
				return ErrTransition
			}
			// Launching also puts the result on the presenter view, as
			// a hall expects (Slido shows a launched poll at once); the
			// moderator may still hide it.
			for _, x := range all {
				if x != p && (x.State == PollOpen || x.Shown) {
					x.State, x.Shown = closedIfOpen(x.State), false
					changed = append(changed, x)
				}
			}
			p.State, p.Shown = PollOpen, true
		case PollClose:
			if p.State != PollOpen {
				return ErrTransition
			}
			p.State = PollClosed
		case PollShow:
			if p.State == PollDraft || p.Shown {
				return ErrTransition
			}
			for _, x := range all {
				if x.Shown {
					x.Shown = false
					changed = append(changed, x)
				}
			}
			p.Shown = true
		case PollHide:
			if !p.Shown {
				return ErrTransition
			}
			p.Shown = false
		default:
			return ErrTransition
		}
		changed = append(changed, p)
		for _, x := range changed {
			x.Version++
			if _, err := tx.NewUpdate().Model(x).Column("state", "shown", "version").WherePK().Exec(ctx); err != nil {
				return err
			}
		}
		return audit(ctx, tx, v, auditPoll, action, p.ID, sess, now, "")
	})
	if err != nil {
		return err
	}
	for _, p := range changed {
		s.publishPoll(ctx, p)
	}
	return nil
}

// Answer is one participant's answer to a poll: Options (0-based indices)
// for choice polls, Rating (1 to RatingMax) for rating polls, Text (at most
// 40 characters) for word polls.
type Answer struct {
	Options []int  `json:"options,omitempty"`
	Rating  int    `json:"rating,omitempty"`
	Text    string `json:"text,omitempty"`
}

// Chose reports whether a (nil: no answer) picked option i (0-based) of a
// choice poll.
func (a *Answer) Chose(i int) bool {
	if a == nil {
		return false
	}
	for _, o := range a.Options {
		if o == i {
			return true
		}
	}
	return false
}

func (p *Poll) check(a *Answer) error {
	switch p.Kind {
	case KindSingle, KindMultiple:
		seen := map[int]bool{}
		for _, o := range a.Options {
			if o < 0 || o >= len(p.Options) || seen[o] {
				return ErrAnswer
			}
			seen[o] = true
		}
		if len(a.Options) == 0 || (p.Kind == KindSingle && len(a.Options) != 1) {
			return ErrAnswer
		}
		a.Rating, a.Text = 0, ""
	case KindRating:
		if a.Rating < 1 || a.Rating > RatingMax {
			return ErrAnswer
		}
		a.Options, a.Text = nil, ""
	case KindWords:
		a.Text = strings.TrimSpace(a.Text)
		if a.Text == "" || utf8.RuneCountInString(a.Text) > 40 {
			return ErrAnswer
		}
		a.Options, a.Rating = nil, 0
	}
	return nil
}

// AnswerPoll records (or replaces) viewer v's answer (by v's participant)
// to an open poll of an open session. v's right to answer is decided inside
// the write's transaction as for Ask (forum.Can write on the session, its
// facts read again there: forum.InTx). Errors: ErrNotFound, ErrPollNotOpen,
// ErrClosed, ErrAnswer, forum.Can's errs.Forbidden error.
func (s *Service) AnswerPoll(ctx context.Context, v forum.Viewer, sess *Session, id int64, a Answer) error {
	pid := v.ParticipantID
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		cur, err := sessionWhere(ctx, tx, "id = ?", sess.ID)
		if err != nil {
			return err
		}
		if !cur.Open {
			return ErrClosed
		}
		if err := authorizeWrite(ctx, v, cur); err != nil {
			return err
		}
		var p Poll
		if err := tx.NewSelect().Model(&p).Where("id = ? AND session_id = ?", id, sess.ID).Scan(ctx); err != nil {
			return ErrNotFound
		}
		if p.State != PollOpen {
			return ErrPollNotOpen
		}
		if err := p.check(&a); err != nil {
			return err
		}
		b, _ := json.Marshal(a)
		res, err := tx.NewUpdate().Model((*pollAnswer)(nil)).Set("answer = ?", string(b)).Set("answered_at = ?", now).
			Where("poll_id = ? AND participant_id = ?", id, pid).Exec(ctx)
		if err != nil {
			return err
		}
		inc := 0
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.NewInsert().Model(&pollAnswer{PollID: id, ParticipantID: pid, Answer: string(b), AnsweredAt: now}).Exec(ctx); err != nil {
				return err
			}
			inc = 1
		}
		_, err = tx.NewUpdate().Model(&p).Set("answers = answers + ?", inc).Set("version = version + 1").WherePK().Exec(ctx)
		return err
	})
	if err != nil {
		return err
	}
	s.counter('p', sess.ID, id)
	return nil
}

// Result is a poll's count by the rules of polls/tally: Count for choice
// polls (plurality or approval), Rating for rating polls, Words (top 30)
// for word polls.
type Result struct {
	Count  *tally.Count        `json:"count,omitempty"`
	Rating *tally.RatingResult `json:"rating,omitempty"`
	Words  []tally.WordCount   `json:"words,omitempty"`
}

// PollView is a poll with its result (nil when the viewer may not see it).
type PollView struct {
	*Poll
	Result *Result `json:"result,omitempty"`
}

// Results counts poll p's answers.
func Results(ctx context.Context, db bun.IDB, p *Poll) (*Result, error) {
	var rows []string
	if err := db.NewSelect().Model((*pollAnswer)(nil)).Column("answer").Where("poll_id = ?", p.ID).Order("participant_id").Scan(ctx, &rows); err != nil {
		return nil, err
	}
	answers := make([]Answer, 0, len(rows))
	for _, r := range rows {
		var a Answer
		if json.Unmarshal([]byte(r), &a) == nil {
			answers = append(answers, a)
		}
	}
	res := &Result{}
	switch p.Kind {
	case KindSingle:
		votes := make([]int, 0, len(answers))
		for _, a := range answers {
			if len(a.Options) == 1 {
				votes = append(votes, a.Options[0])
			}
		}
		c, err := tally.Plurality(len(p.Options), votes)
		if err != nil {
			return nil, err
		}
		res.Count = &c
	case KindMultiple:
		ballots := make([][]int, 0, len(answers))
		for _, a := range answers {
			ballots = append(ballots, a.Options)
		}
		c, err := tally.Approval(len(p.Options), ballots, tally.Selection{Min: 1})
		if err != nil {
			return nil, err
		}
		res.Count = &c
	case KindRating:
		vals := make([]int, 0, len(answers))
		for _, a := range answers {
			vals = append(vals, a.Rating)
		}
		r, err := tally.Rating(tally.Scale{Min: 1, Max: RatingMax}, vals)
		if err != nil {
			return nil, err
		}
		res.Rating = &r
	case KindWords:
		texts := make([]string, 0, len(answers))
		for _, a := range answers {
			texts = append(texts, a.Text)
		}
		res.Words = tally.WordCloud(texts, tally.WordOptions{Top: 30})
	}
	return res, nil
}

// pollViews returns the moderators' view of p (always with its result) and
// the public one: nil for a draft, the result only while shown.
func (s *Service) pollViews(ctx context.Context, db bun.IDB, p *Poll) (mod, pub *PollView, err error) {
	res, err := Results(ctx, db, p)
	if err != nil {
		return nil, nil, err
	}
	mod = &PollView{Poll: p, Result: res}
	if p.State == PollDraft {
		return mod, nil, nil
	}
	pub = &PollView{Poll: p}
	if p.Shown {
		pub.Result = res
	}
	return mod, pub, nil
}
