package rancangan

import (
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
)

// Stances of an input on a unit.
const (
	StanceAgree    = "setuju"
	StanceDisagree = "tidak_setuju"
	StanceAmend    = "usul_ubah" // comes with an amendment text
)

// Stances lists the stances in display order.
var Stances = []string{StanceAgree, StanceDisagree, StanceAmend}

// Decisions of the drafters on an input; "" is not yet answered.
const (
	DecisionAccepted    = "diterima"
	DecisionPartly      = "diterima_sebagian"
	DecisionRejected    = "tidak_diterima"
	DecisionOutOfScope  = "di_luar_lingkup"
	DecisionUnanswered  = ""
	MaxTitleRunes       = 300
	MaxInputRunes       = 4000
	MaxAmendmentRunes   = 8000
	MaxReasonRunes      = 4000
	MaxVersionNoteRunes = 1000
	// MaxBulkAnswer bounds how many inputs one answer covers.
	MaxBulkAnswer = 500
)

// removedSeq is the Seq of inputs on units the current version no longer
// has: they come last in the matrix.
const removedSeq = 1000000

// Decisions lists the decisions in display order.
var Decisions = []string{DecisionAccepted, DecisionPartly, DecisionRejected, DecisionOutOfScope}

// Draft is a draft regulation (raperda) of a consultation, optionally for
// one of its focus groups only.
type Draft struct {
	bun.BaseModel `bun:"table:draft_texts,alias:d"`

	ID             int64  `bun:"id,pk,autoincrement" json:"id"`
	ConsultationID int64  `bun:"consultation_id,notnull" json:"consultation_id"`
	FocusGroupID   int64  `bun:"focus_group_id,notnull" json:"focus_group_id,omitempty"`
	Title          string `bun:"title,notnull" json:"title"`
	// CurrentVersion is the number of the newest version (1, 2, …).
	CurrentVersion int       `bun:"current_version,notnull" json:"current_version"`
	CreatedAt      time.Time `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at,notnull" json:"updated_at"`
}

// Item is the draft as the access rule sees it, in consultation c.
func (d *Draft) Item(c *forum.Consultation) forum.Item {
	return forum.Item{Kind: forum.ItemDraftText, Consultation: c, GroupID: d.FocusGroupID}
}

// Version is one version of a draft's text as the drafters uploaded it.
type Version struct {
	bun.BaseModel `bun:"table:draft_versions,alias:v"`

	ID        int64     `bun:"id,pk,autoincrement" json:"-"`
	DraftID   int64     `bun:"draft_id,notnull" json:"-"`
	Number    int       `bun:"number,notnull" json:"number"`
	Source    string    `bun:"source,notnull" json:"-"`
	Note      string    `bun:"note,notnull" json:"note"`
	CreatedBy int64     `bun:"created_by,notnull" json:"-"`
	CreatedAt time.Time `bun:"created_at,notnull" json:"created_at"`
}

// unitRow is a stored unit of one version.
type unitRow struct {
	bun.BaseModel `bun:"table:draft_units,alias:u"`

	ID      int64  `bun:"id,pk,autoincrement"`
	DraftID int64  `bun:"draft_id,notnull"`
	Version int    `bun:"version,notnull"`
	Seq     int    `bun:"seq,notnull"`
	Anchor  string `bun:"anchor,notnull"`
	Kind    string `bun:"kind,notnull"`
	Number  string `bun:"number,notnull"`
	Heading string `bun:"heading,notnull"`
	Body    string `bun:"body,notnull"`
	Parent  string `bun:"parent,notnull"`
	Current bool   `bun:"current,notnull"`
}

func (r unitRow) unit() Unit {
	return Unit{Anchor: r.Anchor, Kind: r.Kind, Number: r.Number, Heading: r.Heading, Text: r.Body, Parent: r.Parent}
}

// Input is a citizen's input on one unit of a draft: a stance, a comment,
// for StanceAmend the proposed text, and the drafters' answer.
type Input struct {
	bun.BaseModel `bun:"table:draft_inputs,alias:i"`

	ID             int64  `bun:"id,pk,autoincrement" json:"id"`
	DraftID        int64  `bun:"draft_id,notnull" json:"draft_id"`
	ConsultationID int64  `bun:"consultation_id,notnull" json:"-"`
	FocusGroupID   int64  `bun:"focus_group_id,notnull" json:"-"`
	Version        int    `bun:"version,notnull" json:"version"` // the version the citizen read
	Anchor         string `bun:"anchor,notnull" json:"anchor"`
	// Seq is the unit's place in the current version (removedSeq for a
	// unit the current version no longer has): the matrix's order.
	Seq       int    `bun:"seq,notnull" json:"-"`
	AuthorID  int64  `bun:"author_id,notnull" json:"-"`
	Stance    string `bun:"stance,notnull" json:"stance"`
	Body      string `bun:"body,notnull" json:"body"`
	Amendment string `bun:"amendment,notnull" json:"amendment,omitempty"`
	State     string `bun:"state,notnull" json:"-"`
	// StateReason says why a hidden input is hidden: a moderator's words,
	// or forum.AutoHideReason after reports ("hidden pending review").
	StateReason string `bun:"state_reason,notnull" json:"-"`
	Supports    int    `bun:"supports,notnull" json:"supports"`
	// Decision is one of Decisions, "" while unanswered.
	Decision string `bun:"decision,notnull" json:"decision,omitempty"`
	// Reason is the drafters' written explanation.
	Reason string `bun:"reason,notnull" json:"reason,omitempty"`
	// EffectiveVersion is the version where the decision took effect, 0
	// for none (a rejected input, or not yet).
	EffectiveVersion int       `bun:"effective_version,notnull" json:"effective_version,omitempty"`
	AnsweredBy       int64     `bun:"answered_by,notnull" json:"-"`
	AnsweredAt       time.Time `bun:"answered_at,nullzero" json:"answered_at,omitempty"`
	CreatedAt        time.Time `bun:"created_at,notnull" json:"created_at"`
}

// Item is the input as the access rule sees it, in consultation c.
func (in *Input) Item(c *forum.Consultation) forum.Item {
	return forum.Item{Kind: forum.ItemDraftInput, Consultation: c, GroupID: in.FocusGroupID, State: in.State, AuthorID: in.AuthorID}
}

// Answered reports whether the drafters answered the input.
func (in *Input) Answered() bool { return in.Decision != "" }

// notice is an in-app notice to a user that their input was answered.
type notice struct {
	bun.BaseModel `bun:"table:draft_notices,alias:n"`

	ID        int64     `bun:"id,pk,autoincrement"`
	UserID    int64     `bun:"user_id,notnull"`
	InputID   int64     `bun:"input_id,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	ReadAt    time.Time `bun:"read_at,nullzero"`
}
