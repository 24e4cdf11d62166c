package complaint

import (
	"time"

	"github.com/uptrace/bun"
)

// Status is where a complaint is in its workflow.
type Status string

// The workflow (SP4N-LAPOR!'s stages): received → verified → routed (to one
// or several agencies, re-routable) → in progress ⇄ waiting (on the citizen;
// the deadline clock pauses) → answered (official response) → closed; a
// closed or answered complaint may be reopened a bounded number of times;
// rejected and merged are final.
const (
	StatusReceived   Status = "received"
	StatusVerified   Status = "verified"
	StatusRouted     Status = "routed"
	StatusInProgress Status = "in_progress"
	StatusWaiting    Status = "waiting"
	StatusAnswered   Status = "answered"
	StatusClosed     Status = "closed"
	StatusRejected   Status = "rejected"
	StatusMerged     Status = "merged"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{StatusReceived, StatusVerified, StatusRouted, StatusInProgress, StatusWaiting,
	StatusAnswered, StatusClosed, StatusRejected, StatusMerged}

// Open reports whether s still needs work from the government side.
func (s Status) Open() bool {
	switch s {
	case StatusAnswered, StatusClosed, StatusRejected, StatusMerged:
		return false
	}
	return true
}

// Assisted reports whether an officer recorded c for a citizen at the
// desk (dibantu petugas).
func (c *Complaint) Assisted() bool { return c.AssistedAt != nil }

// Channel is how a complaint reached us.
type Channel string

// The intake channels.
const (
	ChannelWeb      Channel = "web"
	ChannelAPI      Channel = "api"
	ChannelWhatsApp Channel = "whatsapp"
	ChannelSMS      Channel = "sms"
	ChannelImport   Channel = "import"
)

func (c Channel) valid() bool {
	switch c {
	case ChannelWeb, ChannelAPI, ChannelWhatsApp, ChannelSMS, ChannelImport:
		return true
	}
	return false
}

// RejectReason says why a complaint was rejected.
type RejectReason string

// The reasons a complaint may be rejected.
const (
	RejectDuplicate        RejectReason = "duplicate"
	RejectOutsideAuthority RejectReason = "outside_authority"
	RejectNotComplaint     RejectReason = "not_complaint"
)

// Complaint is one pengaduan. Number is its public tracking number
// (ADU-YYYY-NNNNNN). Reporter fields are optional and erased after the
// retention period; SecretHash is the SHA-256 (hex) of the guest tracking
// secret handed out at intake.
type Complaint struct {
	bun.BaseModel `bun:"table:complaints"`

	ID             int64      `bun:"id,pk,autoincrement"`
	Number         string     `bun:"number,notnull"`
	Status         Status     `bun:"status,notnull"`
	Channel        Channel    `bun:"channel,notnull"`
	IdemKey        *string    `bun:"idem_key"`
	IdemHash       string     `bun:"idem_hash,notnull"` // content hash of a keyed intake (Intake.contentHash)
	Body           string     `bun:"body,notnull"`
	TopicID        *int64     `bun:"topic_id"`
	AreaID         *int64     `bun:"area_id"`
	Latitude       *float64   `bun:"latitude"`
	Longitude      *float64   `bun:"longitude"`
	Public         bool       `bun:"public,notnull"`
	Confidential   bool       `bun:"confidential,notnull"`
	Complex        bool       `bun:"complex,notnull"`
	ReporterUserID *int64     `bun:"reporter_user_id"`
	ReporterName   string     `bun:"reporter_name,notnull"`
	ReporterPhone  string     `bun:"reporter_phone,notnull"`
	ReporterEmail  string     `bun:"reporter_email,notnull"`
	SecretHash     string     `bun:"secret_hash,notnull"`
	LaporID        string     `bun:"lapor_id,notnull"`
	ResponseBucket string     `bun:"response_bucket,notnull"`
	AssigneeUserID *int64     `bun:"assignee_user_id"`
	MergedIntoID   *int64     `bun:"merged_into_id"`
	RejectReason   string     `bun:"reject_reason,notnull"`
	ReopenCount    int        `bun:"reopen_count,notnull"`
	Rating         int        `bun:"rating,notnull"`
	RatingComment  string     `bun:"rating_comment,notnull"`
	ReceivedAt     time.Time  `bun:"received_at,notnull"`
	RoutedAt       *time.Time `bun:"routed_at"`
	FirstResponse  *time.Time `bun:"first_response_at"`
	AnsweredAt     *time.Time `bun:"answered_at"`
	ClosedAt       *time.Time `bun:"closed_at"`
	PausedAt       *time.Time `bun:"paused_at"`
	PausedNS       int64      `bun:"paused_ns,notnull"`
	WarnedStage    string     `bun:"warned_stage,notnull"`
	EscalatedStage string     `bun:"escalated_stage,notnull"`
	ErasedAt       *time.Time `bun:"erased_at"`
	UpdatedAt      time.Time  `bun:"updated_at,notnull"`
	// AssistedBy, AssistedAt and AssistConsent record an assisted entry
	// (dibantu petugas, forum.Assistance): the officer who typed it for
	// the citizen at the desk (nil once that account is deleted), when,
	// and the consent text version. AssistedAt is nil for self-service.
	AssistedBy    *int64     `bun:"assisted_by"`
	AssistedAt    *time.Time `bun:"assisted_at"`
	AssistConsent string     `bun:"assist_consent,notnull"`

	// Agencies are the ids of the agencies it is routed to (loaded by Get).
	Agencies []int64 `bun:"-"`
}

// Agency is a government agency (perangkat daerah, OPD) that answers
// complaints.
type Agency struct {
	bun.BaseModel `bun:"table:complaint_agencies"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	Name      string    `bun:"name,notnull" json:"name"`
	CreatedAt time.Time `bun:"created_at,notnull" json:"-"`
	// IKMUnitID is the IKM service unit (polls' ikm_units) whose element U8
	// counts this agency's complaint ratings (RatingsOf); nil for none.
	// Set by an admin (SetAgencyIKMUnit), never matched by name.
	IKMUnitID *int64 `bun:"ikm_unit_id" json:"ikm_unit_id,omitempty"`
	// Code is an optional short code (e.g. "DPUBMP"), Contact an optional
	// public contact (phone, email or address); both "" when unset.
	Code    string `bun:"code,notnull" json:"code,omitempty"`
	Contact string `bun:"contact,notnull" json:"contact,omitempty"`
	// DeactivatedAt is when an admin deactivated the agency (nil: active).
	// A deactivated agency receives no new routing or forwarding; its
	// complaints, routes and officers stay (SetAgencyActive).
	DeactivatedAt *time.Time `bun:"deactivated_at" json:"deactivated_at,omitempty"`
}

// Topic is a complaint category with its service targets in working days.
type Topic struct {
	bun.BaseModel `bun:"table:complaint_topics"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	Name           string    `bun:"name,notnull" json:"name"`
	TriageDays     int       `bun:"triage_days,notnull" json:"triage_days"`
	ResponseDays   int       `bun:"response_days,notnull" json:"response_days"`
	ResolutionDays int       `bun:"resolution_days,notnull" json:"resolution_days"`
	CreatedAt      time.Time `bun:"created_at,notnull" json:"-"`
}

// Area is a kecamatan, or a kelurahan within one (Kelurahan "" for the
// kecamatan as a whole).
type Area struct {
	bun.BaseModel `bun:"table:complaint_areas"`

	ID        int64  `bun:"id,pk,autoincrement" json:"id"`
	Kecamatan string `bun:"kecamatan,notnull" json:"kecamatan"`
	Kelurahan string `bun:"kelurahan,notnull" json:"kelurahan"`
}

// Event is one line of a complaint's timeline: a transition, an official
// response, a message to or from the citizen, or an internal note
// (Internal: never shown outside the agencies).
type Event struct {
	bun.BaseModel `bun:"table:complaint_events"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	ComplaintID int64     `bun:"complaint_id,notnull" json:"-"`
	Kind        string    `bun:"kind,notnull" json:"kind"`
	ActorUserID int64     `bun:"actor_user_id,notnull" json:"-"`
	AgencyID    int64     `bun:"agency_id,notnull" json:"agency_id,omitempty"`
	Body        string    `bun:"body,notnull" json:"body,omitempty"`
	Internal    bool      `bun:"internal,notnull" json:"-"`
	CreatedAt   time.Time `bun:"created_at,notnull" json:"at"`
}

// Canned is a canned response an officer can start an answer from.
type Canned struct {
	bun.BaseModel `bun:"table:complaint_canned"`

	ID        int64     `bun:"id,pk,autoincrement"`
	AgencyID  *int64    `bun:"agency_id"`
	Title     string    `bun:"title,notnull"`
	Body      string    `bun:"body,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}
