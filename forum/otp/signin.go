package otp

import (
	"context"
	"crypto/subtle"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/uptrace/bun"
)

// Request asks for a code.
type Request struct {
	// Channel is how the code travels; Address is where, as the person
	// typed it (normalized by NormalizeAddress).
	Channel messaging.Channel
	Address string
	// Client is the client's IP address, for the rate limit.
	Client string
	// Browser is a value only the asking browser knows (a hash of its
	// signed visitor id): the code works only there. The magic link works
	// in any browser, since it carries a 256-bit secret of its own.
	Browser string
	// ReturnTo is the local path to go back to after signing in.
	ReturnTo string
	// LinkUser, when set, makes the code link its phone number to that
	// signed-in account (VerifyLink) instead of signing in: Verify refuses
	// it, and VerifyLink refuses every other code.
	LinkUser int64
}

// Challenge is a sign-in in progress.
type Challenge struct {
	// Token identifies it when the code is typed in (43 characters,
	// base64url); only its hash is stored.
	Token     string
	Channel   messaging.Channel
	Address   string
	ExpiresAt time.Time
}

// Compose writes the message that carries code to address; linkToken is
// the magic link's token for email ("" for SMS and WhatsApp), to be put
// in a URL that leads to UseLink. Channel and To are filled in by Start.
type Compose func(address, code, linkToken string) messaging.Message

// Start sends a fresh code for req: it checks the rate limits (per client,
// then per address), stores the code's hashes and enqueues the message
// (messaging.Enqueue, expiring with the code) in one transaction. Wake the
// outbox afterwards. Errors: errs.Invalid for a bad address or channel,
// errs.RateLimited "error.otp_rate_limited" with Data "Count" (minutes).
// The answer is the same whether or not an account uses the address.
func (s *Store) Start(ctx context.Context, req Request, compose Compose) (*Challenge, error) {
	addr, err := NormalizeAddress(req.Channel, req.Address)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if err := s.rateLimit(ctx, "otp-ip:"+req.Client, PerClient); err != nil {
		return nil, err
	}
	if err := s.rateLimit(ctx, "otp-to:"+addr, PerAddress); err != nil {
		return nil, err
	}
	ch := &Challenge{Token: forum.NewToken(), Channel: req.Channel, Address: addr, ExpiresAt: now.Add(TTL)}
	digits, link := newCode(), ""
	row := &code{ChallengeHash: s.hash("challenge", ch.Token), CodeHash: s.hash("code", ch.Token+"\x00"+digits),
		BrowserHash: req.Browser, Channel: req.Channel, Address: addr, ReturnTo: req.ReturnTo, LinkUserID: req.LinkUser,
		CreatedAt: now, ExpiresAt: ch.ExpiresAt}
	if req.LinkUser != 0 && req.Channel == messaging.Email {
		return nil, errs.E(errs.Invalid, "error.otp_channel", nil) // accounts link phone numbers; email comes with the account
	}
	if req.Channel == messaging.Email {
		link = forum.NewToken()
		row.LinkHash = s.hash("link", link)
	}
	msg := compose(addr, digits, link)
	msg.Channel, msg.To, msg.Code = req.Channel, addr, digits
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*code)(nil)).Where("expires_at <= ?", now.Add(-time.Hour)).Exec(ctx); err != nil {
			return errs.Internalf("purge codes: %w", err)
		}
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return errs.Internalf("store code: %w", err)
		}
		_, err := messaging.Enqueue(ctx, tx, msg, ch.ExpiresAt, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ch, nil
}

// Person is what a first sign-in's new account starts with.
type Person struct {
	Lang, Name string
}

// expired is the answer for a challenge or link that is unknown, used,
// expired, out of attempts or from another browser: they look the same.
var expired = errs.E(errs.Invalid, "error.otp_expired", nil)

