package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Content states. Only StatePublished content is public; the others are
// seen by moderators (in the queue) and by their author.
const (
	StatePublished = "published"
	StatePending   = "pending" // waiting for approval (pre-moderation)
	StateHidden    = "hidden"  // hidden by a moderator or by reports
)

// Action is what a viewer wants to do with an item.
type Action string

// The actions of the access rule.
const (
	ActRead       Action = "read"       // see it on any path: page, API, search, websocket, feed, notification, file
	ActWrite      Action = "write"      // take part: propose, comment, support, vote, answer, ask, upvote
	ActModerate   Action = "moderate"   // approve, hide, restore, block in the consultation, run a live session, manage focus groups
	ActExport     Action = "export"     // download records and raw data (exports, session records)
	ActAdminister Action = "administer" // set up consultations, phases and moderators; site-wide blocks; the audit log
	ActAssist     Action = "assist"     // record an entry on behalf of a citizen present at the desk (ItemSite; assisted participation)
)

// ItemKind names the kind of an Item; each kind has one Policy in policies.
type ItemKind string

// The item kinds. A new kind (complaints) adds a constant and a policies
// row (access_policy.go); nothing else decides who sees it.
const (
	ItemSite          ItemKind = "site" // the whole site (administration, site-wide blocks, audit log)
	ItemConsultation  ItemKind = "consultation"
	ItemPhase         ItemKind = "phase"
	ItemFocusGroup    ItemKind = "focus_group" // the group itself; its content has GroupID set
	ItemProposal      ItemKind = "proposal"
	ItemComment       ItemKind = "comment"
	ItemSupport       ItemKind = "support"
	ItemStatement     ItemKind = "statement"
	ItemPoll          ItemKind = "poll" // polls and surveys (IKM included)
	ItemLiveSession   ItemKind = "live_session"
	ItemQuestion      ItemKind = "question" // a live session's question
	ItemLivePoll      ItemKind = "live_poll"
	ItemReport        ItemKind = "report"
	ItemExport        ItemKind = "export"
	ItemFile          ItemKind = "file"
	ItemNotification  ItemKind = "notification"
	ItemModerationLog ItemKind = "moderation_queue" // the queue, reports and blocks of a consultation
	ItemDraftText     ItemKind = "draft_text"       // a draft regulation (raperda): its text, versions, matrix and report; drafters change it by moderating
	ItemDraftInput    ItemKind = "draft_input"      // a citizen's input on a draft's unit: stance, comment, amendment, support of another's amendment

	// Complaints live outside any consultation; their rule is in
	// access_complaint.go and the Item carries ComplaintFacts.
	ItemComplaint         ItemKind = "complaint"          // the complaint: masked text, status, public timeline
	ItemComplaintText     ItemKind = "complaint_text"     // its text and timeline unmasked
	ItemComplaintReporter ItemKind = "complaint_reporter" // the reporter's name and contact
	ItemComplaintHandling ItemKind = "complaint_handling" // internal notes, deadlines, the agency's answer and assignment

	// An evaluation cycle of the service indicators (polls/evaluation)
	// is site-wide; its rule is evaluationRule and Item.Published says
	// whether its report is public.
	ItemEvaluation ItemKind = "evaluation"
	// A recommendation of an evaluation cycle: its cycle's rule, and the
	// officers of its owning agency (Item.Agency) read it even while the
	// cycle is unpublished (evaluationRule).
	ItemRecommendation ItemKind = "recommendation"

	// A meeting (pertemuan, forum/meeting) of a consultation; GroupID is
	// set for a focus group's meeting, which only its members read.
	// Registering is ActWrite; organizing it, its minutes and attendance
	// ActModerate.
	ItemMeeting ItemKind = "meeting"
)

