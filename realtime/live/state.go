package live

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"

	"github.com/uptrace/bun"
)

// State is the full state of a session as one audience sees it: the body of
// the websocket snapshot and the data of the pages.
type State struct {
	Session   *Session    `json:"session"`
	Questions []*Question `json:"questions"`
	Polls     []*PollView `json:"polls"`
}

// Stage returns the question on stage, or nil.
func (st *State) Stage() *Question {
	if st.Session.StageID == nil {
		return nil
	}
	for _, q := range st.Questions {
		if q.ID == *st.Session.StageID {
			return q
		}
	}
	return nil
}

// Top returns up to n approved, unanswered questions, most upvoted first
// (then oldest first), leaving out the one on stage.
func (st *State) Top(n int) []*Question {
	var out []*Question
	for _, q := range st.Questions {
		if q.Status == StatusApproved && !q.Answered && (st.Session.StageID == nil || *st.Session.StageID != q.ID) {
			out = append(out, q)
		}
	}
	SortTop(out)
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// SortTop orders questions by upvotes, most first, then by id.
func SortTop(qs []*Question) {
	sort.SliceStable(qs, func(i, j int) bool {
		if qs[i].Upvotes != qs[j].Upvotes {
			return qs[i].Upvotes > qs[j].Upvotes
		}
		return qs[i].ID < qs[j].ID
	})
}

// Shown returns the poll whose result is on the presenter view, or nil.
func (st *State) Shown() *PollView {
	for _, p := range st.Polls {
		if p.Shown {
			return p
		}
	}
	return nil
}

// OpenPoll returns the poll taking answers, or nil.
func (st *State) OpenPoll() *PollView {
	for _, p := range st.Polls {
		if p.State == PollOpen {
			return p
		}
	}
	return nil
}

// LoadState reads session id's state: with mod, every question but merged
// ones and every poll with its result; otherwise approved questions and
// polls that are not drafts, with results only while shown. Questions come
// newest first. Errors: ErrNotFound.
func (s *Service) LoadState(ctx context.Context, id int64, mod bool) (*State, error) {
	var st *State
	// One read transaction, so the snapshot is consistent.
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		sess, err := sessionWhere(ctx, tx, "id = ?", id)
		if err != nil {
			return err
		}
		st = &State{Session: sess, Questions: []*Question{}, Polls: []*PollView{}}
		q := tx.NewSelect().Model(&st.Questions).Where("session_id = ?", id).Order("id DESC")
		if mod {
			q.Where("status <> ?", StatusMerged)
		} else {
			q.Where("status = ?", StatusApproved)
		}
		if err := q.Scan(ctx); err != nil {
			return err
		}
		var ps []*Poll
		if err := tx.NewSelect().Model(&ps).Where("session_id = ?", id).Order("id").Scan(ctx); err != nil {
			return err
		}
		for _, p := range ps {
			mv, pv, err := s.pollViews(ctx, tx, p)
			if err != nil {
				return err
			}
			if mod {
				st.Polls = append(st.Polls, mv)
			} else if pv != nil {
				st.Polls = append(st.Polls, pv)
			}
		}
		return nil
	})
	return st, err
}

// Snapshot is the realtime.SnapshotFunc of live channels: the State of the
// channel's audience as JSON.
func (s *Service) Snapshot(ctx context.Context, channel string) (json.RawMessage, error) {
	id, mod, ok := ParseChannel(channel)
	if !ok {
		return nil, ErrNotFound
	}
	st, err := s.LoadState(ctx, id, mod)
	if err != nil {
		return nil, err
	}
	return json.Marshal(st)
}

// Mine is one participant's own state in a session: the questions they
// upvoted, the questions they asked and their poll answers (keyed by poll id). It is sent to that
// participant only.
type Mine struct {
	Upvoted []int64           `json:"upvoted"`
	Answers map[string]Answer `json:"answers"`
	// Asked is what the participant asked in the session, newest first,
	// whatever its status (a pending or hidden question too: it is their
	// own), merged questions left out.
	Asked []*Question `json:"asked"`
}

// MineOf reads participant pid's own state in session id (empty for pid 0).
func (s *Service) MineOf(ctx context.Context, id, pid int64) (*Mine, error) {
	m := &Mine{Upvoted: []int64{}, Answers: map[string]Answer{}, Asked: []*Question{}}
	if pid == 0 {
		return m, nil
	}
	err := s.db.NewSelect().Model(&m.Asked).Where("session_id = ? AND participant_id = ? AND status <> ?", id, pid, StatusMerged).
		Order("id DESC").Scan(ctx)
	if err != nil {
		return nil, err
	}
	err = s.db.NewSelect().Model((*upvote)(nil)).Column("question_id").
		Where("participant_id = ? AND question_id IN (SELECT id FROM live_questions WHERE session_id = ?)", pid, id).
		Order("question_id").Scan(ctx, &m.Upvoted)
	if err != nil {
		return nil, err
	}
	var rows []pollAnswer
	err = s.db.NewSelect().Model(&rows).
		Where("participant_id = ? AND poll_id IN (SELECT id FROM live_polls WHERE session_id = ?)", pid, id).Scan(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		var a Answer
		if json.Unmarshal([]byte(r.Answer), &a) == nil {
			m.Answers[strconv.FormatInt(r.PollID, 10)] = a
		}
	}
	return m, nil
}

// SendMine sends participant pid's own state as a private "mine" message to
// every connection of user (the identity of realtime.HandlerOptions.User) on
// the session's public channel, on every node: through the Broker
// (Hub.PublishToUser), never broadcast to other viewers. It returns the
// message so the caller can also answer an HTTP request with it; a failure
// to deliver is logged, not returned (the state is committed and the
// viewer's next page or snapshot carries it).
func (s *Service) SendMine(ctx context.Context, id, pid int64, user string) (*Mine, error) {
	m, err := s.MineOf(ctx, id, pid)
	if err != nil || s.hub == nil || user == "" {
		return m, err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	if err := s.hub.PublishToUser(context.WithoutCancel(ctx), Channel(id, false), user, "mine", b); err != nil {
		s.log.Warn("live: send mine", "session", id, "err", err)
	}
	return m, nil
}

// Upvoted is the outcome of one upvote for the participant who made it:
// after the commit, question Question is upvoted by them when On is true
// and not upvoted when false (whether or not the request changed it). It
// is a fact about one question, so it can be applied to a Mine in any
// order relative to other questions' facts.
type Upvoted struct {
	Question int64 `json:"question"`
	On       bool  `json:"on"`
}

// SendUpvoted sends the outcome of participant user's committed upvote of
// question qid in session id as a private "upvoted" message to every
// connection of user on the session's public channel, on every node
// (Hub.PublishToUser), never broadcast. It reads nothing: the upvote's
// commit (Upvote returned nil) already established the fact. It returns the
// message, for the HTTP reply; a failure to deliver is logged (the viewer's
// next page or "mine" message carries the state).
func (s *Service) SendUpvoted(ctx context.Context, id, qid int64, on bool, user string) Upvoted {
	u := Upvoted{Question: qid, On: on}
	if s.hub == nil || user == "" {
		return u
	}
	b, err := json.Marshal(u)
	if err == nil {
		err = s.hub.PublishToUser(context.WithoutCancel(ctx), Channel(id, false), user, "upvoted", b)
	}
	if err != nil {
		s.log.Warn("live: send upvoted", "session", id, "err", err)
	}
	return u
}
