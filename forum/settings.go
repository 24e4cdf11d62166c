package forum

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/uptrace/bun"
)

// SecretKey returns the installation's 32-byte signing key (for guest cookies
// and CSRF tokens), creating it on first use. It lives in the database so that
// every node of a multi-node installation signs and checks alike.
func SecretKey(ctx context.Context, db bun.IDB) ([]byte, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	_, err := db.ExecContext(ctx, "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
		"secret_key", hex.EncodeToString(b[:]))
	if err != nil {
		return nil, fmt.Errorf("store secret key: %w", err)
	}
	var v string
	if err := db.NewSelect().Table("settings").Column("value").Where("name = ?", "secret_key").Scan(ctx, &v); err != nil {
		return nil, fmt.Errorf("read secret key: %w", err)
	}
	key, err := hex.DecodeString(v)
	if err != nil || len(key) < 32 {
		return nil, fmt.Errorf("secret key in settings is malformed")
	}
	return key, nil
}
