package polls

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// surveyMigration creates the survey tables. One response per participant
// is enforced by unique keys: survey_responses (survey_id, participant_id)
// for named surveys (participant_id is NULL in anonymous ones, and NULLs
// never collide), and survey_respondents (survey_id, participant_id) for
// every survey, which records only that someone answered, never which
// response is theirs.
var surveyMigration = storage.Migration{
	Name: "20261129020100", Comment: "create_surveys",
	Up: []string{
		`CREATE TABLE surveys (
			id {{id}},
			consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
			title TEXT NOT NULL,
			description TEXT NOT NULL,
			anonymous BOOLEAN NOT NULL,
			locked BOOLEAN NOT NULL,
			opens_at {{time}} NOT NULL,
			closes_at {{time}} NOT NULL,
			created_at {{time}} NOT NULL)`,
		`CREATE INDEX surveys_consultation ON surveys (consultation_id, opens_at)`,
		`CREATE TABLE survey_questions (
			id {{id}},
			survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
			position INTEGER NOT NULL,
			code VARCHAR(40) NOT NULL,
			kind VARCHAR(20) NOT NULL,
			text TEXT NOT NULL,
			required BOOLEAN NOT NULL,
			spec TEXT NOT NULL)`,
		`CREATE UNIQUE INDEX survey_questions_position ON survey_questions (survey_id, position)`,
		`CREATE UNIQUE INDEX survey_questions_code ON survey_questions (survey_id, code)`,
		`CREATE TABLE survey_responses (
			id VARCHAR(32) PRIMARY KEY,
			survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
			participant_id BIGINT REFERENCES participants (id) ON DELETE CASCADE,
			answers TEXT NOT NULL,
			answered_at {{time}})`,
		`CREATE UNIQUE INDEX survey_responses_participant ON survey_responses (survey_id, participant_id)`,
		`CREATE TABLE survey_respondents (
			survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
			participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
			PRIMARY KEY (survey_id, participant_id))`,
	},
	Down: []string{`DROP TABLE survey_respondents`, `DROP TABLE survey_responses`,
		`DROP TABLE survey_questions`, `DROP TABLE surveys`},
}

// CreateSurvey validates s and qs (see CheckQuestions and the limits) and
// stores them in one transaction, setting s.ID, the questions' ids and
// s.CreatedAt. OpensAt and ClosesAt are converted to UTC and ClosesAt is
// truncated to the minute; ClosesAt must be after OpensAt. It returns a
// errs.Invalid *errs.Error for bad input. v is the author, recorded in
// the audit log in the same transaction (the zero Viewer for the command
// line).
func (st *Store) CreateSurvey(ctx context.Context, v forum.Viewer, s *Survey, qs []Question) error {
	if err := checkSettings(s); err != nil {
		return err
	}
	if err := CheckQuestions(qs); err != nil {
		return err
	}
	return st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := insertSurvey(ctx, tx, s, now); err != nil {
			return err
		}
		for i := range qs {
			qs[i].SurveyID = s.ID
			if _, err := tx.NewInsert().Model(&qs[i]).Returning("id").Exec(ctx); err != nil {
				return fmt.Errorf("insert question %s of survey %d: %w", qs[i].Code, s.ID, err)
			}
		}
		return auditSurvey(ctx, tx, v, "survey_create", s, s.Title, now)
	})
}

// SurveyByID returns survey id and its questions in order, or
// errs.ErrNotFound.
func SurveyByID(ctx context.Context, db bun.IDB, id int64) (*Survey, []Question, error) {
	s := new(Survey)
	err := db.NewSelect().Model(s).Where("id = ?", id).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("survey %d: %w", id, err)
	}
	s.OpensAt, s.ClosesAt, s.CreatedAt = s.OpensAt.UTC(), s.ClosesAt.UTC(), s.CreatedAt.UTC()
	var qs []Question
	if err := db.NewSelect().Model(&qs).Where("survey_id = ?", id).Order("position").Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("questions of survey %d: %w", id, err)
	}
	return s, qs, nil
}

// SurveysOf lists the surveys of consultation cid, latest opening first.
func SurveysOf(ctx context.Context, db bun.IDB, cid int64) ([]Survey, error) {
	var ss []Survey
	err := db.NewSelect().Model(&ss).Where("consultation_id = ?", cid).Order("opens_at DESC", "id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("surveys of %d: %w", cid, err)
	}
	return ss, nil
}
