package polls

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

// Response is one participant's stored answers. ParticipantID is 0 and
// AnsweredAt is nil in anonymous surveys, whose responses are written in
// shuffled batches (AnonymousBatch); ID is random.
type Response struct {
	bun.BaseModel `bun:"table:survey_responses"`

	ID            string     `bun:"id,pk"`
	SurveyID      int64      `bun:"survey_id,notnull"`
	ParticipantID int64      `bun:"participant_id,nullzero"`
	Answers       string     `bun:"answers,notnull"`
	AnsweredAt    *time.Time `bun:"answered_at"`
}

// respondent records that a participant answered a survey, and nothing else.
type respondent struct {
	bun.BaseModel `bun:"table:survey_respondents"`

	SurveyID      int64 `bun:"survey_id,pk"`
	ParticipantID int64 `bun:"participant_id,pk"`
}

// Outcomes of Submit.
const (
	Stored   = "stored"   // a first response was stored
	Replaced = "replaced" // the participant's earlier answers were replaced
)

// Errors of Submit, each an errs.Conflict *errs.Error with key
// "poll.error.<name>".
var (
	ErrNotOpen  = errs.E(errs.Conflict, "poll.error.not_open", nil)
	ErrClosed   = errs.E(errs.Conflict, "poll.error.closed", nil)
	ErrAnswered = errs.E(errs.Conflict, "poll.error.already_answered", nil)
	ErrChanged  = errs.E(errs.Conflict, "poll.error.changed", nil)
)

// Submit records viewer v's answers a to survey s (with questions qs) at
// the Store's time, in one transaction; v's participant answers (guests
// answer too). It returns Stored or
// Replaced. No audit row is written: it would link an anonymous answer to
// its author.
//
// In an anonymous survey that transaction writes the respondent row and
// puts the answers in the pool; once a batch (Options.Batch, at least
// AnonymousBatch) waits there,
// they are written to survey_responses in random order by a transaction of
// their own (flushPool), so no response shares a transaction, a time or a
// row order with its respondent. That second step failing does not fail the
// submission: the answer is stored and the next flush takes it.
//
// s and qs are the survey and questions the participant answered. The
// transaction reads the survey and its questions again, holding the
// survey's row in share mode on PostgreSQL (SQLite has one writer), so the
// builder's edits (lockSurvey) and the answer run one after the other: an
// answer is never stored against questions edited meanwhile, and a survey
// closed or locked meanwhile refuses it. Every check below uses what that
// transaction read.
//
// The right to answer is decided in that transaction too (forum.Can write
// on the survey's poll, the facts read again there: forum.InTx): the
// consultation must be open with polls on in its current phase and v not
// blocked there, so a consultation closed or a phase moved on between the
// form and the answer refuses it (errs.Forbidden "error.feature_closed")
// and writes nothing; a participant-less v is errs.Forbidden
// "error.sign_in_required".
//
// It refuses with ErrNotOpen before OpensAt and ErrClosed from Deadline()
// on, wherever the request comes from; with ErrChanged when the questions
// are no longer qs; with an errs.Invalid error for answers that
// CleanAnswers rejects; and with ErrAnswered when pid has already answered
// a survey that is not Editable. Uniqueness is decided by the database's
// unique keys, so concurrent submissions of one participant leave exactly
// one response and never count twice.
func (st *Store) Submit(ctx context.Context, v forum.Viewer, s *Survey, qs []Question, a Answers) (string, error) {
	pid := v.ParticipantID
	outcome := Stored
	var cur *Survey
	err := st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		var fresh []Question
		var err error
		if cur, fresh, err = shareSurvey(ctx, tx, s.ID); err != nil {
			return err
		}
		// The consultation (its status) and its stage are read in tx by
		// Can (forum.InTx): only the id is needed here.
		it := forum.Item{Kind: forum.ItemPoll, Consultation: &forum.Consultation{ID: cur.ConsultationID}, Stage: &forum.Stage{}, Guests: true}
		if err := forum.Can(ctx, v, forum.ActWrite, it); err != nil {
			return err
		}
		if now.Before(cur.OpensAt) {
			return ErrNotOpen
		}
		if !cur.Open(now) {
			return ErrClosed
		}
		if !sameQuestions(fresh, qs) {
			return ErrChanged
		}
		clean, err := CleanAnswers(fresh, a)
		if err != nil {
			return err
		}
		body, err := json.Marshal(clean)
		if err != nil {
			return fmt.Errorf("encode answers: %w", err)
		}
		s := cur
		res, err := tx.NewInsert().Model(&respondent{SurveyID: s.ID, ParticipantID: pid}).
			On("CONFLICT (survey_id, participant_id) DO NOTHING").Exec(ctx)
		if err != nil {
			return fmt.Errorf("mark respondent %d of survey %d: %w", pid, s.ID, err)
		}
		first, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if first == 0 && !s.Editable() {
			return ErrAnswered
		}
		if s.Anonymous {
			// The response waits in the pool; flushPool writes it with its
			// batch in another transaction (response_pool.go).
			_, err = tx.NewInsert().Model(&pooled{ID: forum.NewPublicID(), SurveyID: s.ID, Answers: string(body)}).Exec(ctx)
		} else {
			r := &Response{ID: forum.NewPublicID(), SurveyID: s.ID, Answers: string(body), ParticipantID: pid, AnsweredAt: &now}
			_, err = tx.NewInsert().Model(r).
				On("CONFLICT (survey_id, participant_id) DO UPDATE").
				Set("answers = EXCLUDED.answers").Set("answered_at = EXCLUDED.answered_at").Exec(ctx)
		}
		if err != nil {
			return fmt.Errorf("store response of survey %d: %w", s.ID, err)
		}
		if first == 0 {
			outcome = Replaced
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if cur.Anonymous {
		st.flush(ctx, s.ID)
	}
	return outcome, nil
}

// shareSurvey reads survey sid and its questions in tx for Submit, holding
// the survey's row in share mode on PostgreSQL: answers do not wait for
// each other, but a builder edit (lockSurvey, FOR UPDATE) waits for them
// and they for it.
func shareSurvey(ctx context.Context, tx bun.Tx, sid int64) (*Survey, []Question, error) {
	s, err := surveyLocked(ctx, tx, sid, "SHARE")
	if err != nil {
		return nil, nil, err
	}
	var qs []Question
	if err := tx.NewSelect().Model(&qs).Where("survey_id = ?", sid).Order("position").Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("questions of survey %d: %w", sid, err)
	}
	return s, qs, nil
}