// Verify checks the code typed for challenge token in browser and, when it
// matches, consumes it and returns the user it signs in (created on first
// sign-in, see the package comment) and the path to return to. The attempt
// is counted before the comparison. Errors: errs.RateLimited for too many
// guesses from client; errs.Invalid "error.otp_expired" when the challenge
// is not usable any more; errs.Invalid "error.otp_wrong" (Data "Count":
// attempts left) for a wrong code; errs.Forbidden "error.otp_staff" for a
// staff account.
func (s *Store) Verify(ctx context.Context, token, typed, browser, client string, p Person) (*forum.User, string, error) {
	now := s.now().UTC()
	c, err := s.check(ctx, token, typed, browser, client, now)
	if err != nil {
		return nil, "", err
	}
	if c.LinkUserID != 0 {
		return nil, "", expired
	}
	return s.consume(ctx, "id = ?", c.ID, p, now)
}

// VerifyLink checks the code typed for challenge token in browser, as
// Verify does, for a code started with Request.LinkUser uid, and when it
// matches links its phone number to account uid as its "phone" identity
// (forum.LinkIdentity), consuming the code in the same transaction. It
// returns the E.164 number. Errors, besides Verify's: errs.Invalid
// "error.otp_expired" for a code of another purpose or account;
// errs.Forbidden "error.otp_staff" for a staff account (staff sign in with
// a password); errs.Conflict "error.phone_taken" when another account
// signs in with the number (as forum.LinkIdentity refuses an identity of
// someone else), "error.phone_linked" when uid already has a number
// (unlink it first). On an error the code is not used
// up.
func (s *Store) VerifyLink(ctx context.Context, token, typed, browser, client string, uid int64) (string, error) {
	now := s.now().UTC()
	c, err := s.check(ctx, token, typed, browser, client, now)
	if err != nil {
		return "", err
	}
	if c.LinkUserID == 0 || c.LinkUserID != uid {
		return "", expired
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := forum.UserByID(ctx, tx, uid)
		if err != nil {
			return err
		}
		if u.Staff() {
			return errs.E(errs.Forbidden, "error.otp_staff", nil)
		}
		res, err := tx.NewUpdate().Model((*code)(nil)).Set("used_at = ?", now).
			Where("id = ? AND used_at IS NULL AND expires_at > ?", c.ID, now).Exec(ctx)
		if err != nil {
			return errs.Internalf("use code: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return expired
		}
		err = forum.LinkIdentity(ctx, tx, u, Provider(c.Channel), c.Address, "", now)
		switch e := errs.As(err); {
		case e != nil && e.Key == "error.identity_taken":
			return errs.E(errs.Conflict, "error.phone_taken", nil)
		case e != nil && e.Key == "error.identity_provider_linked":
			return errs.E(errs.Conflict, "error.phone_linked", nil)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	return c.Address, nil
}

// check counts one guess at the code of challenge token from client in
// browser and returns its row when typed matches (errors as Verify's).
func (s *Store) check(ctx context.Context, token, typed, browser, client string, now time.Time) (*code, error) {
	if err := s.rateLimit(ctx, "otp-verify-ip:"+client, VerifyPerClient); err != nil {
		return nil, err
	}
	var rows []code
	_, err := s.db.NewUpdate().Model(&rows).Set("attempts = attempts + 1").
		Where("challenge_hash = ? AND used_at IS NULL AND expires_at > ? AND attempts < ?", s.hash("challenge", token), now, MaxAttempts).
		Returning("*").Exec(ctx)
	if err != nil {
		return nil, errs.Internalf("count code attempt: %w", err)
	}
	if len(rows) != 1 || subtle.ConstantTimeCompare([]byte(rows[0].BrowserHash), []byte(browser)) != 1 {
		return nil, expired
	}
	c := rows[0]
	typed = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, typed)
	if subtle.ConstantTimeCompare([]byte(s.hash("code", token+"\x00"+typed)), []byte(c.CodeHash)) != 1 {
		if c.Attempts >= MaxAttempts {
			return nil, expired
		}
		return nil, errs.E(errs.Invalid, "error.otp_wrong", map[string]any{"Count": MaxAttempts - c.Attempts})
	}
	return &c, nil
}

// UseLink consumes the email code whose magic link carries token and
// returns the user it signs in and the path to return to, like Verify.
// Errors: errs.Invalid "error.otp_expired", errs.Forbidden "error.otp_staff".
func (s *Store) UseLink(ctx context.Context, token string, p Person) (*forum.User, string, error) {
	if token == "" {
		return nil, "", expired
	}
	return s.consume(ctx, linkWhere, s.hash("link", token), p, s.now().UTC())
}

// linkWhere finds a code by its magic link (UseLink).
const linkWhere = "link_hash = ?"

// consume marks the code matching where/arg used (once: the UPDATE only
// matches an unused, unexpired row) and signs in its address, in one
// transaction with its forum.AuditSignInCode row (reason: the channel, or
// "email_link") and, for a first sign-in, the account's creation and
// identity rows; it returns the user and the code's return path.
func (s *Store) consume(ctx context.Context, where string, arg any, p Person, now time.Time) (*forum.User, string, error) {
	var u *forum.User
	var returnTo string
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var rows []code
		_, err := tx.NewUpdate().Model(&rows).Set("used_at = ?", now).
			Where(where+" AND used_at IS NULL AND expires_at > ? AND link_user_id IS NULL", arg, now).Returning("*").Exec(ctx)
		if err != nil {
			return errs.Internalf("use code: %w", err)
		}
		if len(rows) != 1 {
			return expired
		}
		returnTo = rows[0].ReturnTo
		if u, err = signIn(ctx, tx, Provider(rows[0].Channel), rows[0].Address, p, now); err != nil {
			return err
		}
		how := string(rows[0].Channel)
		if where == linkWhere {
			how = "email_link"
		}
		return forum.Audit(ctx, tx, forum.Viewer{User: u}, "signin_code", "user", u.ID, 0, how, now)
	})
	return u, returnTo, err
}

