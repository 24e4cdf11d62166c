package forum

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Audit actions of the steps before a session exists. Each is written on
// target kind "user" (the account), in the transaction of its change:
//
//   - AuditUserCreate: an account was made (reason: how, "cli" or the
//     provider of its first identity);
//   - AuditIdentityLink, AuditIdentityUnlink: a way to sign in was added or
//     removed (reason: the provider; never the address or subject);
//   - AuditPasswordSet: a staff password was set;
//   - AuditSignInLinkIssue, AuditSignInLinkUse: a one-time staff sign-in
//     link was made (by the system) or used;
//   - AuditSignInCode: a one-time code or its magic link was used
//     (forum/otp; reason: "email", "sms", "whatsapp" or "email_link");
//   - AuditSignInThrottle: a password sign-in to the account started to be
//     delayed (reason: the first delay), once per run of failures.
//
// Not logged, on purpose: asking for a code (anyone may ask, for any
// address, so the audit log would be open to strangers; the message's
// outbox row records it), each wrong guess and each count towards a rate
// limit (the counters are the record, and a row per guess would let one
// client flood the log), social sign-in states (they change nothing of an
// account), and marking an identity used.
const (
	AuditUserCreate      = "user_create"
	AuditIdentityLink    = "identity_link"
	AuditIdentityUnlink  = "identity_unlink"
	AuditPasswordSet     = "password_set"
	AuditSignInLinkIssue = "signin_link_issue"
	AuditSignInLinkUse   = "signin_link_use"
	AuditSignInCode      = "signin_code"
	AuditSignInThrottle  = "signin_throttle"
)

// RegisterUser creates user u (CreateUser's defaults and errors) and
// links the verified identity (provider, subject) to it, with their audit
// rows (AuditUserCreate, actor the new user; AuditIdentityLink), in tx:
// the transaction of the sign-in that makes the account (forum/otp's code
// check, Store.CreateUserWithIdentity). email is what the provider said.
func RegisterUser(ctx context.Context, tx bun.Tx, u *User, provider, subject, email string, now time.Time) error {
	if err := createUser(ctx, tx, u, now); err != nil {
		return err
	}
	if err := audit(ctx, tx, Viewer{User: u}, "user_create", "user", u.ID, 0, provider, now); err != nil {
		return err
	}
	return LinkIdentity(ctx, tx, u, provider, subject, email, now)
}

// LinkIdentity links (provider, subject) to user u, in tx, with an
// AuditIdentityLink row when the link is new (linking an identity already
// linked to u only marks it used). Errors: errs.Invalid
// "error.identity_invalid" for an empty provider or subject; errs.Conflict
// "error.identity_taken" when the identity belongs to another user,
// "error.identity_provider_linked" when u already has another account at
// provider. The unique indexes settle concurrent links.
func LinkIdentity(ctx context.Context, tx bun.Tx, u *User, provider, subject, email string, now time.Time) error {
	added, err := linkIdentity(ctx, tx, u.ID, provider, subject, email, now)
	if err != nil || !added {
		return err
	}
	return audit(ctx, tx, Viewer{User: u}, "identity_link", "user", u.ID, 0, provider, now)
}

// UseIdentity returns the live user linked to (provider, subject) and
// marks the identity used, in tx; errs.ErrNotFound when none is linked.
func UseIdentity(ctx context.Context, tx bun.Tx, provider, subject string, now time.Time) (*User, error) {
	return identityUser(ctx, tx, provider, subject, now)
}

// CreateUser creates user u as actor v (the zero Viewer for the system,
// e.g. "rembug user create") with its AuditUserCreate row (reason "cli"
// for the system, else "admin"). Errors as the package-level CreateUser.
func (s *Store) CreateUser(ctx context.Context, v Viewer, u *User) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := createUser(ctx, tx, u, now); err != nil {
			return err
		}
		how := "cli"
		if v.User != nil {
			how = "admin"
		}
		return audit(ctx, tx, v, "user_create", "user", u.ID, 0, how, now)
	})
}

// CreateUserWithIdentity creates user u and links (provider, subject) to it
// in one transaction with their audit rows, for a first social sign-in
// (RegisterUser). u.Email must be set only when the provider verified it
// in signed claims. The caller has already checked that no user has that
// email; the unique index on users.email turns a concurrent duplicate into
// an errs.Conflict error.
func (s *Store) CreateUserWithIdentity(ctx context.Context, u *User, provider, subject, email string) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		return RegisterUser(ctx, tx, u, provider, subject, email, now)
	})
}

// SignInIdentity returns the user linked to (provider, subject), marking
// the identity used; errs.ErrNotFound when no live user is linked.
func (s *Store) SignInIdentity(ctx context.Context, provider, subject string) (*User, error) {
	var u *User
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		var err error
		u, err = UseIdentity(ctx, tx, provider, subject, now)
		return err
	})
	return u, err
}

