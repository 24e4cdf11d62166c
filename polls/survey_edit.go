package polls

import (
	"context"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum/errs"
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
// which adds them one by one (EditQuestions). Settings are checked as in
// CreateSurvey; s.ID and s.CreatedAt are set.
func CreateEmptySurvey(ctx context.Context, db bun.IDB, s *Survey, now time.Time) error {
	if err := checkSettings(s); err != nil {
		return err
	}
	s.CreatedAt = now.UTC()
	if _, err := db.NewInsert().Model(s).Returning("id").Exec(ctx); err != nil {
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

// lockSurvey takes survey sid's row lock in tx on PostgreSQL (SQLite has one
// writer, which is lock enough), so that builder edits of one survey run one
// after the other, and returns the survey's response count. It returns
// errs.ErrNotFound for a missing survey.
func lockSurvey(ctx context.Context, tx bun.Tx, sid int64) (int, error) {
	q := tx.NewSelect().Model((*Survey)(nil)).Column("id").Where("id = ?", sid)
	if tx.Dialect().Name().String() == "pg" {
		q = q.For("UPDATE")
	}
	n, err := q.Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("lock survey %d: %w", sid, err)
	}
	if n == 0 {
		return 0, errs.ErrNotFound
	}
	return ResponseCount(ctx, tx, sid)
}

// UpdateSurvey saves the settings of survey s.ID (title, description,
// anonymous, locked, opens, closes), checked as in CreateSurvey. Once the
// survey has responses, a change of Anonymous or Locked returns
// ErrSettingsLocked and nothing is saved.
func UpdateSurvey(ctx context.Context, db bun.IDB, s *Survey) error {
	if err := checkSettings(s); err != nil {
		return err
	}
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := lockSurvey(ctx, tx, s.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			old := new(Survey)
			if err := tx.NewSelect().Model(old).Where("id = ?", s.ID).Scan(ctx); err != nil {
				return fmt.Errorf("survey %d: %w", s.ID, err)
			}
			if old.Anonymous != s.Anonymous || old.Locked != s.Locked {
				return ErrSettingsLocked
			}
		}
		_, err = tx.NewUpdate().Model(s).Column("title", "description", "anonymous", "locked", "opens_at", "closes_at").
			WherePK().Exec(ctx)
		if err != nil {
			return fmt.Errorf("update survey %d: %w", s.ID, err)
		}
		return nil
	})
}

// SetSurveyTimes moves survey sid's opening or closing time, for the
// builder's "open now" and "close now": opens and closes replace the stored
// times when not zero, and ClosesAt must still come after OpensAt.
func SetSurveyTimes(ctx context.Context, db bun.IDB, sid int64, opens, closes time.Time) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockSurvey(ctx, tx, sid); err != nil {
			return err
		}
		s := new(Survey)
		if err := tx.NewSelect().Model(s).Where("id = ?", sid).Scan(ctx); err != nil {
			return fmt.Errorf("survey %d: %w", sid, err)
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
		_, err := tx.NewUpdate().Model(s).Column("opens_at", "closes_at").WherePK().Exec(ctx)
		return err
	})
}

// EditQuestions replaces the questions of survey sid by edit's result, in
// one transaction: edit receives the current questions in order and returns
// the new list (or an error, which is returned as is). The new list is
// checked by CheckQuestions (an empty list is allowed while the survey is
// being built). It returns ErrQuestionsLocked once the survey has
// responses, and errs.ErrNotFound for a missing survey.
func EditQuestions(ctx context.Context, db bun.IDB, sid int64, edit func([]Question) ([]Question, error)) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := lockSurvey(ctx, tx, sid)
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
		return replaceQuestions(ctx, tx, sid, out)
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
// closes, without any responses. It returns the copy.
func DuplicateSurvey(ctx context.Context, db bun.IDB, sid int64, title string, opens, closes, now time.Time) (*Survey, error) {
	var cp *Survey
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		s, qs, err := SurveyByID(ctx, tx, sid)
		if err != nil {
			return err
		}
		cp = &Survey{ConsultationID: s.ConsultationID, Title: title, Description: s.Description,
			Anonymous: s.Anonymous, Locked: s.Locked, OpensAt: opens, ClosesAt: closes}
		if err := CreateEmptySurvey(ctx, tx, cp, now); err != nil {
			return err
		}
		return replaceQuestions(ctx, tx, cp.ID, qs)
	})
	if err != nil {
		return nil, err
	}
	return cp, nil
}
