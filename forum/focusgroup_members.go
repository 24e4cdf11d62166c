package forum

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// MaxInviteEmails bounds one list of emails invited at once.
const MaxInviteEmails = 200

// Member is one row of a focus group's member list: a user, their role in
// the group and whether a moderator removed them (RemovedAt set).
type Member struct {
	UserID      int64     `bun:"user_id"`
	DisplayName string    `bun:"display_name"`
	Email       string    `bun:"email"`
	Role        string    `bun:"role"`
	AddedAt     time.Time `bun:"added_at"`
	RemovedAt   time.Time `bun:"removed_at,nullzero"`
}

// Removed reports whether a moderator removed the member.
func (m Member) Removed() bool { return !m.RemovedAt.IsZero() }

// Members lists group g's members, current and removed, for the
// consultation's moderators (errs.Forbidden for anyone else).
func Members(ctx context.Context, db bun.IDB, v Viewer, g *FocusGroup) ([]Member, error) {
	if err := groupModerator(ctx, v, g); err != nil {
		return nil, err
	}
	var ms []Member
	err := db.NewSelect().TableExpr("focus_group_members AS m").Join("JOIN users AS u ON u.id = m.user_id").
		ColumnExpr("m.user_id, u.display_name, COALESCE(u.email, '') AS email, m.role, m.added_at, m.removed_at").
		Where("m.focus_group_id = ?", g.ID).OrderExpr("m.removed_at IS NOT NULL, u.display_name, m.user_id").Scan(ctx, &ms)
	if err != nil {
		return nil, fmt.Errorf("members of group %d: %w", g.ID, err)
	}
	return ms, nil
}

// EmailInvite is an invitation bound to one email address and its token
// (the link's secret, shown once and mailed; only its hash is stored, and
// the mail's copy is erased from the outbox once sent).
type EmailInvite struct {
	Email, Token string
}

// InviteEmails creates one invitation per address in list (separated by
// commas, semicolons or new lines; duplicates dropped) for group g that
// expires after ttl. Each can be accepted only by the user with that
// email. A malformed address is errs.Invalid "error.invite_bad_email" and
// nothing is stored. Only the consultation's moderators may. The
// invitations and their audit log entry are one transaction.
func (s *Store) InviteEmails(ctx context.Context, v Viewer, g *FocusGroup, list string, ttl time.Duration) ([]EmailInvite, error) {
	if err := groupModerator(ctx, v, g); err != nil {
		return nil, err
	}
	var out []EmailInvite
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
		a, err := mail.ParseAddress(strings.TrimSpace(f))
		if err != nil || strings.ContainsAny(a.Address, " \t") {
			return nil, errs.E(errs.Invalid, "error.invite_bad_email", map[string]any{"Email": strings.TrimSpace(f)})
		}
		e := strings.ToLower(a.Address)
		if !seen[e] {
			seen[e] = true
			out = append(out, EmailInvite{Email: e})
		}
	}
	if len(out) == 0 || len(out) > MaxInviteEmails {
		return nil, errs.E(errs.Invalid, "error.invite_emails_count", map[string]any{"Max": MaxInviteEmails})
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := groupModerator(ctx, v, g); err != nil {
			return err
		}
		for i := range out {
			tok, err := newInviteToken()
			if err != nil {
				return err
			}
			out[i].Token = tok
			_, err = tx.ExecContext(ctx, "INSERT INTO focus_group_invites (token_hash, focus_group_id, created_at, expires_at, email) VALUES (?, ?, ?, ?, ?)",
				hashToken(tok), g.ID, now, now.Add(ttl), out[i].Email)
			if err != nil {
				return fmt.Errorf("create invitation: %w", err)
			}
		}
		return audit(ctx, tx, v, "invite_emails", "focus_group", g.ID, g.ConsultationID, fmt.Sprintf("%d addresses", len(out)), now)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func newInviteToken() (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// inviteOf resolves a live invitation token to its group and bound email
// ("" for a link anyone may use); unknown or expired is errs.NotFound
// "error.invite_invalid", revoked (RevokeInvite) errs.NotFound
// "error.invite_revoked".
func inviteOf(ctx context.Context, db bun.IDB, tok string, now time.Time) (int64, string, error) {
	var row struct {
		GroupID   int64     `bun:"focus_group_id"`
		Email     string    `bun:"email"`
		RevokedAt time.Time `bun:"revoked_at,nullzero"`
	}
	err := db.NewSelect().Table("focus_group_invites").Column("focus_group_id", "email", "revoked_at").
		Where("token_hash = ? AND expires_at > ? AND used_at IS NULL", hashToken(tok), now).Scan(ctx, &row)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", errs.E(errs.NotFound, "error.invite_invalid", nil)
	}
	if err != nil {
		return 0, "", fmt.Errorf("invitation: %w", err)
	}
	if !row.RevokedAt.IsZero() {
		// Said as such: whoever holds the link knows it existed.
		return 0, "", errs.E(errs.NotFound, "error.invite_revoked", nil)
	}
	return row.GroupID, row.Email, nil
}

// InviteGroup returns the group and consultation a live invitation token
// leads to at the Store's time, so the acceptance page can name them (the
// token is the permission to know the name); unknown, expired, revoked or
// of a consultation not public is errs.NotFound. A read: opening an
// invitation changes nothing and writes no audit row; accepting it
// (AcceptInvite) reads the invitation again in its own transaction.
func (s *Store) InviteGroup(ctx context.Context, tok string) (*FocusGroup, *Consultation, error) {
	db, now := s.db, s.now().UTC()
	gid, _, err := inviteOf(ctx, db, tok, now)
	if err != nil {
		return nil, nil, err
	}
	g := new(FocusGroup)
	if err := db.NewSelect().Model(g).Where("id = ?", gid).Scan(ctx); err != nil {
		return nil, nil, errs.E(errs.NotFound, "error.invite_invalid", nil)
	}
	c, err := ConsultationByRef(ctx, db, fmt.Sprint(g.ConsultationID))
	if err != nil {
		return nil, nil, err
	}
	// The token admits whoever holds it to the group's name, not to a
	// consultation a guest may not read (a draft).
	if err := Can(ctx, GuestViewer(0), ActRead, c.Item()); err != nil {
		return nil, nil, errs.E(errs.NotFound, "error.invite_invalid", nil)
	}
	return g, c, nil
}