// LinkIdentity links (provider, subject) to signed-in user u, with its
// audit row (the package-level LinkIdentity's errors).
func (s *Store) LinkIdentity(ctx context.Context, u *User, provider, subject, email string) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		return LinkIdentity(ctx, tx, u, provider, subject, email, now)
	})
}

// UnlinkIdentity removes signed-in user u's identity at provider, in one
// transaction with the check that another way to sign in remains (another
// identity or a password) and its AuditIdentityUnlink row. It returns
// errs.ErrNotFound when there is no such identity and an errs.Conflict
// error "error.identity_last" when it is the last way in.
func (s *Store) UnlinkIdentity(ctx context.Context, u *User, provider string) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := unlinkIdentity(ctx, tx, u.ID, provider); err != nil {
			return err
		}
		return audit(ctx, tx, Viewer{User: u}, "identity_unlink", "user", u.ID, 0, provider, now)
	})
}

// SetPassword sets staff user userID's password (hashed with p) as actor v
// (the zero Viewer for the system), with its AuditPasswordSet row. Errors:
// ValidPassword's; errs.NotFound; errs.Forbidden "error.password_staff_only"
// for a user who is not staff (only staff sign in with a password).
func (s *Store) SetPassword(ctx context.Context, v Viewer, userID int64, password string, p Argon2Params) error {
	if err := ValidPassword(password); err != nil {
		return err // before the transaction: hashing is slow and needs no lock
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := setPassword(ctx, tx, userID, password, p, now); err != nil {
			return err
		}
		return audit(ctx, tx, v, "password_set", "user", userID, 0, "", now)
	})
}

// CreateSignInLink returns a fresh one-time sign-in token for user userID,
// valid for ttl (only its hash is stored; expired links of everyone are
// purged on the way), with its AuditSignInLinkIssue row by the system.
// errs.NotFound for an unknown user.
func (s *Store) CreateSignInLink(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	var tok string
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		var err error
		if tok, err = createSignInLink(ctx, tx, userID, ttl, now); err != nil {
			return err
		}
		return audit(ctx, tx, Viewer{}, "signin_link_issue", "user", userID, 0, ttl.String(), now)
	})
	return tok, err
}

// UseSignInLink consumes sign-in token tok and returns its user, with an
// AuditSignInLinkUse row. Of two concurrent uses exactly one succeeds. An
// unknown, used or expired token is an errs.NotFound error
// "error.signin_link_invalid"; a token found expired is deleted all the
// same.
func (s *Store) UseSignInLink(ctx context.Context, tok string) (*User, error) {
	var u *User
	var bad error
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		var err error
		u, err = useSignInLink(ctx, tx, tok, now)
		if errs.KindOf(err) == errs.NotFound {
			bad = err // commit the deletion of an expired link
			return nil
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, Viewer{User: u}, "signin_link_use", "user", u.ID, 0, "", now)
	})
	if err == nil && bad != nil {
		return nil, bad
	}
	return u, err
}

// SaveLoginState stores st for the social sign-in state value state (only
// its hash is kept; st.StateHash is set), valid for LoginStateTTL unless
// st.ExpiresAt is set, and purges expired states. Not audited: it changes
// nothing of an account.
func (s *Store) SaveLoginState(ctx context.Context, state string, st *LoginState) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		return saveLoginState(ctx, tx, state, st, now)
	})
}

// TakeLoginState consumes the login state of state value state (deleted
// and returned in one statement, so a replayed callback finds nothing).
// errs.Invalid "error.login_state" when it is empty, unknown, used or
// expired.
func (s *Store) TakeLoginState(ctx context.Context, state string) (*LoginState, error) {
	var st *LoginState
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		var err error
		st, err = takeLoginState(ctx, tx, state, now)
		return err
	})
	return st, err
}

// ThrottlePassword charges one password attempt of email from client
// address addr (see PasswordDelay for the rule and its source). It returns
// 0 when the attempt may go ahead, counted as a failure in advance so
// parallel guesses cannot slip past a check-then-count race
// (ClearPasswordThrottle forgets it after a correct password), or how long
// the pair must still wait, in which case the password must not be checked
// at all. When this attempt starts the pair's first delay and email is an
// account's, an AuditSignInThrottle row on that account records it: once
// per run of failures, not per guess.
func (s *Store) ThrottlePassword(ctx context.Context, email, addr string) (time.Duration, error) {
	var wait time.Duration
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		var failures int
		var err error
		if wait, failures, err = throttlePassword(ctx, tx, email, addr, now); err != nil || failures != PasswordFreeFailures+1 {
			return err
		}
		u, err := UserByEmail(ctx, tx, email)
		if errs.KindOf(err) == errs.NotFound {
			return nil
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, Viewer{}, "signin_throttle", "user", u.ID, 0, PasswordDelay(failures).String(), now)
	})
	return wait, err
}

// ClearPasswordThrottle forgets the failures of (email, addr) after a
// correct password.
func (s *Store) ClearPasswordThrottle(ctx context.Context, email, addr string) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		return clearPasswordThrottle(ctx, tx, email, addr)
	})
}
