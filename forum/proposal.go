package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Official answer statuses of a proposal; StatusNone means no answer yet.
// StatusArchivedProposal marks imported proposals their source archived.
const (
	AnswerNone             = ""
	AnswerEvaluating       = "evaluating"
	AnswerAccepted         = "accepted"
	AnswerRejected         = "rejected"
	AnswerImplemented      = "implemented"
	StatusArchivedProposal = "archived"
	// AnswerOpen is how a proposal without an official answer (stored as
	// AnswerNone) shows in pages, the API, exports, filters and search.
	AnswerOpen = "open"
)

// AnswerStatus is the proposal's status as shown everywhere: Status, or
// AnswerOpen while there is no official answer.
func (p *Proposal) AnswerStatus() string {
	if p.Status == AnswerNone {
		return AnswerOpen
	}
	return p.Status
}

// Answered reports whether staff gave the proposal an official answer
// (a status of AnswerStatuses; an imported archived proposal is not).
func (p *Proposal) Answered() bool {
	for _, st := range AnswerStatuses {
		if p.Status == st {
			return true
		}
	}
	return false
}

// AnswerStatuses are the statuses an official answer may give.
var AnswerStatuses = []string{AnswerEvaluating, AnswerAccepted, AnswerRejected, AnswerImplemented}

