package forum

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// A removal from a focus group is kept per verified identity, not only per
// account: a removed member who deletes their account and signs in again
// with the same provider account, email or phone gets a new user id, but
// the same identities, so the removal still holds. Only keyed hashes
// (HMAC-SHA256 under the site's secret key, RFC 2104) of the identities are
// stored, so deleting the account still erases its personal data: a copy of
// the table names nobody and cannot be checked against a list of emails
// without the key.

// identityKeys returns the keyed hashes of user userID's verified
// identities: each linked (provider, subject) pair (OpenID Connect issuer
// and subject, or the "email" and "phone" code sign-ins with the
// normalized address) and the account's email, which is set only when
// verified.
func identityKeys(ctx context.Context, tx bun.IDB, userID int64) ([]string, error) {
	key, err := SecretKey(ctx, tx)
	if err != nil {
		return nil, err
	}
	var raw []string
	ids, err := Identities(ctx, tx, userID)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		raw = append(raw, "id\x00"+id.Provider+"\x00"+id.Subject)
		if id.Provider == "email" {
			raw = append(raw, "email\x00"+strings.ToLower(id.Subject))
		}
	}
	var email string
	if err := tx.NewSelect().Table("users").ColumnExpr("COALESCE(email, '')").Where("id = ?", userID).Scan(ctx, &email); err != nil {
		return nil, fmt.Errorf("identities of %d: %w", userID, err)
	}
	if email != "" {
		raw = append(raw, "email\x00"+strings.ToLower(email))
	}
	out := make([]string, 0, len(raw))
	seen := map[string]bool{}
	for _, r := range raw {
		m := hmac.New(sha256.New, key)
		m.Write([]byte("focus-group-removal\x00" + r))
		h := hex.EncodeToString(m.Sum(nil))
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out, nil
}

// recordRemoval keeps user userID's removal from group gid under each of
// the user's identity hashes.
func recordRemoval(ctx context.Context, tx bun.IDB, gid, userID int64, now time.Time) error {
	keys, err := identityKeys(ctx, tx, userID)
	if err != nil {
		return err
	}
	for _, k := range keys {
		_, err := tx.NewRaw(`INSERT INTO focus_group_removals (focus_group_id, identity_hash, created_at) VALUES (?, ?, ?)
			ON CONFLICT (focus_group_id, identity_hash) DO NOTHING`, gid, k, now).Exec(ctx)
		if err != nil {
			return fmt.Errorf("record removal from group %d: %w", gid, err)
		}
	}
	return nil
}

// removedIdentity reports whether any of user userID's identities was
// removed from group gid.
func removedIdentity(ctx context.Context, tx bun.IDB, gid, userID int64) (bool, error) {
	keys, err := identityKeys(ctx, tx, userID)
	if err != nil || len(keys) == 0 {
		return false, err
	}
	n, err := tx.NewSelect().Table("focus_group_removals").
		Where("focus_group_id = ? AND identity_hash IN (?)", gid, bun.In(keys)).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("removals of group %d: %w", gid, err)
	}
	return n > 0, nil
}

// forgetRemoval lifts user userID's removal from group gid, when a
// moderator takes them back.
func forgetRemoval(ctx context.Context, tx bun.IDB, gid, userID int64) error {
	keys, err := identityKeys(ctx, tx, userID)
	if err != nil || len(keys) == 0 {
		return err
	}
	_, err = tx.NewRaw(`DELETE FROM focus_group_removals WHERE focus_group_id = ? AND identity_hash IN (?)`, gid, bun.In(keys)).Exec(ctx)
	return err
}
