package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// FocusGroup is a private space of a consultation (kelompok fokus): only
// its members see what is inside. Listed groups show their name to
// everyone; unlisted ones are invisible to non-members.
type FocusGroup struct {
	bun.BaseModel `bun:"table:focus_groups"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	ConsultationID int64     `bun:"consultation_id,notnull" json:"-"`
	Name           string    `bun:"name,notnull" json:"name"`
	Listed         bool      `bun:"listed,notnull" json:"listed"`
	CreatedAt      time.Time `bun:"created_at,notnull" json:"created_at"`
}

// Member roles in a focus group.
const (
	MemberRole          = "member"
	MemberRoleModerator = "moderator"
)

// MaxGroupNameRunes bounds a focus group's name.
const MaxGroupNameRunes = 100

// CreateFocusGroup adds g to its consultation and sets g.ID, in one
// transaction with its audit log entry; only moderators of it may
// (errs.Forbidden), a name of 1 to MaxGroupNameRunes characters is
// required (errs.Invalid).
func (s *Store) CreateFocusGroup(ctx context.Context, v Viewer, g *FocusGroup) error {
	if err := groupModerator(ctx, v, g); err != nil {
		return err
	}
	name, err := plainText(g.Name, "name", 1, MaxGroupNameRunes)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := groupModerator(ctx, v, g); err != nil {
			return err
		}
		g.Name, g.CreatedAt = name, now
		if _, err := tx.NewInsert().Model(g).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("create focus group: %w", err)
		}
		return audit(ctx, tx, v, "focus_group_create", "focus_group", g.ID, g.ConsultationID, g.Name, now)
	})
	if err != nil {
		g.ID = 0
	}
	return err
}

// FocusGroupByID returns group id of consultation c if v may see that it
// exists (listed, or v sees its content); errs.ErrNotFound otherwise.
func FocusGroupByID(ctx context.Context, db bun.IDB, v Viewer, c *Consultation, id int64) (*FocusGroup, error) {
	g := new(FocusGroup)
	err := db.NewSelect().Model(g).Where("id = ? AND consultation_id = ?", id, c.ID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("focus group %d: %w", id, err)
	}
	if err := Can(ctx, v, ActRead, g.item(c)); err != nil {
		return nil, err
	}
	return g, nil
}

// FocusGroupsFor lists consultation c's groups whose existence v may know:
// listed ones and the ones v sees inside.
func FocusGroupsFor(ctx context.Context, db bun.IDB, v Viewer, c *Consultation) ([]FocusGroup, error) {
	var all []FocusGroup
	if err := db.NewSelect().Model(&all).Where("consultation_id = ?", c.ID).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("focus groups: %w", err)
	}
	var out []FocusGroup
	for _, g := range all {
		if err := Can(ctx, v, ActRead, g.item(c)); err == nil {
			out = append(out, g)
		} else if errs.KindOf(err) != errs.NotFound {
			return nil, err
		}
	}
	return out, nil
}

// item is g as the access rule sees it: reading it means knowing that it
// exists (listed groups to anyone who reads the consultation), reading
// its content is reading an item with GroupID g.ID.
func (g *FocusGroup) item(c *Consultation) Item {
	return Item{Kind: ItemFocusGroup, Consultation: c, GroupID: g.ID, Listed: g.Listed}
}

// groupModerator checks that v moderates the consultation of group g.
func groupModerator(ctx context.Context, v Viewer, g *FocusGroup) error {
	return requireModerator(ctx, v, g.ConsultationID)
}

// SetMember adds user to group g with role (MemberRole or
// MemberRoleModerator, errs.Invalid otherwise), or takes them back after a
// removal, in one transaction with its audit log entry. Only the
// consultation's moderators may (errs.Forbidden). After the commit it runs
// the access-change hook: a moderator made member loses moderation.
func (s *Store) SetMember(ctx context.Context, v Viewer, g *FocusGroup, user int64, role string) error {
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := requireModerator(ctx, v, g.ConsultationID); err != nil {
			return err
		}
		if role != MemberRole && role != MemberRoleModerator {
			return errs.E(errs.Invalid, "error.bad_form", nil)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO focus_group_members (focus_group_id, user_id, role, added_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (focus_group_id, user_id) DO UPDATE SET role = EXCLUDED.role, removed_at = NULL`, g.ID, user, role, now)
		if err != nil {
			return fmt.Errorf("add member: %w", err)
		}
		if err := forgetRemoval(ctx, tx, g.ID, user); err != nil {
			return err
		}
		return audit(ctx, tx, v, "member_add", "focus_group", g.ID, g.ConsultationID, fmt.Sprintf("user %d as %s", user, role), now)
	})
	if err != nil {
		return err
	}
	s.accessChanged(ctx, g.ConsultationID)
	return nil
}

// RemoveMember ends user's membership of group g, in one transaction with
// its audit log entry; they lose sight of its content at once, in every
// path: after the commit it runs the access-change hook, which closes their
// open websockets. Only the consultation's moderators may (errs.Forbidden).
func (s *Store) RemoveMember(ctx context.Context, v Viewer, g *FocusGroup, user int64) error {
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := requireModerator(ctx, v, g.ConsultationID); err != nil {
			return err
		}
		_, err := tx.NewUpdate().Table("focus_group_members").Set("removed_at = ?", now).
			Where("focus_group_id = ? AND user_id = ?", g.ID, user).Exec(ctx)
		if err != nil {
			return fmt.Errorf("remove member: %w", err)
		}
		if err := recordRemoval(ctx, tx, g.ID, user, now); err != nil {
			return err
		}
		return audit(ctx, tx, v, "member_remove", "focus_group", g.ID, g.ConsultationID, fmt.Sprintf("user %d", user), now)
	})
	if err != nil {
		return err
	}
	s.accessChanged(ctx, g.ConsultationID)
	return nil
}

