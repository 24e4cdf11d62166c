package polls

import (
	"time"

	"github.com/uptrace/bun"
)

// Kind is a question type.
type Kind string

// The question types. A poll is a survey of one question.
const (
	KindSingle   Kind = "single"   // one option (plurality)
	KindMultiple Kind = "multiple" // Min..Max distinct options (approval)
	KindRanked   Kind = "ranked"   // options in order of preference (IRV, Borda or Schulze)
	KindRating   Kind = "rating"   // 1–5 stars
	KindLikert   Kind = "likert"   // several items, each on a 1–5 agreement scale
	KindNPS      Kind = "nps"      // 0–10 "how likely are you to recommend"
	KindText     Kind = "text"     // open text
	KindWords    Kind = "words"    // a short answer counted in a word cloud
	KindYesNo    Kind = "yesno"    // yes or no
)

// Kinds lists every question type.
func Kinds() []Kind {
	return []Kind{KindSingle, KindMultiple, KindRanked, KindRating, KindLikert, KindNPS, KindText, KindWords, KindYesNo}
}

// Ranked-choice counting methods (Question.Method).
const (
	MethodIRV     = "irv"
	MethodBorda   = "borda"
	MethodSchulze = "schulze"
)

// Fixed scales of the scale question types.
const (
	RatingMin, RatingMax = 1, 5
	LikertMin, LikertMax = 1, 5
	NPSMin, NPSMax       = 0, 10
)

// Length and size limits, in characters (runes) and counts. SQLite does not
// enforce VARCHAR lengths, so these are checked in code on every database
// (CASES C09).
const (
	MaxTitleRunes    = 300
	MaxTextRunes     = 1000 // question text and description
	MaxOptionRunes   = 200
	MaxOptions       = 50
	MaxQuestions     = 100
	MaxCodeRunes     = 40
	MaxAnswerRunes   = 2000 // open text answer
	MaxWordRunes     = 60   // word-cloud answer
	MaxDescriptRunes = 5000
)

// Survey is a poll or survey (jajak pendapat / survei): an ordered set of
// questions answered once per participant between OpensAt (inclusive) and the
// end of the minute ClosesAt (see Open). Times are stored in UTC.
//
// Anonymous surveys keep no link from a response to a participant: who has
// answered is kept in a separate table without the response id, and their
// answers cannot be edited. Locked surveys refuse a second submission from the
// same participant; otherwise a participant may change their answers until
// the close.
type Survey struct {
	bun.BaseModel `bun:"table:surveys"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	ConsultationID int64     `bun:"consultation_id,notnull" json:"consultation_id"`
	Title          string    `bun:"title,notnull" json:"title"`
	Description    string    `bun:"description,notnull" json:"description"`
	Anonymous      bool      `bun:"anonymous,notnull" json:"anonymous"`
	Locked         bool      `bun:"locked,notnull" json:"locked"`
	OpensAt        time.Time `bun:"opens_at,notnull" json:"opens_at"`
	ClosesAt       time.Time `bun:"closes_at,notnull" json:"closes_at"`
	CreatedAt      time.Time `bun:"created_at,notnull" json:"created_at"`
}

// Open reports whether answers are accepted at now: OpensAt <= now and now is
// before the end of the minute ClosesAt. ClosesAt is stored at minute
// precision, so "closes at 23:59" accepts a vote at 23:59:30 and refuses one
// at 00:00:30 (CASES C03), whatever the voter's time zone.
func (s *Survey) Open(now time.Time) bool {
	return !now.Before(s.OpensAt) && now.Before(s.Deadline())
}

// Deadline is the first instant at which answers are refused: ClosesAt plus
// one minute.
func (s *Survey) Deadline() time.Time { return s.ClosesAt.Add(time.Minute) }

// Editable reports whether a participant may replace their answers while the
// survey is open.
func (s *Survey) Editable() bool { return !s.Anonymous && !s.Locked }

// Condition shows a question only when an earlier question's answer matches:
// for single, multiple, ranked and yes/no questions when the answer includes
// option Value (0-based; yes is 0, no is 1); for rating and NPS questions
// when the answer equals Value.
type Condition struct {
	Question string `json:"question"`
	Value    int    `json:"value"`
}

// Spec is the type-specific part of a question, stored as JSON.
type Spec struct {
	// Options are the choices of single, multiple and ranked questions.
	Options []string `json:"options,omitempty"`
	// Items are the statements (rows) of a Likert matrix.
	Items []string `json:"items,omitempty"`
	// Min and Max bound the selections of a multiple question; Max 0 means
	// up to every option.
	Min int `json:"min,omitempty"`
	Max int `json:"max,omitempty"`
	// Method is the counting method of a ranked question (MethodIRV by default).
	Method string `json:"method,omitempty"`
	// ShowIf, when set, shows the question only when the condition holds.
	ShowIf *Condition `json:"show_if,omitempty"`
	// Satisfaction marks a rating, Likert or NPS question as measuring the
	// respondents' satisfaction with the service: the satisfaction
	// indicator (polls/indicators) reports it. Other kinds ignore it.
	Satisfaction bool `json:"satisfaction,omitempty"`
}

// Satisfies reports whether q counts in the satisfaction indicator: a
// rating, Likert or NPS question tagged Spec.Satisfaction.
func (q *Question) Satisfies() bool {
	return q.Spec.Satisfaction && (q.Kind == KindRating || q.Kind == KindLikert || q.Kind == KindNPS)
}

// Question is one question of a survey. Code is stable and unique within
// the survey (conditions and exports use it); Position orders the questions
// from 0.
type Question struct {
	bun.BaseModel `bun:"table:survey_questions"`

	ID       int64  `bun:"id,pk,autoincrement" json:"-"`
	SurveyID int64  `bun:"survey_id,notnull" json:"-"`
	Position int    `bun:"position,notnull" json:"position"`
	Code     string `bun:"code,notnull" json:"code"`
	Kind     Kind   `bun:"kind,notnull" json:"kind"`
	Text     string `bun:"text,notnull" json:"text"`
	Required bool   `bun:"required,notnull" json:"required"`
	Spec     Spec   `bun:"spec,type:text,notnull" json:"spec"`
}

// Choices returns the number of options of a choice question: len(Options),
// 2 for yes/no, and 0 for the other kinds.
func (q *Question) Choices() int {
	switch q.Kind {
	case KindSingle, KindMultiple, KindRanked:
		return len(q.Spec.Options)
	case KindYesNo:
		return 2
	}
	return 0
}

// Answer is one question's answer. Choices holds the 0-based options of
// single (one), multiple (Min..Max distinct), ranked (distinct, most
// preferred first, may stop early) and yes/no (one: 0 yes, 1 no) questions;
// Value the score of rating and NPS questions; Items the Likert values per
// item (0 = not answered); Text the open-text or word-cloud answer.
type Answer struct {
	Choices []int  `json:"c,omitempty"`
	Value   *int   `json:"v,omitempty"`
	Items   []int  `json:"i,omitempty"`
	Text    string `json:"t,omitempty"`
}

// Answers maps question codes to answers. A question without an entry is
// not answered.
type Answers map[string]Answer