// signIn returns the account of the verified address addr at provider,
// linking or creating it (see the package comment).
func signIn(ctx context.Context, tx bun.Tx, provider, addr string, p Person, now time.Time) (*forum.User, error) {
	staff := errs.E(errs.Forbidden, "error.otp_staff", nil)
	u, err := forum.UseIdentity(ctx, tx, provider, addr, now)
	if err == nil && u.Staff() {
		return nil, staff
	}
	if errs.KindOf(err) != errs.NotFound {
		return u, err
	}
	email := ""
	if provider == "email" {
		email = addr
		u, err := forum.UserByEmail(ctx, tx, addr)
		switch {
		case err == nil && u.Staff():
			return nil, staff
		case err == nil:
			return u, forum.LinkIdentity(ctx, tx, u, provider, addr, addr, now)
		case errs.KindOf(err) != errs.NotFound:
			return nil, err
		}
	}
	u = &forum.User{DisplayName: p.Name, Lang: p.Lang, Email: email, Role: forum.RoleParticipant}
	return u, forum.RegisterUser(ctx, tx, u, provider, addr, email, now)
}

// Lookup returns the sign-in in progress of challenge token in browser
// (for the page that asks for the code), or errs.Invalid
// "error.otp_expired" when it is unknown, used, expired, out of attempts
// or belongs to another browser. The returned Token is token.
func (s *Store) Lookup(ctx context.Context, token, browser string) (*Challenge, error) {
	var c code
	err := s.db.NewSelect().Model(&c).
		Where("challenge_hash = ? AND used_at IS NULL AND expires_at > ? AND attempts < ?", s.hash("challenge", token), s.now().UTC(), MaxAttempts).
		Limit(1).Scan(ctx)
	if err != nil || subtle.ConstantTimeCompare([]byte(c.BrowserHash), []byte(browser)) != 1 {
		return nil, expired
	}
	return &Challenge{Token: token, Channel: c.Channel, Address: c.Address, ExpiresAt: c.ExpiresAt}, nil
}