// Item is what the access rule needs to know about a thing, whatever its
// kind: where it lives (consultation, focus group), its moderation state,
// its author and what the caller read about its settings. Fields that do
// not apply to a kind stay zero.
type Item struct {
	Kind ItemKind
	// Consultation is the consultation the item belongs to; nil only for
	// ItemSite.
	Consultation *Consultation
	// GroupID is the focus group the item lives in, 0 for the public part
	// of the consultation. For ItemFocusGroup it is the group itself.
	GroupID int64
	// State is StatePublished, StatePending or StateHidden; "" means
	// published.
	State string
	// AuthorID is the author's participant id (0 for none).
	AuthorID int64
	// Deleted content is seen by nobody.
	Deleted bool
	// Stage is the consultation's current stage (StageOf); writes of a
	// kind whose policy names a phase feature need it.
	Stage *Stage
	// Guests is set when the item's settings let guests write (the
	// consultation's guest supports, a live session's guest setting).
	Guests bool
	// Listed is set for a focus group whose name anyone may see.
	Listed bool
	// Published is set for a report its organizer published to everyone.
	Published bool
	// Agency is the agency (OPD) that owns the item, 0 for none: the
	// owning agency of an ItemRecommendation.
	Agency int64
	// OwnerID is the user a notification is for.
	OwnerID int64
	// Complaint describes the complaint of the complaint kinds (nil for
	// the others).
	Complaint *ComplaintFacts
}

// Can is the one access rule: it returns nil when viewer v may do action a
// to item it, and otherwise an error with a kind:
//   - errs.ErrNotFound (errs.NotFound) when v may not read it, so that a viewer
//     cannot tell hidden from missing;
//   - errs.Forbidden when v reads it but may not do a, with a translation
//     key ("error.sign_in_required", "error.blocked", "error.feature_closed"
//     with data Feature, "error.action_forbidden");
//   - errs.Internal for a Viewer not made by LoadViewer or GuestViewer, or an
//     item kind without a policy, or a write needing a Stage without one.
//
// Read, for every kind:
//   - a draft consultation and everything in it is read by its moderators
//     (admins, global moderators, moderators named for it) only;
//   - focus-group content is read by the group's current members and the
//     consultation's moderators; a removed member reads nothing of it;
//   - deleted content is read by nobody, pending or hidden content by its
//     author and its moderators;
//   - then the kind's policy (access_policy.go): reports once published or
//     by staff, exports by staff, notifications by their recipient.
//
// Complaints are outside every consultation: their kinds answer through
// their policy's Outside rule alone (access_complaint.go).
//
// Write needs read, an open consultation, the phase feature of the kind,
// a signed-in user unless the item lets guests take part, a participant,
// and no block in the consultation or site-wide. Moderate needs read and
// moderation of the consultation. Export needs read and a staff role,
// moderation of the consultation or being named its analyst. Administer needs an admin.
// Assist (ItemSite only) needs an assisted-entry officer (RoleAssistant) or an admin.
//
// Inside a Store's write transaction (ctx from InTx) Can first reads again,
// in that transaction, every fact it decides on: v's role, per-consultation
// roles, focus-group memberships and blocks, and it's consultation status
// and stage. A right lost between loading v and the write refuses the
// write. Outside one it answers from v and it alone.
func Can(ctx context.Context, v Viewer, a Action, it Item) error {
	p, ok := policies[it.Kind]
	if !ok {
		return fmt.Errorf("access: no policy for item kind %q", it.Kind)
	}
	if v.User != nil && !v.loaded {
		return fmt.Errorf("access: viewer of user %d was not loaded (use LoadViewer)", v.User.ID)
	}
	if f := factsOf(ctx); f != nil {
		var err error
		if v, it, err = f.fresh(ctx, v, it); err != nil {
			return err
		}
	}
	if a == ActAssist {
		// Assisted entry is site-wide: the assisted-entry officers and
		// admins record for a citizen at the desk (Assist).
		if it.Kind != ItemSite || !v.Assists() {
			return forbidden()
		}
		return nil
	}
	if p.Outside != nil {
		return p.Outside(v, a, it)
	}
	if a == ActAdminister {
		if !v.Admin() {
			return denied(v, it)
		}
		return nil
	}
	if it.Kind == ItemSite {
		// Site-wide figures (the service indicators) are exported to
		// staff; nothing else is done to the site but administering it.
		if a == ActExport && v.Analyst() {
			return nil
		}
		return denied(v, it)
	}
	if err := canRead(v, it, p); err != nil {
		return err
	}
	switch a {
	case ActRead:
		return nil
	case ActModerate:
		if !v.Moderates(it.Consultation.ID) {
			return forbidden()
		}
		return nil
	case ActExport:
		if !v.AnalyzesIn(it.Consultation.ID) && !v.Moderates(it.Consultation.ID) {
			return forbidden()
		}
		return nil
	case ActWrite:
		return canWrite(v, it, p)
	}
	return fmt.Errorf("access: unknown action %q", a)
}

