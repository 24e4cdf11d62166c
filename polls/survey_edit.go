package polls

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// The lock rule of the survey builder: a survey's questions (their kinds,
// options, order, conditions) and its anonymous and locked settings can be
// changed only until the first response is stored. Stored answers name
// options by index and questions by code, so changing them afterwards would
// silently change what people answered. Title, description and times stay
// editable; to change the questions of an answered survey, duplicate it.
var (
	// ErrQuestionsLocked is returned by EditQuestions once survey has
	// responses.
	ErrQuestionsLocked = errs.E(errs.Conflict, "poll.error.questions_locked", nil)
	// ErrSettingsLocked is returned by UpdateSurvey for a change of
	// Anonymous or Locked once the survey has responses.
	ErrSettingsLocked = errs.E(errs.Conflict, "poll.error.settings_locked", nil)
)

// checkSettings validates and normalises the settings of s: title 1–300
// runes, description at most 5,000, both times set with ClosesAt after
// OpensAt. Times are converted to UTC, OpensAt truncated to the second and
// ClosesAt to the minute; an anonymous survey is always locked. It returns
// an errs.Invalid *errs.Error.
func checkSettings(s *Survey) error {
	if err := checkText("title", s.Title, MaxTitleRunes, true); err != nil {
		return err
	}
	if err := checkText("description", s.Description, MaxDescriptRunes, false); err != nil {
		return err
	}
	if s.OpensAt.IsZero() || s.ClosesAt.IsZero() {
		return invalid("no_times", nil)
	}
	s.OpensAt = s.OpensAt.UTC().Truncate(time.Second)
	s.ClosesAt = s.ClosesAt.UTC().Truncate(time.Minute)
	if !s.ClosesAt.After(s.OpensAt) {
		return invalid("bad_times", nil)
	}
	if s.Anonymous {
		s.Locked = true
	}
	return nil
}

// CreateEmptySurvey stores survey s without questions, for the builder,
// which adds them one by one (EditQuestions), with v's audit log entry in
// the same transaction. Settings are checked as in CreateSurvey; s.ID and
// s.CreatedAt are set.
func (st *Store) CreateEmptySurvey(ctx context.Context, v forum.Viewer, s *Survey) error {
	if err := checkSettings(s); err != nil {
		return err
	}
	return st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := insertSurvey(ctx, tx, s, now); err != nil {
			return err
		}
		return auditSurvey(ctx, tx, v, "survey_create", s, s.Title, now)
	})
}

// insertSurvey inserts s, created at now, in tx and sets s.ID.
func insertSurvey(ctx context.Context, tx bun.Tx, s *Survey, now time.Time) error {
	s.CreatedAt = now.UTC()
	if _, err := tx.NewInsert().Model(s).Returning("id").Exec(ctx); err != nil {
		s.ID = 0
		return fmt.Errorf("insert survey: %w", err)
	}
	return nil
}

// ResponseCount returns the number of stored responses to survey sid: its
// respondents, so that an anonymous survey's answers still waiting for
// their batch (AnonymousBatch) count too.
func ResponseCount(ctx context.Context, db bun.IDB, sid int64) (int, error) {
	n, err := db.NewSelect().Model((*respondent)(nil)).Where("survey_id = ?", sid).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("responses of survey %d: %w", sid, err)
	}
	return int(n), nil
}

// lockSurvey reads survey sid in tx, taking its row lock on PostgreSQL
// (SQLite has one writer, which is lock enough), so that builder edits of
// one survey run one after the other, and returns it with its response
// count. It returns errs.ErrNotFound for a missing survey.
func lockSurvey(ctx context.Context, tx bun.Tx, sid int64) (*Survey, int, error) {
	s, err := surveyLocked(ctx, tx, sid, "UPDATE")
	if err != nil {
		return nil, 0, err
	}
	n, err := ResponseCount(ctx, tx, sid)
	return s, n, err
}

// surveyLocked reads survey sid in tx holding its row in mode ("UPDATE"
// for the builder's edits, "SHARE" for answers) on PostgreSQL; SQLite has
// one writer, which is lock enough. It returns errs.ErrNotFound for a
// missing survey.
func surveyLocked(ctx context.Context, tx bun.Tx, sid int64, mode string) (*Survey, error) {
	s := new(Survey)
	q := tx.NewSelect().Model(s).Where("id = ?", sid)
	if storage.Postgres(tx) {
		q = q.For(mode)
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("lock survey %d: %w", sid, err)
	}
	return s, nil
}

// UpdateSurvey saves the settings of survey s.ID (title, description,
// anonymous, locked, opens, closes), checked as in CreateSurvey. Once the
// survey has responses, a change of Anonymous or Locked returns
// ErrSettingsLocked and nothing is saved. v's audit log entry is written
// in the same transaction.
func (st *Store) UpdateSurvey(ctx context.Context, v forum.Viewer, s *Survey) error {
	if err := checkSettings(s); err != nil {
		return err
	}
	return st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		old, n, err := lockSurvey(ctx, tx, s.ID)
		if err != nil {
			return err
		}
		if n > 0 && (old.Anonymous != s.Anonymous || old.Locked != s.Locked) {
			return ErrSettingsLocked
		}
		s.ConsultationID = old.ConsultationID
		_, err = tx.NewUpdate().Model(s).Column("title", "description", "anonymous", "locked", "opens_at", "closes_at").
			WherePK().Exec(ctx)
		if err != nil {
			return fmt.Errorf("update survey %d: %w", s.ID, err)
		}
		return auditSurvey(ctx, tx, v, "survey_update", s, s.Title, now)
	})
}