// Proposal is a participant's proposal (usulan) in a consultation or one of
// its focus groups. Supports counts every support, ImportedSupports
// included (a tally brought by an import without its supporters); Comments
// counts the visible comments (published, not deleted). Title is plain
// text; Body is markdown.
type Proposal struct {
	bun.BaseModel `bun:"table:proposals,alias:p"`

	ID               int64     `bun:"id,pk,autoincrement" json:"id"`
	ConsultationID   int64     `bun:"consultation_id,notnull" json:"-"`
	FocusGroupID     int64     `bun:"focus_group_id,notnull" json:"-"`
	AuthorID         int64     `bun:"author_id,notnull" json:"-"`
	Title            string    `bun:"title,notnull" json:"title"`
	Body             string    `bun:"body,notnull" json:"body"`
	Topics           string    `bun:"topics,notnull" json:"-"`
	State            string    `bun:"state,notnull" json:"-"`
	StateReason      string    `bun:"state_reason,notnull" json:"-"`
	Status           string    `bun:"status,notnull" json:"status"`
	Answer           string    `bun:"answer,notnull" json:"answer,omitempty"`
	AnsweredAt       time.Time `bun:"answered_at,nullzero" json:"answered_at,omitzero"`
	Supports         int       `bun:"supports,notnull" json:"supports"`
	ImportedSupports int       `bun:"imported_supports,notnull" json:"-"`
	Comments         int       `bun:"comments,notnull" json:"comments"`
	Source           string    `bun:"source,notnull" json:"-"`
	SourceKey        string    `bun:"source_key,notnull" json:"-"`
	CreatedAt        time.Time `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt        time.Time `bun:"updated_at,notnull" json:"-"`
	// Assisted is set for a proposal an officer recorded for a citizen at
	// the desk (dibantu petugas, CreateAssistedProposal), with who, when
	// and the consent text version.
	Assisted      bool       `bun:"assisted,notnull" json:"assisted"`
	AssistedBy    *int64     `bun:"assisted_by" json:"-"`
	AssistedAt    *time.Time `bun:"assisted_at" json:"-"`
	AssistConsent string     `bun:"assist_consent,notnull" json:"-"`
}

// Ref is the proposal's URL path segment: its id and a slug of its title in
// any script, e.g. "12-taman-untuk-rw-03"; an emoji-only title gives
// "12-usulan" (CASES C07). Only the id matters when resolving it.
func (p *Proposal) Ref() string {
	return strconv.FormatInt(p.ID, 10) + "-" + Slugify(p.Title, "usulan")
}

// TopicList returns the proposal's topics.
func (p *Proposal) TopicList() []string {
	return strings.FieldsFunc(p.Topics, func(r rune) bool { return r == '|' })
}

// Qualified reports whether the proposal reached threshold supports (a
// threshold of 0 qualifies nothing).
func (p *Proposal) Qualified(threshold int) bool { return threshold > 0 && p.Supports >= threshold }

// ProposalIDFromRef parses the leading id of a Ref ("12-slug" or "12").
func ProposalIDFromRef(ref string) (int64, error) {
	if i := strings.IndexByte(ref, '-'); i >= 0 {
		ref = ref[:i]
	}
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.ErrNotFound
	}
	return id, nil
}

// ProposalInput is what a participant submits: the text, the focus group
// (0 for the consultation itself) and an optional Image.
type ProposalInput struct {
	Title, Body, Topics string
	GroupID             int64
	Image               *ImageInput
}

// CreateProposal validates in and stores it as v's proposal in consultation
// c (or its focus group in.GroupID, which v must see). It needs a signed-in,
// unblocked user and the proposals feature of the current phase. Under
// pre-moderation the proposal waits for approval. The proposal, its image
// (checkProposalImage's errors refuse the whole proposal), its search
// outbox row and the notifications of the consultation's followers are one
// transaction; the deliveries returned are for email after the commit.
func (s *Store) CreateProposal(ctx context.Context, v Viewer, c *Consultation, in ProposalInput) (*Proposal, []Delivery, error) {
	db, now := s.db, s.now().UTC()
	if err := canAct(ctx, db, v, c, in.GroupID, ItemProposal, false, now); err != nil {
		return nil, nil, err
	}
	title, err := plainText(in.Title, "title", MinTitleRunes, MaxTitleRunes)
	if err != nil {
		return nil, nil, err
	}
	body, err := longText(in.Body, "body", 0, MaxBodyRunes)
	if err != nil {
		return nil, nil, err
	}
	_, topics, err := topicList(in.Topics)
	if err != nil {
		return nil, nil, err
	}
	rules, err := RulesOf(ctx, db, c.ID)
	if err != nil {
		return nil, nil, err
	}
	img, err := checkProposalImage(in.Image, now)
	if err != nil {
		return nil, nil, err
	}
	p := &Proposal{ConsultationID: c.ID, FocusGroupID: in.GroupID, AuthorID: v.ParticipantID, Title: title, Body: body,
		Topics: topics, State: StatePublished, CreatedAt: now, UpdatedAt: now}
	if rules.Premoderation {
		p.State = StatePending
	}
	var ds []Delivery
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, _ time.Time) error {
		if err := canActInTx(ctx, tx, v, c, in.GroupID, ItemProposal, false, now); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(p).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert proposal: %w", err)
		}
		if err := insertProposalImage(ctx, tx, p.ID, img); err != nil {
			return err
		}
		ds, err = notifyNewProposal(ctx, tx, c, p, now)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return p, ds, nil
}

// AuditProposalAssisted is the audit action of a proposal an officer
// recorded for a citizen at the desk.
const AuditProposalAssisted = "proposal_assisted"

// CreateAssistedProposal stores in as the proposal of a citizen at the
// desk, typed by officer v (Assist: an assisted-entry officer or admin,
// read again in the transaction) after the citizen agreed to the consent
// text (consent). The citizen has no account: the proposal's author is a
// new guest participant of its own, who may write where the proposals
// feature of the current phase is on (Can write as a guest), so one
// citizen's proposal never shares an author with another's. The proposal
// is marked assisted with the Assistance, follows the consultation's
// pre-moderation, and writes its audit row (AuditProposalAssisted) and
// its followers' notifications in the same transaction. Errors: those of
// CreateProposal and Assist; in.GroupID must be 0 (errs.Invalid). An
// image (in.Image) is checked and stored as CreateProposal's.
func (s *Store) CreateAssistedProposal(ctx context.Context, v Viewer, c *Consultation, in ProposalInput, consent bool) (*Proposal, []Delivery, error) {
	if in.GroupID != 0 {
		return nil, nil, errs.E(errs.Invalid, "error.bad_input", nil)
	}
	title, err := plainText(in.Title, "title", MinTitleRunes, MaxTitleRunes)
	if err != nil {
		return nil, nil, err
	}
	body, err := longText(in.Body, "body", 0, MaxBodyRunes)
	if err != nil {
		return nil, nil, err
	}
	_, topics, err := topicList(in.Topics)
	if err != nil {
		return nil, nil, err
	}
	img, err := checkProposalImage(in.Image, s.now().UTC())
	if err != nil {
		return nil, nil, err
	}
	var p *Proposal
	var ds []Delivery
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		as, err := Assist(ctx, v, consent, now)
		if err != nil {
			return err
		}
		citizen, err := EnsureParticipant(ctx, tx, ParticipantGuest, "desk", "desk-"+NewPublicID(), now)
		if err != nil {
			return err
		}
		if err := canAct(ctx, tx, GuestViewer(citizen.ID), c, 0, ItemProposal, true, now); err != nil {
			return err
		}
		rules, err := RulesOf(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		p = &Proposal{ConsultationID: c.ID, AuthorID: citizen.ID, Title: title, Body: body, Topics: topics, State: StatePublished,
			CreatedAt: now, UpdatedAt: now, Assisted: true, AssistedBy: &as.OfficerID, AssistedAt: &as.At, AssistConsent: as.ConsentVersion}
		if rules.Premoderation {
			p.State = StatePending
		}
		if _, err := tx.NewInsert().Model(p).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert assisted proposal: %w", err)
		}
		if err := insertProposalImage(ctx, tx, p.ID, img); err != nil {
			return err
		}
		if err := audit(ctx, tx, v, AuditProposalAssisted, string(TargetProposal), p.ID, c.ID, as.ConsentVersion, now); err != nil {
			return err
		}
		ds, err = notifyNewProposal(ctx, tx, c, p, now)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return p, ds, nil
}

// canAct is Can write for an item of kind in consultation c's space
// group now: the space is visible, the phase turns the kind's feature on,
// v is signed in (unless guests may), has a participant and is not blocked
// there.
func canAct(ctx context.Context, db bun.IDB, v Viewer, c *Consultation, group int64, kind ItemKind, guests bool, now time.Time) error {
	st, err := StageOf(ctx, db, c, now)
	if err != nil {
		return err
	}
	return Can(ctx, v, ActWrite, Item{Kind: kind, Consultation: c, GroupID: group, Stage: &st, Guests: guests})
}

// canActInTx is canAct inside write tx (ctx from inTx): it holds v's
// participant (holdParticipant), then Can decides on the facts read again
// in tx, so a removal, block, closing or phase change committed since v and
// c were loaded refuses the write.
func canActInTx(ctx context.Context, tx bun.Tx, v Viewer, c *Consultation, group int64, kind ItemKind, guests bool, now time.Time) error {
	if err := holdParticipant(ctx, tx, v.ParticipantID); err != nil {
		return err
	}
	return canAct(ctx, tx, v, c, group, kind, guests, now)
}

// ProposalFor returns proposal id and its consultation when v may see it
// (Can read); errs.ErrNotFound otherwise.
func ProposalFor(ctx context.Context, db bun.IDB, v Viewer, id int64) (*Proposal, *Consultation, error) {
	p := new(Proposal)
	err := db.NewSelect().Model(p).Where("p.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("proposal %d: %w", id, err)
	}
	c, err := ConsultationByRef(ctx, db, strconv.FormatInt(p.ConsultationID, 10))
	if err != nil {
		return nil, nil, err
	}
	if err := Can(ctx, v, ActRead, p.item(c)); err != nil {
		return nil, nil, err
	}
	return p, c, nil
}

// Item is the proposal as the access rule (Can) sees it, in consultation c.
func (p *Proposal) Item(c *Consultation) Item { return p.item(c) }

func (p *Proposal) item(c *Consultation) Item {
	return Item{Kind: ItemProposal, Consultation: c, GroupID: p.FocusGroupID, State: p.State, AuthorID: p.AuthorID}
}

// SetAnswer gives proposal p of consultation c an official answer
// (tanggapan resmi) with a status from AnswerStatuses; only the
// consultation's moderators may (errs.Forbidden), an unknown status or an
// empty or too long text is errs.Invalid. One transaction writes the answer,
// the proposal's search outbox row, the audit log entry and a notification
// for its author, supporters and followers; the deliveries returned are for
// sending by email after the commit.
func (s *Store) SetAnswer(ctx context.Context, v Viewer, c *Consultation, p *Proposal, status, text string) ([]Delivery, error) {
	var ds []Delivery
	var at time.Time
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := requireModerator(ctx, v, p.ConsultationID); err != nil {
			return err
		}
		if !contains(AnswerStatuses, status) {
			return errs.E(errs.Invalid, "error.answer_status", nil)
		}
		var err error
		if text, err = longText(text, "answer", 1, MaxAnswerRunes); err != nil {
			return err
		}
		_, err = tx.NewUpdate().Model((*Proposal)(nil)).Set("status = ?, answer = ?, answered_at = ?, updated_at = ?", status, text, now, now).
			Where("id = ?", p.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("answer proposal %d: %w", p.ID, err)
		}
		if err := audit(ctx, tx, v, "answer_"+status, "proposal", p.ID, p.ConsultationID, "", now); err != nil {
			return err
		}
		at = now
		ds, err = notifyAnswered(ctx, tx, c, p, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	p.Status, p.Answer, p.AnsweredAt, p.UpdatedAt = status, text, at, at
	return ds, nil
}
