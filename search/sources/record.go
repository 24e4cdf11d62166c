package sources

import (
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum/markup"
	"github.com/rembug/rembug/search"
)

// Row states and values of the domain tables that decide visibility; they
// equal forum.StatePublished, forum.StatusDraft and live.StatusApproved
// (checked by the tests).
const (
	statePublished = "published"
	statusDraft    = "draft"
	questionShown  = "approved"
)

// Record is one searchable row as the database has it now: its Document
// and what a page needs to link to it.
type Record struct {
	Doc search.Document
	// ConsultationSlug is the slug of the consultation the row belongs to.
	ConsultationSlug string
	// ProposalID is the proposal of a proposal or comment (0 for a comment
	// on the consultation itself and for other kinds).
	ProposalID int64
	// SessionCode is a live question's session join code.
	SessionCode string
	// ProposalTitle is the title of a comment's proposal, for naming the
	// comment in results ("Komentar pada: …"); it is not indexed.
	ProposalTitle string
}

// Hidden reports whether the record must not be in the index.
func (r Record) Hidden() bool { return r.Doc.Visibility == search.VisibilityHidden }

// row is the common shape every kind's query selects into.
type row struct {
	ID             int64     `bun:"id"`
	ConsultationID int64     `bun:"consultation_id"`
	GroupID        int64     `bun:"group_id"`
	ProposalID     int64     `bun:"proposal_id"`
	Title          string    `bun:"title"`
	Body           string    `bun:"body"`
	Topics         string    `bun:"topics"`
	State          string    `bun:"state"`
	Status         string    `bun:"status"`
	Supports       int       `bun:"supports"`
	CreatedAt      time.Time `bun:"created_at"`
	Slug           string    `bun:"c_slug"`
	ConsStatus     string    `bun:"c_status"`
	Code           string    `bun:"code"`
	ProposalTitle  string    `bun:"p_title"`
}

// visibility is the index form of forum.CanSee for r (see the package
// comment).
func (r *row) visibility() string {
	switch {
	case r.State != statePublished:
		return search.VisibilityHidden
	case r.ConsStatus == statusDraft:
		return search.VisibilityStaff
	case r.GroupID != 0:
		return search.GroupVisibility(r.GroupID)
	}
	return search.VisibilityPublic
}

// record maps r, a row of kind k, to its Record. Markdown bodies
// (consultation descriptions, proposals, comments) are indexed as the
// plain text a reader sees (markup.Renderer.Text), so that snippets show
// neither markdown nor dropped raw HTML nor link URLs.
func (r *row) record(k string, mk *markup.Renderer) Record {
	body := r.Body
	if body != "" && (k == search.KindConsultation || k == search.KindProposal || k == search.KindComment) {
		body = mk.Text(body)
	}
	var topics []string
	if r.Topics != "" {
		topics = strings.FieldsFunc(r.Topics, func(c rune) bool { return c == '|' })
	}
	return Record{
		Doc: search.Document{
			ID: DocID(k, r.ID), Kind: k, Title: r.Title, Body: body, Topics: topics,
			ConsultationID: r.ConsultationID, Status: r.Status, Visibility: r.visibility(),
			Created: r.CreatedAt.UTC(), Supports: r.Supports,
		},
		ConsultationSlug: r.Slug, ProposalID: r.ProposalID, SessionCode: r.Code, ProposalTitle: r.ProposalTitle,
	}
}

// DocID returns the document ID of row id of kind k, e.g.
// "proposal:42".
func DocID(k string, id int64) string { return k + ":" + strconv.FormatInt(id, 10) }

// ParseDocID splits a document ID made by DocID; ok is false for any other
// string.
func ParseDocID(s string) (kind string, id int64, ok bool) {
	k, n, found := strings.Cut(s, ":")
	if !found {
		return "", 0, false
	}
	id, err := strconv.ParseInt(n, 10, 64)
	if err != nil || id <= 0 {
		return "", 0, false
	}
	if _, known := specs[k]; !known {
		return "", 0, false
	}
	return k, id, true
}
