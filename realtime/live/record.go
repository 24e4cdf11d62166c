package live

import (
	"context"
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/uptrace/bun"
)

// Record is a session's record for analysts: every question (whatever its
// status), every upvote, every poll with its result and every poll answer.
// Participants appear as pseudonyms ("P1", "P2", ...) numbered within the
// session, so analysts can link a person's questions, upvotes and answers
// without learning who they are; AuthorName is the name shown live ("" for
// anonymous questions). An anonymous question has no pseudonym (Participant
// ""), and a person who only asked anonymously gets no number, so nothing in
// a record links an anonymous question to its asker's other rows.
type Record struct {
	Session   *Session         `json:"session"`
	Questions []RecordQuestion `json:"questions"`
	Upvotes   []RecordUpvote   `json:"upvotes"`
	Polls     []*PollView      `json:"polls"`
	Answers   []RecordAnswer   `json:"answers"`
}

// RecordQuestion is a question with its asker's pseudonym ("" when the
// question is anonymous).
type RecordQuestion struct {
	*Question
	Participant string `json:"participant"`
}

// RecordUpvote is one upvote still standing (taken-back upvotes leave no
// row; merged questions' upvotes moved to their target).
type RecordUpvote struct {
	QuestionID  int64     `json:"question_id"`
	Participant string    `json:"participant"`
	CreatedAt   time.Time `json:"created_at"`
}

// RecordAnswer is one participant's last answer to a poll.
type RecordAnswer struct {
	PollID      int64     `json:"poll_id"`
	Participant string    `json:"participant"`
	Answer      Answer    `json:"answer"`
	AnsweredAt  time.Time `json:"answered_at"`
}

