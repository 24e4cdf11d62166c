package forum

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// The sign-in steps' statements at a given time, for the tests of their
// rules (expiry, races) that set the clock per call; production code calls
// the Store methods.

func LinkIdentityAt(ctx context.Context, db bun.IDB, userID int64, provider, subject, email string, now time.Time) error {
	_, err := linkIdentity(ctx, db, userID, provider, subject, email, now)
	return err
}

func IdentityUserAt(ctx context.Context, db bun.IDB, provider, subject string, now time.Time) (*User, error) {
	return identityUser(ctx, db, provider, subject, now)
}

func UnlinkIdentityNow(ctx context.Context, db *bun.DB, userID int64, provider string) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return unlinkIdentity(ctx, tx, userID, provider) })
}

func SetPasswordAt(ctx context.Context, db bun.IDB, userID int64, password string, p Argon2Params, now time.Time) error {
	return setPassword(ctx, db, userID, password, p, now)
}

func CreateSignInLinkAt(ctx context.Context, db bun.IDB, userID int64, ttl time.Duration, now time.Time) (string, error) {
	return createSignInLink(ctx, db, userID, ttl, now)
}

func UseSignInLinkAt(ctx context.Context, db bun.IDB, tok string, now time.Time) (*User, error) {
	return useSignInLink(ctx, db, tok, now)
}

func SaveLoginStateAt(ctx context.Context, db bun.IDB, state string, st *LoginState, now time.Time) error {
	return saveLoginState(ctx, db, state, st, now)
}

func TakeLoginStateAt(ctx context.Context, db bun.IDB, state string, now time.Time) (*LoginState, error) {
	return takeLoginState(ctx, db, state, now)
}

func ThrottlePasswordAt(ctx context.Context, db bun.IDB, email, addr string, now time.Time) (time.Duration, error) {
	w, _, err := throttlePassword(ctx, db, email, addr, now)
	return w, err
}

func ClearPasswordThrottleAt(ctx context.Context, db bun.IDB, email, addr string) error {
	return clearPasswordThrottle(ctx, db, email, addr)
}

func CreateUserWithIdentityAt(ctx context.Context, db *bun.DB, u *User, provider, subject, email string, now time.Time) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return RegisterUser(ctx, tx, u, provider, subject, email, now)
	})
}