// SetSurveyTimes moves survey sid's opening or closing time, for the
// builder's "open now" and "close now": opens and closes replace the stored
// times when not zero, and ClosesAt must still come after OpensAt. v's
// audit log entry is written in the same transaction.
func (st *Store) SetSurveyTimes(ctx context.Context, v forum.Viewer, sid int64, opens, closes time.Time) error {
	return st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		s, _, err := lockSurvey(ctx, tx, sid)
		if err != nil {
			return err
		}
		if !opens.IsZero() {
			s.OpensAt = opens
		}
		if !closes.IsZero() {
			s.ClosesAt = closes
		}
		if err := checkSettings(s); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(s).Column("opens_at", "closes_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("survey %d times: %w", sid, err)
		}
		return auditSurvey(ctx, tx, v, "survey_times", s, s.OpensAt.Format(time.RFC3339)+" – "+s.ClosesAt.Format(time.RFC3339), now)
	})
}

// EditQuestions replaces the questions of survey sid by edit's result, in
// one transaction: edit receives the current questions in order and returns
// the new list (or an error, which is returned as is). The new list is
// checked by CheckQuestions (an empty list is allowed while the survey is
// being built). It returns ErrQuestionsLocked once the survey has
// responses, and errs.ErrNotFound for a missing survey. v's audit log entry
// is written in the same transaction.
func (st *Store) EditQuestions(ctx context.Context, v forum.Viewer, sid int64, edit func([]Question) ([]Question, error)) error {
	return st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		s, n, err := lockSurvey(ctx, tx, sid)
		if err != nil {
			return err
		}
		if n > 0 {
			return ErrQuestionsLocked
		}
		var qs []Question
		if err := tx.NewSelect().Model(&qs).Where("survey_id = ?", sid).Order("position").Scan(ctx); err != nil {
			return fmt.Errorf("questions of survey %d: %w", sid, err)
		}
		out, err := edit(qs)
		if err != nil {
			return err
		}
		if len(out) > 0 {
			if err := CheckQuestions(out); err != nil {
				return err
			}
		}
		if err := replaceQuestions(ctx, tx, sid, out); err != nil {
			return err
		}
		return auditSurvey(ctx, tx, v, "survey_questions", s, fmt.Sprintf("%d questions", len(out)), now)
	})
}

// replaceQuestions deletes survey sid's questions and inserts qs in order.
func replaceQuestions(ctx context.Context, tx bun.Tx, sid int64, qs []Question) error {
	if _, err := tx.NewDelete().Model((*Question)(nil)).Where("survey_id = ?", sid).Exec(ctx); err != nil {
		return fmt.Errorf("clear questions of survey %d: %w", sid, err)
	}
	for i := range qs {
		qs[i].ID, qs[i].SurveyID, qs[i].Position = 0, sid, i
		if _, err := tx.NewInsert().Model(&qs[i]).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert question %s of survey %d: %w", qs[i].Code, sid, err)
		}
	}
	return nil
}

// DuplicateSurvey copies survey sid and its questions into a new survey of
// the same consultation titled title, opening and closing at opens and
// closes, without any responses, with v's audit log entry in the same
// transaction. It returns the copy.
func (st *Store) DuplicateSurvey(ctx context.Context, v forum.Viewer, sid int64, title string, opens, closes time.Time) (*Survey, error) {
	var cp *Survey
	err := st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		s, qs, err := SurveyByID(ctx, tx, sid)
		if err != nil {
			return err
		}
		cp = &Survey{ConsultationID: s.ConsultationID, Title: title, Description: s.Description,
			Anonymous: s.Anonymous, Locked: s.Locked, OpensAt: opens, ClosesAt: closes}
		if err := checkSettings(cp); err != nil {
			return err
		}
		if err := insertSurvey(ctx, tx, cp, now); err != nil {
			return err
		}
		if err := replaceQuestions(ctx, tx, cp.ID, qs); err != nil {
			return err
		}
		return auditSurvey(ctx, tx, v, "survey_duplicate", cp, fmt.Sprintf("from survey %d", sid), now)
	})
	if err != nil {
		return nil, err
	}
	return cp, nil
}

// ReplaceQuestion returns qs with the question of code replaced by q, in
// the same place, for the builder's edit form; an empty q.Code keeps code.
// When q renames the question, every condition that pointed at code points
// at the new code, so a rename is followed rather than refused. It returns
// errs.ErrNotFound when no question has code. It changes qs in place; the
// result is checked by EditQuestions like any edit (a duplicate code, for
// one, is refused there).
func ReplaceQuestion(qs []Question, code string, q Question) ([]Question, error) {
	i := slices.IndexFunc(qs, func(x Question) bool { return x.Code == code })
	if i < 0 {
		return nil, errs.ErrNotFound
	}
	if q.Code == "" {
		q.Code = code
	}
	if q.Code != code {
		for j := range qs {
			if c := qs[j].Spec.ShowIf; j != i && c != nil && c.Question == code {
				moved := *c
				moved.Question = q.Code
				qs[j].Spec.ShowIf = &moved
			}
		}
	}
	qs[i] = q
	return qs, nil
}