// Record reads session id's record in one read transaction. Errors:
// ErrNotFound.
func (s *Service) Record(ctx context.Context, id int64) (*Record, error) {
	rec := &Record{Questions: []RecordQuestion{}, Upvotes: []RecordUpvote{}, Polls: []*PollView{}, Answers: []RecordAnswer{}}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if rec.Session, err = sessionWhere(ctx, tx, "id = ?", id); err != nil {
			return err
		}
		var qs []*Question
		if err := tx.NewSelect().Model(&qs).Where("session_id = ?", id).Order("id").Scan(ctx); err != nil {
			return err
		}
		var ups []upvote
		if err := tx.NewSelect().Model(&ups).Where("question_id IN (SELECT id FROM live_questions WHERE session_id = ?)", id).
			Order("question_id", "created_at", "participant_id").Scan(ctx); err != nil {
			return err
		}
		var ps []*Poll
		if err := tx.NewSelect().Model(&ps).Where("session_id = ?", id).Order("id").Scan(ctx); err != nil {
			return err
		}
		var ans []pollAnswer
		if err := tx.NewSelect().Model(&ans).Where("poll_id IN (SELECT id FROM live_polls WHERE session_id = ?)", id).
			Order("poll_id", "answered_at", "participant_id").Scan(ctx); err != nil {
			return err
		}
		alias := pseudonyms(qs, ups, ans)
		for _, q := range qs {
			name := ""
			if q.ParticipantID != nil && !q.Anonymous {
				name = alias[*q.ParticipantID]
			}
			rec.Questions = append(rec.Questions, RecordQuestion{Question: q, Participant: name})
		}
		for _, u := range ups {
			rec.Upvotes = append(rec.Upvotes, RecordUpvote{QuestionID: u.QuestionID, Participant: alias[u.ParticipantID], CreatedAt: u.CreatedAt})
		}
		for _, p := range ps {
			mod, _, err := s.pollViews(ctx, tx, p)
			if err != nil {
				return err
			}
			rec.Polls = append(rec.Polls, mod)
		}
		for _, a := range ans {
			var v Answer
			_ = json.Unmarshal([]byte(a.Answer), &v)
			rec.Answers = append(rec.Answers, RecordAnswer{PollID: a.PollID, Participant: alias[a.ParticipantID], Answer: v, AnsweredAt: a.AnsweredAt})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// pseudonyms numbers the participants of a record in ascending id order,
// leaving out the askers of anonymous questions (unless they also appear
// under their own name).
func pseudonyms(qs []*Question, ups []upvote, ans []pollAnswer) map[int64]string {
	seen := map[int64]bool{}
	for _, q := range qs {
		if q.ParticipantID != nil && !q.Anonymous {
			seen[*q.ParticipantID] = true
		}
	}
	for _, u := range ups {
		seen[u.ParticipantID] = true
	}
	for _, a := range ans {
		seen[a.ParticipantID] = true
	}
	ids := make([]int64, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := make(map[int64]string, len(ids))
	for i, id := range ids {
		out[id] = "P" + strconv.Itoa(i+1)
	}
	return out
}

// RecordParts returns the tables of a record's CSV export, in order.
func RecordParts() []string { return []string{"questions", "upvotes", "polls", "answers"} }

// WriteCSV writes one part of rec (see RecordParts) as RFC 4180 CSV with a
// header; every cell passes through forum.SafeCell, so no cell starts a
// spreadsheet formula. The "polls" part has one row per option (or rating
// value, or word) with its count and share. Errors: ErrNotFound for an
// unknown part, or the writer's error.
func (rec *Record) WriteCSV(w io.Writer, part string) error {
	var rows [][]string
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	ts := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	switch part {
	case "questions":
		rows = append(rows, []string{"id", "status", "answered", "merged_into", "upvotes", "author", "participant", "text", "created_at"})
		for _, q := range rec.Questions {
			into := ""
			if q.MergedInto != nil {
				into = i64(*q.MergedInto)
			}
			rows = append(rows, []string{i64(q.ID), q.Status, strconv.FormatBool(q.Answered), into, strconv.Itoa(q.Upvotes),
				q.AuthorName, q.Participant, q.Text, ts(q.CreatedAt)})
		}
	case "upvotes":
		rows = append(rows, []string{"question_id", "participant", "created_at"})
		for _, u := range rec.Upvotes {
			rows = append(rows, []string{i64(u.QuestionID), u.Participant, ts(u.CreatedAt)})
		}
	case "polls":
		rows = append(rows, []string{"poll_id", "kind", "question", "state", "answers", "option", "count", "share"})
		for _, p := range rec.Polls {
			for _, l := range resultLines(p) {
				rows = append(rows, []string{i64(p.ID), p.Kind, p.Question, p.State, strconv.Itoa(p.Answers), l.label,
					strconv.Itoa(l.count), strconv.FormatFloat(l.share, 'f', 4, 64)})
			}
		}
	case "answers":
		rows = append(rows, []string{"poll_id", "participant", "options", "rating", "text", "answered_at"})
		for _, a := range rec.Answers {
			opts := make([]string, len(a.Answer.Options))
			for i, o := range a.Answer.Options {
				opts[i] = strconv.Itoa(o)
			}
			rating := ""
			if a.Answer.Rating > 0 {
				rating = strconv.Itoa(a.Answer.Rating)
			}
			rows = append(rows, []string{i64(a.PollID), a.Participant, strings.Join(opts, " "), rating, a.Answer.Text, ts(a.AnsweredAt)})
		}
	default:
		return ErrNotFound
	}
	cw := forum.NewCSVWriter(w)
	for _, r := range rows {
		if err := cw.Write(r...); err != nil {
			return err
		}
	}
	return cw.Flush()
}

type resultLine struct {
	label string
	count int
	share float64
}

// resultLines flattens a poll's result: one line per option, rating value
// or word; a poll without answers still has its options (count 0).
func resultLines(p *PollView) []resultLine {
	var out []resultLine
	r := p.Result
	switch {
	case r == nil:
	case r.Count != nil:
		for i, label := range p.Options {
			if i < len(r.Count.Votes) {
				out = append(out, resultLine{label, r.Count.Votes[i], r.Count.Shares[i]})
			}
		}
	case r.Rating != nil:
		for k, n := range r.Rating.Distribution {
			out = append(out, resultLine{strconv.Itoa(r.Rating.Scale.Min + k), n, r.Rating.Shares[k]})
		}
	default:
		total := 0
		for _, w := range r.Words {
			total += w.Count
		}
		for _, w := range r.Words {
			share := 0.0
			if total > 0 {
				share = float64(w.Count) / float64(total)
			}
			out = append(out, resultLine{w.Word, w.Count, share})
		}
	}
	if len(out) == 0 {
		out = append(out, resultLine{})
	}
	return out
}
