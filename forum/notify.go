package forum

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Notification kinds.
const (
	NotifyReply    = "reply"    // a reply to the recipient's comment
	NotifyComment  = "comment"  // a comment on a proposal the recipient follows
	NotifyAnswer   = "answer"   // an official answer on a proposal the recipient wrote, supports or follows
	NotifyProposal = "proposal" // a new proposal in a consultation the recipient follows
)

// Notification is one in-app notification of a user about a proposal
// (and, for replies and comments, one of its comments), or about a
// subject of another package (SubjectKind and SubjectID, NotifySubject;
// the proposal fields are then 0). It stores ids only: titles and text are
// read, and visibility judged, when it is shown.
type Notification struct {
	bun.BaseModel `bun:"table:notifications,alias:n"`

	ID             int64     `bun:"id,pk,autoincrement"`
	UserID         int64     `bun:"user_id,notnull"`
	Kind           string    `bun:"kind,notnull"`
	ConsultationID int64     `bun:"consultation_id,notnull"`
	ProposalID     int64     `bun:"proposal_id,notnull"`
	CommentID      int64     `bun:"comment_id,notnull"`
	SubjectKind    string    `bun:"subject_kind,notnull"`
	SubjectID      int64     `bun:"subject_id,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
	ReadAt         time.Time `bun:"read_at,nullzero"`
}

// Delivery is a notification just created and the user it is for, so the
// caller can also send it by email.
type Delivery struct {
	Notification
	User *User
	// Subject describes a notification about a subject (NotifySubject);
	// nil for one about a proposal.
	Subject *Subject
}

// notifyNewComment notifies, after comment cm on proposal p of c was
// stored: the author of the comment it replies to (NotifyReply) and the
// proposal's followers (NotifyComment), never cm's own author, and only
// users who may see cm now.
func notifyNewComment(ctx context.Context, db bun.IDB, c *Consultation, p *Proposal, cm *Comment, now time.Time) ([]Delivery, error) {
	to := map[int64]string{}
	fs, err := followers(ctx, db, FollowProposal, p.ID)
	if err != nil {
		return nil, err
	}
	for _, u := range fs {
		to[u] = NotifyComment
	}
	if cm.ParentID != 0 {
		parent, err := commentByID(ctx, db, cm.ParentID)
		if err != nil {
			return nil, err
		}
		us, err := usersOfParticipants(ctx, db, []int64{parent.AuthorID})
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			to[u] = NotifyReply
		}
	}
	it := Item{Consultation: c, GroupID: cm.FocusGroupID, State: cm.State, Deleted: !cm.DeletedAt.IsZero()}
	return notify(ctx, db, to, cm.AuthorID, it, Notification{ConsultationID: c.ID, ProposalID: p.ID, CommentID: cm.ID}, now)
}

// notifyAnswered notifies proposal p's author, supporters and followers of
// its official answer (NotifyAnswer), among those who may see p.
func notifyAnswered(ctx context.Context, db bun.IDB, c *Consultation, p *Proposal, now time.Time) ([]Delivery, error) {
	var pids []int64
	if err := db.NewSelect().Table("supports").Column("participant_id").Where("proposal_id = ?", p.ID).Scan(ctx, &pids); err != nil {
		return nil, fmt.Errorf("supporters of proposal %d: %w", p.ID, err)
	}
	us, err := usersOfParticipants(ctx, db, append(pids, p.AuthorID))
	if err != nil {
		return nil, err
	}
	fs, err := followers(ctx, db, FollowProposal, p.ID)
	if err != nil {
		return nil, err
	}
	to := map[int64]string{}
	for _, u := range append(us, fs...) {
		to[u] = NotifyAnswer
	}
	return notify(ctx, db, to, 0, p.item(c), Notification{ConsultationID: c.ID, ProposalID: p.ID}, now)
}

// notifyNewProposal notifies the followers of p's consultation of the new
// proposal (NotifyProposal), except its author, among those who may see
// it (a focus group's proposal reaches its members only).
func notifyNewProposal(ctx context.Context, db bun.IDB, c *Consultation, p *Proposal, now time.Time) ([]Delivery, error) {
	fs, err := followers(ctx, db, FollowConsultation, c.ID)
	if err != nil {
		return nil, err
	}
	to := map[int64]string{}
	for _, u := range fs {
		to[u] = NotifyProposal
	}
	return notify(ctx, db, to, p.AuthorID, p.item(c), Notification{ConsultationID: c.ID, ProposalID: p.ID}, now)
}

// notify stores one notification per recipient (user id → kind) who may
// see it now, skipping the user of participant actor.
func notify(ctx context.Context, db bun.IDB, to map[int64]string, actor int64, it Item, n Notification, now time.Time) ([]Delivery, error) {
	if actor != 0 {
		us, err := usersOfParticipants(ctx, db, []int64{actor})
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			delete(to, u)
		}
	}
	if len(to) == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, len(to))
	for u := range to {
		ids = append(ids, u)
	}
	var users []User
	if err := db.NewSelect().Model(&users).Where("id IN (?) AND deleted_at IS NULL", bun.In(ids)).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("notified users: %w", err)
	}
	var out []Delivery
	for i := range users {
		u := &users[i]
		pid, err := participantOfUser(ctx, db, u.ID)
		if err != nil {
			return nil, err
		}
		it.AuthorID = -1 // the recipient is never the author here: pending content notifies nobody
		v, err := LoadViewer(ctx, db, u, pid)
		if err != nil {
			return nil, err
		}
		it.Kind, it.OwnerID = ItemNotification, u.ID
		if err := Can(ctx, v, ActRead, it); err != nil {
			if errs.KindOf(err) == errs.NotFound {
				continue
			}
			return nil, err
		}
		d := Delivery{Notification: n, User: u}
		d.UserID, d.Kind, d.CreatedAt = u.ID, to[u.ID], now
		if _, err := db.NewInsert().Model(&d.Notification).Returning("id").Exec(ctx); err != nil {
			return nil, fmt.Errorf("insert notification: %w", err)
		}
		out = append(out, d)
	}
	return out, nil
}

// usersOfParticipants maps participant ids to the ids of the signed-in
// users they act for (guests and imported participants have none).
func usersOfParticipants(ctx context.Context, db bun.IDB, pids []int64) ([]int64, error) {
	if len(pids) == 0 {
		return nil, nil
	}
	var keys []string
	err := db.NewSelect().Table("participants").Column("source_key").
		Where("id IN (?) AND kind = ? AND source = ?", bun.In(pids), ParticipantUser, ParticipantUser).Scan(ctx, &keys)
	if err != nil {
		return nil, fmt.Errorf("users of participants: %w", err)
	}
	var out []int64
	for _, k := range keys {
		if id, err := strconv.ParseInt(k, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out, nil
}

// participantOfUser returns the participant id of user id, 0 if none yet.
func participantOfUser(ctx context.Context, db bun.IDB, id int64) (int64, error) {
	var pids []int64
	err := db.NewSelect().Table("participants").Column("id").
		Where("source = ? AND source_key = ?", ParticipantUser, strconv.FormatInt(id, 10)).Limit(1).Scan(ctx, &pids)
	if err != nil {
		return 0, fmt.Errorf("participant of user %d: %w", id, err)
	}
	if len(pids) == 0 {
		return 0, nil
	}
	return pids[0], nil
}
