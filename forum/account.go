package forum

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// DeleteUserSessions ends every session of user userID (all devices).
func DeleteUserSessions(ctx context.Context, db bun.IDB, userID int64) error {
	_, err := db.NewDelete().Model((*Session)(nil)).Where("user_id = ?", userID).Exec(ctx)
	return err
}

// DeletedDisplayName is the name a deleted account's participant shows.
const DeletedDisplayName = ""

// DeleteAccount deletes user userID's account at v's request (the user
// themself) in one transaction with its audit row ("account_delete"):
// sessions, identities, password, sign-in links, consents and profile
// answers are removed; the users row is kept only as a tombstone (no email,
// no name, deleted_at set) so that its contributions stay, pseudonymized
// behind the participant's random public id, and its votes stay counted.
// Deleting a missing or already deleted user returns an errs.NotFound
// error; anyone but the user themself or an admin gets errs.Forbidden.
func (s *Store) DeleteAccount(ctx context.Context, v Viewer, userID int64) error {
	if v.User == nil {
		return errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if v.User.ID != userID {
			// Someone else's account: an administration of the site, decided
			// by the one rule with the admin's role read again here.
			if err := Can(ctx, v, ActAdminister, Item{Kind: ItemSite}); err != nil {
				return err
			}
		}
		if err := deleteUser(ctx, tx, userID, now); err != nil {
			return err
		}
		return audit(ctx, tx, v, "account_delete", "user", userID, 0, "", now)
	})
}

// deleteUser is DeleteAccount's statements, in the caller's transaction.
func deleteUser(ctx context.Context, tx bun.Tx, userID int64, now time.Time) error {
	if _, err := UserByID(ctx, tx, userID); err != nil {
		return err
	}
	for _, t := range []string{"sessions", "identities", "user_passwords", "signin_links", "consents", "profile_answers"} {
		if _, err := tx.NewRaw("DELETE FROM ? WHERE user_id = ?", bun.Ident(t), userID).Exec(ctx); err != nil {
			return fmt.Errorf("delete user %d: %s: %w", userID, t, err)
		}
	}
	_, err := tx.NewRaw(`DELETE FROM login_states WHERE link_user_id = ?`, userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete user %d: %w", userID, err)
	}
	_, err = tx.NewUpdate().Model((*User)(nil)).
		Set("email = NULL").Set("display_name = ?", DeletedDisplayName).Set("deleted_at = ?", now).
		Where("id = ?", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete user %d: %w", userID, err)
	}
	_, err = tx.NewUpdate().Model((*Participant)(nil)).Set("display_name = ?", DeletedDisplayName).
		Where("source = ? AND source_key = ?", ParticipantUser, strconv.FormatInt(userID, 10)).Exec(ctx)
	return err
}

// UserExport is the forum part of "Unduh data saya": everything stored
// about the user themself, and nothing about anyone else. Tokens and
// password hashes are never included; sessions appear by their times.
type UserExport struct {
	User        *User             `json:"account"`
	PublicID    string            `json:"participant_id,omitempty"`
	Identities  []Identity        `json:"sign_in_providers"`
	HasPassword bool              `json:"has_password"`
	Sessions    []SessionTimes    `json:"sessions"`
	Consents    []Consent         `json:"consents"`
	Answers     map[string]string `json:"profile_answers"`
}

// SessionTimes is a session as the export shows it: when it started and
// when it expires.
type SessionTimes struct {
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
	ExpiresAt time.Time `bun:"expires_at" json:"expires_at"`
}

// ExportUser gathers user userID's own data (see UserExport).
func ExportUser(ctx context.Context, db bun.IDB, userID int64) (*UserExport, error) {
	u, err := UserByID(ctx, db, userID)
	if err != nil {
		return nil, err
	}
	x := &UserExport{User: u}
	if p, err := FindParticipant(ctx, db, ParticipantUser, strconv.FormatInt(userID, 10)); err == nil {
		x.PublicID = p.PublicID
	} else if errs.KindOf(err) != errs.NotFound {
		return nil, err
	}
	if x.Identities, err = Identities(ctx, db, userID); err != nil {
		return nil, err
	}
	if x.HasPassword, err = HasPassword(ctx, db, userID); err != nil {
		return nil, err
	}
	if err := db.NewSelect().Table("sessions").Column("created_at", "expires_at").
		Where("user_id = ?", userID).Order("created_at").Scan(ctx, &x.Sessions); err != nil {
		return nil, fmt.Errorf("sessions of %d: %w", userID, err)
	}
	if x.Consents, err = Consents(ctx, db, userID); err != nil {
		return nil, err
	}
	if x.Answers, err = ProfileAnswers(ctx, db, userID); err != nil {
		return nil, err
	}
	return x, nil
}
