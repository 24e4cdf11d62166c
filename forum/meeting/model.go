package meeting

import (
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
)

// Kinds of meeting.
const (
	KindMusyawarah = "musyawarah"      // a deliberation with residents
	KindHearing    = "dengar_pendapat" // a public hearing
	KindWorkshop   = "lokakarya"       // a workshop
)

// Kinds lists the kinds in display order.
var Kinds = []string{KindMusyawarah, KindHearing, KindWorkshop}

// Modes of meeting.
const (
	ModeInPerson = "tatap_muka"
	ModeOnline   = "daring"
)

// Modes lists the modes in display order.
var Modes = []string{ModeInPerson, ModeOnline}

// Registration statuses.
const (
	StatusRegistered = "terdaftar" // holds a place
	StatusWaiting    = "menunggu"  // on the waiting list
)

// Limits of a meeting's fields, in runes (capacity in people).
const (
	MaxTitleRunes   = 200
	MaxPlaceRunes   = 500
	MaxNoteRunes    = 1000
	MaxAgendaRunes  = 8000
	MaxMinutesRunes = 20000
	MaxCapacity     = 100000
)

// Meeting is a meeting of a consultation, optionally for one of its focus
// groups only. Times are UTC.
type Meeting struct {
	bun.BaseModel `bun:"table:meetings,alias:m"`

	ID             int64  `bun:"id,pk,autoincrement" json:"id"`
	ConsultationID int64  `bun:"consultation_id,notnull" json:"consultation_id"`
	FocusGroupID   int64  `bun:"focus_group_id,notnull" json:"focus_group_id,omitempty"`
	Title          string `bun:"title,notnull" json:"title"`
	Kind           string `bun:"kind,notnull" json:"kind"`
	Mode           string `bun:"mode,notnull" json:"mode"`
	// Place is the address of an in-person meeting ("" online).
	Place string `bun:"place,notnull" json:"place,omitempty"`
	// OnlineURL is the link of an online meeting (https only).
	OnlineURL string    `bun:"online_url,notnull" json:"online_url,omitempty"`
	StartsAt  time.Time `bun:"starts_at,notnull" json:"starts_at"`
	EndsAt    time.Time `bun:"ends_at,notnull" json:"ends_at"`
	// Capacity is the number of places; Taken how many are held.
	Capacity int `bun:"capacity,notnull" json:"capacity"`
	Taken    int `bun:"taken,notnull" json:"taken"`
	// Accessibility says how accessible the venue is (ramp, sign language…).
	Accessibility string     `bun:"accessibility,notnull" json:"accessibility,omitempty"`
	Agenda        string     `bun:"agenda,notnull" json:"agenda"`
	Minutes       string     `bun:"minutes,notnull" json:"minutes,omitempty"`
	MinutesAt     *time.Time `bun:"minutes_at" json:"minutes_at,omitempty"`
	CreatedBy     int64      `bun:"created_by,notnull" json:"-"`
	CreatedAt     time.Time  `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at,notnull" json:"updated_at"`
}

// Item is the meeting as the access rule sees it, in consultation c.
func (m *Meeting) Item(c *forum.Consultation) forum.Item {
	return forum.Item{Kind: forum.ItemMeeting, Consultation: c, GroupID: m.FocusGroupID}
}

// Free is the number of places left (0 when full).
func (m *Meeting) Free() int { return max(m.Capacity-m.Taken, 0) }

// Registration is a participant's registration for a meeting.
type Registration struct {
	bun.BaseModel `bun:"table:meeting_registrations,alias:r"`

	ID            int64     `bun:"id,pk,autoincrement" json:"-"`
	MeetingID     int64     `bun:"meeting_id,notnull" json:"meeting_id"`
	ParticipantID int64     `bun:"participant_id,notnull" json:"-"`
	Status        string    `bun:"status,notnull" json:"status"`
	Attended      bool      `bun:"attended,notnull" json:"attended"`
	CreatedAt     time.Time `bun:"created_at,notnull" json:"created_at"`
	// Name is the participant's display name ("" for one without) and
	// ShortID the start of their public id, filled for the organizers'
	// list only.
	Name    string `bun:"-" json:"-"`
	ShortID string `bun:"-" json:"-"`
}
