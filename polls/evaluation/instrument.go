package evaluation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
	"github.com/rembug/rembug/polls/indicators"
	"github.com/uptrace/bun"
)

// Instrument kinds: how a cycle collects its data beside the indicators
// (the plan's "instrumen pengumpulan data").
const (
	// InstrumentIKM is an IKM survey (PermenPANRB 14/2017): one service
	// unit's responses in one period.
	InstrumentIKM = "ikm"
	// InstrumentSurvey is a satisfaction survey: a survey with at least
	// one question tagged as measuring satisfaction (polls.Spec.Satisfaction).
	InstrumentSurvey = "survey"
	// InstrumentInterview is interview notes, with files (minutes,
	// transcripts) that only staff may open.
	InstrumentInterview = "interview"
)

// Limits of an interview's notes and files.
const (
	MaxInterviewNotes = 20000 // characters of notes
	MaxInterviewFiles = 10    // files per interview
)

// Instrument is one data-collection instrument of a cycle. For an IKM
// survey RefID is the unit (ikm_units) and Period its period ("2026-S1",
// ikm.ParsePeriod); for a survey RefID is the survey (surveys). Title is
// the unit's or survey's name when linked, or who was interviewed. An
// interview has the date it was held (HeldOn, "YYYY-MM-DD") and its Notes
// (plain text, up to MaxInterviewNotes characters), published with the
// report. ResultJSON is the linked survey's result (InstrumentResult)
// frozen when the cycle closed, nil while it is open and for interviews.
type Instrument struct {
	bun.BaseModel `bun:"table:evaluation_instruments"`

	ID         int64     `bun:"id,pk,autoincrement"`
	CycleID    int64     `bun:"cycle_id,notnull"`
	Kind       string    `bun:"kind,notnull"`
	RefID      int64     `bun:"ref_id,notnull"`
	Period     string    `bun:"period,notnull"`
	Title      string    `bun:"title,notnull"`
	HeldOn     string    `bun:"held_on,notnull"`
	Notes      string    `bun:"notes,notnull"`
	ResultJSON *string   `bun:"result"`
	CreatedBy  int64     `bun:"created_by,notnull"`
	CreatedAt  time.Time `bun:"created_at,notnull"`

	Files []InstrumentFile `bun:"-"`
}

// Frozen returns the result stored when the cycle closed, nil while the
// cycle is open (and always for an interview).
func (in *Instrument) Frozen() (*InstrumentResult, error) {
	if in.ResultJSON == nil {
		return nil, nil
	}
	var r InstrumentResult
	if err := json.Unmarshal([]byte(*in.ResultJSON), &r); err != nil {
		return nil, fmt.Errorf("result of instrument %d: %w", in.ID, err)
	}
	return &r, nil
}

// InstrumentFile is a file attached to an interview, stored in the
// database so that every node serves it. Name is forum.CleanFileName's,
// ContentType the type forum.CheckFile decided, Size in bytes, SHA256 the
// hex digest of the content. Data is filled only by InstrumentFileData.
type InstrumentFile struct {
	bun.BaseModel `bun:"table:evaluation_files"`

	ID           int64     `bun:"id,pk,autoincrement"`
	InstrumentID int64     `bun:"instrument_id,notnull"`
	Name         string    `bun:"name,notnull"`
	ContentType  string    `bun:"content_type,notnull"`
	Size         int64     `bun:"size,notnull"`
	SHA256       string    `bun:"sha256,notnull"`
	CreatedAt    time.Time `bun:"created_at,notnull"`
	Data         []byte    `bun:"data"`
}

// FileItem is an interview file as the access rule sees it: raw material
// of the evaluation that only staff read, published report or not.
func FileItem() forum.Item { return forum.Item{Kind: forum.ItemEvaluation, Published: false} }

// InstrumentResult is what a linked survey gave: its Respondents and
// either the IKM (an IKM survey; ikm.Result, IKM on 25–100 with grade
// A–D and the NRR of each element) or the scores of its satisfaction
// questions (a survey; indicators.SurveyScore, over all its responses).
// ComputedAt is when it was read.
type InstrumentResult struct {
	Respondents int                      `json:"respondents"`
	IKM         *ikm.Result              `json:"ikm,omitempty"`
	Survey      []indicators.SurveyScore `json:"survey,omitempty"`
	ComputedAt  time.Time                `json:"computed_at"`
}

// Redacted returns r for the public: no figures when fewer than
// indicators.MinCell people answered (the survey as a whole, or a
// question), as every public output pools small cells.
func (r *InstrumentResult) Redacted() *InstrumentResult {
	if r == nil {
		return nil
	}
	out := &InstrumentResult{Respondents: r.Respondents, ComputedAt: r.ComputedAt}
	if r.Respondents < indicators.MinCell {
		return out
	}
	out.IKM = r.IKM
	for _, q := range r.Survey {
		if q.Respondents < indicators.MinCell {
			q.Mean, q.Score = nil, nil
		}
		out.Survey = append(out.Survey, q)
	}
	return out
}