// canRead applies the read rule for the item's space, then the kind's.
func canRead(v Viewer, it Item, p Policy) error {
	c := it.Consultation
	if c == nil || it.Deleted {
		return errs.ErrNotFound
	}
	mod := v.Moderates(c.ID)
	if !c.Public() && !mod {
		return errs.ErrNotFound
	}
	if p.Read != nil {
		if err := p.Read(v, it, mod); err != nil {
			return err
		}
	}
	if it.GroupID != 0 && !mod && !v.Member(it.GroupID) && !(it.Kind == ItemFocusGroup && it.Listed) {
		return errs.ErrNotFound
	}
	state := it.State
	if state != "" && state != StatePublished && !mod && (it.AuthorID == 0 || it.AuthorID != v.ParticipantID) {
		return errs.ErrNotFound
	}
	return nil
}

// canWrite applies the write rule to an item v reads.
func canWrite(v Viewer, it Item, p Policy) error {
	c := it.Consultation
	if p.ReadOnly {
		return forbidden()
	}
	if p.Feature != "" {
		if it.Stage == nil {
			return fmt.Errorf("access: writing a %s needs the consultation's stage", it.Kind)
		}
		if err := it.Stage.Require(p.Feature); err != nil {
			return err
		}
	} else if c.Status != StatusOpen {
		return errs.E(errs.Forbidden, "error.feature_closed", map[string]any{"Feature": string(it.Kind)})
	}
	if v.User == nil && !it.Guests {
		return errs.E(errs.Forbidden, "error.sign_in_required", nil)
	}
	if v.ParticipantID == 0 && p.NeedsParticipant {
		return errs.E(errs.Forbidden, "error.sign_in_required", nil)
	}
	if v.BlockedIn(c.ID) {
		return errs.E(errs.Forbidden, "error.blocked", nil)
	}
	return nil
}

// denied is the answer to an action v may not take on it: not found when
// v does not even read it, forbidden otherwise.
func denied(v Viewer, it Item) error {
	if it.Kind == ItemSite || it.Consultation == nil {
		return forbidden()
	}
	if p, ok := policies[it.Kind]; ok && canRead(v, it, p) != nil {
		return errs.ErrNotFound
	}
	return forbidden()
}

func forbidden() error { return errs.E(errs.Forbidden, "error.action_forbidden", nil) }

// AddModerator makes user a moderator of consultation id, for the
// operator's command line and set-up code (the audit entry, AuditRoleAdd,
// names the system as actor), in one transaction with its audit entry.
// Naming someone already named changes nothing and writes no entry. Admins
// in the web interface use SetConsultationRole, which checks their right.
func (s *Store) AddModerator(ctx context.Context, id, user int64) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, "INSERT INTO consultation_moderators (consultation_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", id, user)
		if err != nil {
			return fmt.Errorf("add moderator: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return audit(ctx, tx, Viewer{}, AuditRoleAdd, "user", user, id, ConsultationModerator, now)
	})
}

// requireModerator is Can(ActModerate) for callers that hold only the id
// of consultation id: errs.Forbidden unless v moderates it. Who moderates
// does not depend on the consultation's status, so the item is built
// without reading the row.
func requireModerator(ctx context.Context, v Viewer, id int64) error {
	return Can(ctx, v, ActModerate, Item{Kind: ItemConsultation, Consultation: &Consultation{ID: id, Status: StatusOpen}})
}

// visibleSQL is the SQL form of Can's read rule for published public rows
// of a listing: state published and not deleted. Listings are always
// scoped to one space (consultation and focus group) that the caller has
// passed through Can first.
func visibleSQL(q *bun.SelectQuery, alias string) *bun.SelectQuery {
	return q.Where(alias+".state = ?", StatePublished)
}

// Item is consultation c itself as the access rule sees it.
func (c *Consultation) Item() Item { return Item{Kind: ItemConsultation, Consultation: c} }
