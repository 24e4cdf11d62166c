package forum

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// NewToken returns 32 random bytes as unpadded base64url (43 characters):
// the form of session tokens, sign-in link tokens and OAuth state values.
func NewToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("forum: crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// HashToken returns the hex SHA-256 of tok: what the database keeps of
// every bearer token, so that a copy of the database opens nothing.
func HashToken(tok string) string { return hashToken(tok) }

// signinLink is a one-time sign-in link for a staff member, printed by
// "rembug user create" instead of setting a password.
type signinLink struct {
	bun.BaseModel `bun:"table:signin_links"`

	TokenHash string    `bun:"token_hash,pk"`
	UserID    int64     `bun:"user_id,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	ExpiresAt time.Time `bun:"expires_at,notnull"`
}

// SignInLinkTTL is how long a one-time sign-in link stays valid.
const SignInLinkTTL = 24 * time.Hour

// createSignInLink returns a fresh one-time sign-in token for user userID,
// valid until now+ttl; only its hash is stored. Expired links of everyone
// are purged on the way.
func createSignInLink(ctx context.Context, db bun.IDB, userID int64, ttl time.Duration, now time.Time) (string, error) {
	if _, err := UserByID(ctx, db, userID); err != nil {
		return "", err
	}
	if _, err := db.NewDelete().Model((*signinLink)(nil)).Where("expires_at <= ?", now).Exec(ctx); err != nil {
		return "", fmt.Errorf("purge sign-in links: %w", err)
	}
	tok := NewToken()
	l := &signinLink{TokenHash: hashToken(tok), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if _, err := db.NewInsert().Model(l).Exec(ctx); err != nil {
		return "", fmt.Errorf("create sign-in link: %w", err)
	}
	return tok, nil
}

// useSignInLink consumes sign-in token tok and returns its user. The row is
// deleted and read in one statement, so of two concurrent uses exactly one
// succeeds. It returns an errs.NotFound error "error.signin_link_invalid" for
// an unknown, used or expired token.
func useSignInLink(ctx context.Context, db bun.IDB, tok string, now time.Time) (*User, error) {
	invalid := errs.E(errs.NotFound, "error.signin_link_invalid", nil)
	if tok == "" {
		return nil, invalid
	}
	var rows []signinLink
	_, err := db.NewDelete().Model(&rows).Where("token_hash = ?", hashToken(tok)).Returning("*").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("use sign-in link: %w", err)
	}
	if len(rows) != 1 || !rows[0].ExpiresAt.After(now) {
		return nil, invalid
	}
	u, err := UserByID(ctx, db, rows[0].UserID)
	if errs.KindOf(err) == errs.NotFound {
		return nil, invalid
	}
	return u, err
}

// LoginState is a social sign-in in progress, between the redirect to the
// provider and its callback. State (sent to the provider and back) is
// stored hashed; BrowserHash is the hash of a random value kept in a
// cookie of the browser that started, so a callback in another browser (a
// login CSRF, CASES C14) fails. Verifier is the PKCE code verifier (RFC
// 7636) and Nonce the OpenID Connect nonce. LinkUserID is set when a
// signed-in user is linking another provider; ReturnTo is a local path.
type LoginState struct {
	bun.BaseModel `bun:"table:login_states"`

	StateHash   string    `bun:"state_hash,pk"`
	BrowserHash string    `bun:"browser_hash,notnull"`
	Provider    string    `bun:"provider,notnull"`
	Verifier    string    `bun:"verifier,notnull"`
	Nonce       string    `bun:"nonce,notnull"`
	LinkUserID  int64     `bun:"link_user_id,nullzero"`
	ReturnTo    string    `bun:"return_to,notnull"`
	ExpiresAt   time.Time `bun:"expires_at,notnull"`
}

// LoginStateTTL bounds the time between starting a social sign-in and its
// callback.
const LoginStateTTL = 10 * time.Minute

// saveLoginState stores st for the state value state (only its hash is
// kept; st.StateHash is set) and purges expired states.
func saveLoginState(ctx context.Context, db bun.IDB, state string, st *LoginState, now time.Time) error {
	if _, err := db.NewDelete().Model((*LoginState)(nil)).Where("expires_at <= ?", now).Exec(ctx); err != nil {
		return fmt.Errorf("purge login states: %w", err)
	}
	st.StateHash = hashToken(state)
	if st.ExpiresAt.IsZero() {
		st.ExpiresAt = now.Add(LoginStateTTL)
	}
	if _, err := db.NewInsert().Model(st).Exec(ctx); err != nil {
		return fmt.Errorf("save login state: %w", err)
	}
	return nil
}

// takeLoginState consumes the login state of state value state: it is
// deleted and returned in one statement, so a replayed callback finds
// nothing. It returns an errs.Invalid error "error.login_state" when the
// state is empty, unknown, already used or expired.
func takeLoginState(ctx context.Context, db bun.IDB, state string, now time.Time) (*LoginState, error) {
	bad := errs.E(errs.Invalid, "error.login_state", nil)
	if state == "" {
		return nil, bad
	}
	var rows []LoginState
	_, err := db.NewDelete().Model(&rows).Where("state_hash = ?", hashToken(state)).Returning("*").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("take login state: %w", err)
	}
	if len(rows) != 1 || !rows[0].ExpiresAt.After(now) {
		return nil, bad
	}
	return &rows[0], nil
}