// Invite creates an invitation link token for group g that expires after
// ttl; only its SHA-256 is stored, in one transaction with its audit log
// entry. Only the consultation's moderators may (errs.Forbidden).
func (s *Store) Invite(ctx context.Context, v Viewer, g *FocusGroup, ttl time.Duration) (string, error) {
	if err := groupModerator(ctx, v, g); err != nil {
		return "", err
	}
	tok, err := newInviteToken()
	if err != nil {
		return "", err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := groupModerator(ctx, v, g); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO focus_group_invites (token_hash, focus_group_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
			hashToken(tok), g.ID, now, now.Add(ttl))
		if err != nil {
			return fmt.Errorf("create invitation: %w", err)
		}
		return audit(ctx, tx, v, "invite_link", "focus_group", g.ID, g.ConsultationID, ttl.String(), now)
	})
	if err != nil {
		return "", err
	}
	return tok, nil
}

// AcceptInvite makes signed-in user u a member of the invitation's group
// and returns the group id. An unknown, expired or (for an invitation sent
// to one address) already used token is errs.NotFound; a member removed by
// a moderator stays removed (errs.Forbidden), also after deleting the
// account and signing in again with any of the same verified identities
// (removal.go), and an
// invitation sent to an email address is for the user with that address
// only (errs.Forbidden "error.invite_email"). The invitation and the
// removal are read in the transaction that adds the member, with its
// audit log entry, so a removal committed meanwhile is not undone. So is
// the consultation (canJoin): joining is taking part, refused once it is
// closed or archived (errs.Forbidden "error.invite_closed") and not found
// once it is a draft, as opening the link is (InviteGroup).
func (s *Store) AcceptInvite(ctx context.Context, u *User, tok string) (int64, error) {
	var gid int64
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		var email string
		var err error
		if gid, email, err = inviteOf(ctx, tx, tok, now); err != nil {
			return err
		}
		if email != "" && !strings.EqualFold(email, u.Email) {
			return errs.E(errs.Forbidden, "error.invite_email", nil)
		}
		var g FocusGroup
		if err := tx.NewSelect().Model(&g).Where("id = ?", gid).Scan(ctx); err != nil {
			return fmt.Errorf("invitation group %d: %w", gid, err)
		}
		if err := canJoin(ctx, tx, u, g.ConsultationID, now); err != nil {
			return err
		}
		removed, err := tx.NewSelect().Table("focus_group_members").
			Where("focus_group_id = ? AND user_id = ? AND removed_at IS NOT NULL", gid, u.ID).Count(ctx)
		if err != nil {
			return fmt.Errorf("invitation: %w", err)
		}
		if removed == 0 {
			gone, err := removedIdentity(ctx, tx, gid, u.ID)
			if err != nil {
				return err
			}
			if gone {
				removed = 1
			}
		}
		if removed > 0 {
			return errs.E(errs.Forbidden, "error.invite_removed", nil)
		}
		if email != "" {
			// An invitation sent to one address admits one person once.
			res, err := tx.ExecContext(ctx, "UPDATE focus_group_invites SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", now, hashToken(tok))
			if err != nil {
				return fmt.Errorf("use invitation: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return errs.E(errs.NotFound, "error.invite_invalid", nil)
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO focus_group_members (focus_group_id, user_id, role, added_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (focus_group_id, user_id) DO NOTHING`, gid, u.ID, MemberRole, now)
		if err != nil {
			return fmt.Errorf("join group: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // already a member: nothing changed, nothing to audit
		}
		return audit(ctx, tx, Viewer{User: u}, "member_join", "focus_group", gid, g.ConsultationID, "invitation", now)
	})
	if err != nil {
		return 0, err
	}
	return gid, nil
}

// canJoin is Can's write rule for user u joining a focus group of
// consultation cid inside the accepting transaction tx (whose ctx makes Can
// read the consultation's status and u's blocks again in tx): the
// consultation must be open, u signed in with a participant and not
// blocked in it. A draft is errs.NotFound "error.invite_invalid" and a
// closed or archived one errs.Forbidden "error.invite_closed"; other
// refusals (a block) are Can's own.
func canJoin(ctx context.Context, tx bun.Tx, u *User, cid int64, now time.Time) error {
	p, err := UserParticipant(ctx, tx, u, now)
	if err != nil {
		return err
	}
	v, err := LoadViewer(ctx, tx, u, p.ID)
	if err != nil {
		return err
	}
	err = Can(ctx, v, ActWrite, Item{Kind: ItemConsultation, Consultation: &Consultation{ID: cid}})
	switch e := errs.As(err); {
	case err == nil:
		return nil
	case errs.KindOf(err) == errs.NotFound:
		return errs.E(errs.NotFound, "error.invite_invalid", nil)
	case e != nil && e.Key == "error.feature_closed":
		return errs.E(errs.Forbidden, "error.invite_closed", nil)
	}
	return err
}