// sameQuestions reports whether a and b are the same questions in the same
// order, with the same settings.
func sameQuestions(a, b []Question) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// flushAttempts is how often Submit tries to write a complete batch.
const flushAttempts = 3

// flush writes survey sid's pool once a batch (st.batch) is complete. The
// answer is already committed in the pool, so a flush that fails leaves
// the batch there, whole, and is tried again (flushAttempts in all, then by
// the next answer's flush or by SettlePools after the deadline): the answer is
// neither lost nor doubled. A failure is logged, never silent, with the
// survey and the number of answers waiting (no answer, no participant).
func (st *Store) flush(ctx context.Context, sid int64) {
	var err error
	for attempt := 1; attempt <= flushAttempts; attempt++ {
		if _, err = flushPool(ctx, st.db, sid, st.batch); err == nil {
			return
		}
		if ctx.Err() != nil {
			break
		}
		time.Sleep(time.Duration(attempt) * 20 * time.Millisecond)
	}
	waiting, cerr := st.db.NewSelect().Model((*pooled)(nil)).Where("survey_id = ?", sid).Count(ctx)
	if cerr != nil {
		waiting = -1
	}
	st.log.ErrorContext(ctx, "anonymous survey batch not written; its answers stay in the pool for the next flush",
		"survey", sid, "waiting", waiting, "batch", st.batch, "err", err)
}

// HasAnswered reports whether participant pid has answered survey sid.
func HasAnswered(ctx context.Context, db bun.IDB, sid, pid int64) (bool, error) {
	n, err := db.NewSelect().Model((*respondent)(nil)).
		Where("survey_id = ? AND participant_id = ?", sid, pid).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("respondent %d of survey %d: %w", pid, sid, err)
	}
	return n > 0, nil
}

// AnswersOf returns participant pid's stored answers to named survey sid, or
// nil when there are none (always nil for an anonymous survey).
func AnswersOf(ctx context.Context, db bun.IDB, sid, pid int64) (Answers, error) {
	r := new(Response)
	err := db.NewSelect().Model(r).Where("survey_id = ? AND participant_id = ?", sid, pid).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("answers of %d to survey %d: %w", pid, sid, err)
	}
	var a Answers
	if err := json.Unmarshal([]byte(r.Answers), &a); err != nil {
		return nil, fmt.Errorf("decode response %s: %w", r.ID, err)
	}
	return a, nil
}

// AllAnswers returns the responses to survey s, ordered by the random
// response id (a fixed order that reveals nothing about time or person).
// It only reads. For an open anonymous survey these are the complete
// batches: up to a batch less one (Options.Batch) may still wait in the pool. Once
// s is closed at now, the pool's rest is read with them (it carries random
// ids too), so every response counts before Store.SettlePools writes it.
func AllAnswers(ctx context.Context, db bun.IDB, s *Survey, now time.Time) ([]Answers, error) {
	var rows []Response
	q := db.NewSelect().Model(&rows).Column("id", "answers").Where("survey_id = ?", s.ID)
	if s.Anonymous && !now.Before(s.Deadline()) {
		q.UnionAll(db.NewSelect().Model((*pooled)(nil)).Column("id", "answers").Where("survey_id = ?", s.ID))
	}
	if err := db.NewRaw("SELECT id, answers FROM (?) AS r ORDER BY id", q).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("responses of survey %d: %w", s.ID, err)
	}
	out := make([]Answers, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal([]byte(r.Answers), &out[i]); err != nil {
			return nil, fmt.Errorf("decode response %s: %w", r.ID, err)
		}
	}
	return out, nil
}
