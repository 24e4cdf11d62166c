package live

import (
	"time"

	"github.com/uptrace/bun"
)

// Session is one live Q&A session of a consultation. Code is the short join
// code (6 characters of an alphabet without look-alikes). FocusGroupID, when
// set, restricts the session to that group (see canSee). Version grows by
// one on every change of the session's own fields, so clients apply session
// events in order.
type Session struct {
	bun.BaseModel `bun:"table:live_sessions"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	ConsultationID int64     `bun:"consultation_id,notnull" json:"consultation_id"`
	FocusGroupID   *int64    `bun:"focus_group_id" json:"focus_group_id,omitempty"`
	Code           string    `bun:"code,notnull" json:"code"`
	Title          string    `bun:"title,notnull" json:"title"`
	AllowGuests    bool      `bun:"allow_guests,notnull" json:"allow_guests"`
	AllowAnonymous bool      `bun:"allow_anonymous,notnull" json:"allow_anonymous"`
	Premoderate    bool      `bun:"premoderate,notnull" json:"premoderate"`
	PerMinute      int       `bun:"questions_per_minute,notnull" json:"questions_per_minute"`
	Open           bool      `bun:"open,notnull" json:"open"`
	StageID        *int64    `bun:"stage_question_id" json:"stage_question_id"`
	Version        int64     `bun:"version,notnull" json:"version"`
	CreatedAt      time.Time `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at,notnull" json:"updated_at"`
}

// Session settings: AllowGuests lets visitors who are not signed in ask,
// upvote and vote; AllowAnonymous lets askers hide their name from everyone
// but moderators; Premoderate holds new questions as pending until a
// moderator approves them (otherwise they show at once: post-moderation);
// PerMinute caps the questions one participant may ask in any 60 s window
// (0 or less means DefaultQuestionsPerMinute).

// DefaultQuestionsPerMinute is the rate limit of a session that sets none.
const DefaultQuestionsPerMinute = 3

// Question statuses. Pending and hidden questions are seen by moderators
// only; archived ones are kept for the record and shown nowhere live; merged
// ones point to the question they were merged into (MergedInto).
const (
	StatusPending  = "pending"
	StatusApproved = "approved"
	StatusHidden   = "hidden"
	StatusArchived = "archived"
	StatusMerged   = "merged"
)

// Question is one question of a live session. AuthorName is "" for
// anonymous questions (Anonymous), whose ParticipantID is kept for the rate
// limit only and never exported. Upvotes is the number of rows in live_upvotes for the
// question, kept in the upvote's transaction. Version grows by one on every
// change (including upvotes), so clients apply events by id and version.
type Question struct {
	bun.BaseModel `bun:"table:live_questions"`

	ID            int64  `bun:"id,pk,autoincrement" json:"id"`
	SessionID     int64  `bun:"session_id,notnull" json:"-"`
	ParticipantID *int64 `bun:"participant_id" json:"-"`
	AuthorName    string `bun:"author_name,notnull" json:"author"`
	Anonymous     bool   `bun:"anonymous,notnull" json:"anonymous"`
	Text          string `bun:"text,notnull" json:"text"`
	Status        string `bun:"status,notnull" json:"status"`
	Answered      bool   `bun:"answered,notnull" json:"answered"`
	// AnsweredAt is when a moderator marked it answered (nil otherwise,
	// and for questions marked before the column existed).
	AnsweredAt *time.Time `bun:"answered_at" json:"-"`
	MergedInto *int64     `bun:"merged_into" json:"merged_into,omitempty"`
	Upvotes    int        `bun:"upvotes,notnull" json:"upvotes"`
	Version    int64      `bun:"version,notnull" json:"version"`
	CreatedAt  time.Time  `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt  time.Time  `bun:"updated_at,notnull" json:"-"`
}

// Public reports whether every participant may see q.
func (q *Question) Public() bool { return q.Status == StatusApproved }

// Poll kinds.
const (
	KindSingle   = "single"   // one option (plurality)
	KindMultiple = "multiple" // any number of options (approval)
	KindRating   = "rating"   // an integer from 1 to 5
	KindWords    = "words"    // a short free answer, shown as a word cloud
)

// Poll states: a draft is prepared, an open poll takes answers, a closed
// one keeps its result. Shown puts the result on the presenter view and the
// participants' pages.
const (
	PollDraft  = "draft"
	PollOpen   = "open"
	PollClosed = "closed"
)

// RatingMax is the top of the rating scale (1 to RatingMax).
const RatingMax = 5

// Poll is one live poll. Options is a JSON array of option labels (empty for
// rating and word polls). Answers counts the participants who answered.
type Poll struct {
	bun.BaseModel `bun:"table:live_polls"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	SessionID int64     `bun:"session_id,notnull" json:"-"`
	Kind      string    `bun:"kind,notnull" json:"kind"`
	Question  string    `bun:"question,notnull" json:"question"`
	Options   []string  `bun:"options,notnull,type:text" json:"options"`
	State     string    `bun:"state,notnull" json:"state"`
	Shown     bool      `bun:"shown,notnull" json:"shown"`
	Answers   int       `bun:"answers,notnull" json:"answers"`
	Version   int64     `bun:"version,notnull" json:"version"`
	CreatedAt time.Time `bun:"created_at,notnull" json:"created_at"`
}

// pollAnswer is one participant's answer: JSON of []int option indices,
// an int rating, or a string.
type pollAnswer struct {
	bun.BaseModel `bun:"table:live_poll_answers"`

	PollID        int64     `bun:"poll_id,pk"`
	ParticipantID int64     `bun:"participant_id,pk"`
	Answer        string    `bun:"answer,notnull"`
	AnsweredAt    time.Time `bun:"answered_at,notnull"`
}

type upvote struct {
	bun.BaseModel `bun:"table:live_upvotes"`

	QuestionID    int64     `bun:"question_id,pk"`
	ParticipantID int64     `bun:"participant_id,pk"`
	CreatedAt     time.Time `bun:"created_at,notnull"`
}