// ResultOf reads instrument in's result now from db (the live result of
// an open cycle; Close stores the same as the frozen one); nil for an
// interview.
func ResultOf(ctx context.Context, db bun.IDB, in *Instrument, now time.Time) (*InstrumentResult, error) {
	switch in.Kind {
	case InstrumentIKM:
		p, err := ikm.ParsePeriod(in.Period)
		if err != nil {
			return nil, fmt.Errorf("period of instrument %d: %w", in.ID, err)
		}
		rs, err := polls.IKMResponses(ctx, db, in.RefID, p)
		if err != nil {
			return nil, err
		}
		res := &InstrumentResult{Respondents: len(rs), ComputedAt: now}
		if len(rs) > 0 {
			r, err := ikm.Compute(rs)
			if err != nil {
				return nil, fmt.Errorf("ikm of instrument %d: %w", in.ID, err)
			}
			res.IKM = &r
		}
		return res, nil
	case InstrumentSurvey:
		n, err := db.NewSelect().Table("survey_responses").Where("survey_id = ?", in.RefID).Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("responses of survey %d: %w", in.RefID, err)
		}
		qs, err := indicators.SurveyResult(ctx, db, in.RefID)
		if err != nil {
			return nil, err
		}
		return &InstrumentResult{Respondents: int(n), Survey: qs, ComputedAt: now}, nil
	}
	return nil, nil
}

// Instruments returns cycle id's instruments, oldest first, interviews
// with their files (without content).
func Instruments(ctx context.Context, db bun.IDB, id int64) ([]Instrument, error) {
	out := []Instrument{}
	if err := db.NewSelect().Model(&out).Where("cycle_id = ?", id).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("instruments of cycle %d: %w", id, err)
	}
	if len(out) == 0 {
		return out, nil
	}
	at := map[int64]int{}
	ids := make([]int64, len(out))
	for i, in := range out {
		ids[i], at[in.ID] = in.ID, i
	}
	var fs []InstrumentFile
	if err := db.NewSelect().Model(&fs).ExcludeColumn("data").Where("instrument_id IN (?)", bun.In(ids)).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("files of cycle %d: %w", id, err)
	}
	for _, f := range fs {
		in := &out[at[f.InstrumentID]]
		in.Files = append(in.Files, f)
	}
	return out, nil
}

// InstrumentFileOf returns file id of cycle cycleID without its content,
// errs.ErrNotFound when the cycle has no such file. Whether the viewer may
// open it is FileItem's rule, the caller's to ask.
func InstrumentFileOf(ctx context.Context, db bun.IDB, cycleID, id int64) (*InstrumentFile, error) {
	var fs []InstrumentFile
	err := db.NewSelect().Model(&fs).ExcludeColumn("data").
		Where("id = ? AND instrument_id IN (SELECT id FROM evaluation_instruments WHERE cycle_id = ?)", id, cycleID).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("file %d: %w", id, err)
	}
	if len(fs) == 0 {
		return nil, errs.ErrNotFound
	}
	return &fs[0], nil
}

// InstrumentFileData returns f's content.
func InstrumentFileData(ctx context.Context, db bun.IDB, f *InstrumentFile) ([]byte, error) {
	var data []byte
	if err := db.NewSelect().Model((*InstrumentFile)(nil)).Column("data").Where("id = ?", f.ID).Scan(ctx, &data); err != nil {
		return nil, fmt.Errorf("content of file %d: %w", f.ID, err)
	}
	return data, nil
}

// SurveyChoice is a survey that can be linked as a satisfaction survey:
// it has at least one question tagged as measuring satisfaction.
type SurveyChoice struct {
	ID           int64  `bun:"id"`
	Title        string `bun:"title"`
	Consultation string `bun:"consultation"`
}

// SatisfactionSurveys lists the surveys with a question tagged as
// measuring satisfaction, newest first, with their consultation's title.
// Whether a viewer may read each is the caller's to ask (SurveySource).
func SatisfactionSurveys(ctx context.Context, db bun.IDB) ([]SurveyChoice, error) {
	var out []SurveyChoice
	err := db.NewRaw(`SELECT s.id, s.title, c.title AS consultation FROM surveys s JOIN consultations c ON c.id = s.consultation_id
		WHERE EXISTS (SELECT 1 FROM survey_questions q WHERE q.survey_id = s.id AND q.spec LIKE ?) ORDER BY s.id DESC`,
		`%"satisfaction":true%`).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("satisfaction surveys: %w", err)
	}
	return out, nil
}

// SurveySource returns the item whose read right decides who sees survey
// id's results: the survey (forum.ItemPoll) of its consultation, so that a
// focus group's survey stays with the group in every report.
func SurveySource(ctx context.Context, db bun.IDB, id int64) (forum.Item, error) {
	var cid int64
	err := db.NewSelect().Table("surveys").Column("consultation_id").Where("id = ?", id).Scan(ctx, &cid)
	if errors.Is(err, sql.ErrNoRows) {
		return forum.Item{}, errs.ErrNotFound
	}
	if err != nil {
		return forum.Item{}, fmt.Errorf("survey %d: %w", id, err)
	}
	c, err := forum.ConsultationByRef(ctx, db, strconv.FormatInt(cid, 10))
	if err != nil {
		return forum.Item{}, err
	}
	return forum.Item{Kind: forum.ItemPoll, Consultation: c}, nil
}

// trimInterview trims an interview's title, date and notes.
func trimInterview(in *Instrument) {
	in.Title, in.HeldOn, in.Notes = strings.TrimSpace(in.Title), strings.TrimSpace(in.HeldOn), strings.TrimSpace(in.Notes)
}
