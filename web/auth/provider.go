package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"

	"github.com/markbates/goth"
)

// Provider is one configured sign-in provider.
type Provider struct {
	name  string
	label string
	gp    goth.Provider
	pkce  bool
	oidc  *verifier // nil for plain OAuth 2 providers
}

// Name is the provider's name in URLs ("google", "sso-pemda").
func (p *Provider) Name() string { return p.name }

// Label is the provider's name as people know it ("Google").
func (p *Provider) Label() string { return p.label }

// PKCE reports whether the provider's flow uses PKCE (RFC 7636).
func (p *Provider) PKCE() bool { return p.pkce }

// Claims are what a provider says about the person who signed in. Subject
// is the provider's stable id for the account. EmailVerified is true only
// when the email came from a signed ID token with email_verified true;
// emails from plain OAuth 2 APIs (Facebook, GitHub, Microsoft Graph) are
// never treated as verified.
type Claims struct {
	Provider      string
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

// Challenge returns the PKCE S256 code challenge of verifier:
// BASE64URL(SHA256(verifier)) (RFC 7636 section 4.2).
func Challenge(verifier string) string {
	h := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// AuthURL returns the provider URL that starts a sign-in carrying state,
// with the PKCE challenge of verifier and the nonce when the provider
// supports them. state, verifier and nonce are random values the caller
// keeps (verifier: 43 to 128 characters of [A-Za-z0-9-._~]).
func (p *Provider) AuthURL(state, verifier, nonce string) (string, error) {
	sess, err := p.gp.BeginAuth(state)
	if err != nil {
		return "", fmt.Errorf("auth: %s: %w", p.name, err)
	}
	raw, err := sess.GetAuthURL()
	if err != nil {
		return "", fmt.Errorf("auth: %s: %w", p.name, err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("auth: %s: %w", p.name, err)
	}
	q := u.Query()
	if p.pkce {
		q.Set("code_challenge", Challenge(verifier))
		q.Set("code_challenge_method", "S256")
	}
	if p.oidc != nil {
		q.Set("nonce", nonce)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Exchange turns the authorization code of a callback into Claims, sending
// verifier (for PKCE) and checking nonce in the ID token. The caller must
// have checked the callback's state first. Every failure wraps ErrExchange.
func (p *Provider) Exchange(ctx context.Context, code, verifier, nonce string) (Claims, error) {
	if code == "" {
		return Claims{}, fmt.Errorf("%w: %s: no code", ErrExchange, p.name)
	}
	sess, err := p.gp.BeginAuth("")
	if err != nil {
		return Claims{}, fmt.Errorf("%w: %s: %v", ErrExchange, p.name, err)
	}
	params := url.Values{"code": {code}}
	if p.pkce {
		params.Set("code_verifier", verifier)
	}
	if _, err := sess.Authorize(p.gp, params); err != nil {
		return Claims{}, fmt.Errorf("%w: %s: %v", ErrExchange, p.name, err)
	}
	u, err := p.gp.FetchUser(sess)
	if err != nil {
		return Claims{}, fmt.Errorf("%w: %s: %v", ErrExchange, p.name, err)
	}
	if p.oidc != nil {
		c, err := p.oidc.verify(ctx, u.IDToken, nonce)
		if err != nil {
			return Claims{}, fmt.Errorf("%w: %s: %v", ErrExchange, p.name, err)
		}
		c.Provider = p.name
		if c.Name == "" {
			c.Name = firstNonEmpty(u.Name, u.NickName)
		}
		return c, nil
	}
	c := Claims{Provider: p.name, Subject: u.UserID, Email: strings.ToLower(strings.TrimSpace(u.Email)),
		Name: firstNonEmpty(u.Name, u.NickName, u.FirstName)}
	if c.Subject == "" {
		return Claims{}, fmt.Errorf("%w: %s: no account id", ErrExchange, p.name)
	}
	return c, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
