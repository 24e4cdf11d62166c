// Package auth signs people in through outside accounts: Google, Facebook,
// GitHub, Microsoft and any OpenID Connect provider (a government's own
// Keycloak, say), using markbates/goth's provider implementations.
//
// Providers are built from a Config into a Providers value that the web
// server holds; goth's global provider registry and its gothic session
// helpers are not used, so there is no package-level state. The web layer
// owns the OAuth 2 state (RFC 6749 section 10.12): it makes a random,
// single-use state bound to the browser, checks it before calling
// Exchange, and keeps the PKCE verifier (RFC 7636) and OpenID Connect nonce
// beside it. Exchange returns Claims in which an email counts as verified
// only when a provider asserted it inside a signed ID token whose signature,
// issuer, audience, expiry and nonce were checked here.
//
// A Providers value is immutable after New and safe for concurrent use;
// each OpenID Connect provider caches its signing keys behind a mutex.
package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/markbates/goth/providers/azureadv2"
	"github.com/markbates/goth/providers/facebook"
	"github.com/markbates/goth/providers/github"
	"github.com/markbates/goth/providers/openidConnect"
)

// Keys are an OAuth 2 client's credentials at one provider.
type Keys struct {
	ClientID     string
	ClientSecret string
}

func (k Keys) set() bool { return k.ClientID != "" && k.ClientSecret != "" }

// OIDC configures one generic OpenID Connect provider. Issuer is its
// issuer URL (discovery is read from Issuer + "/.well-known/openid-
// configuration"); Name is shown on the button ("Masuk dengan <Name>")
// and, slugified, names the provider in URLs.
type OIDC struct {
	Name   string
	Issuer string
	Keys
}

// Config says which providers to offer. A provider without both keys is
// left out. BaseURL is the site's public URL (scheme and host, no trailing
// slash); each provider calls back to BaseURL/auth/{name}/callback.
type Config struct {
	BaseURL   string
	Google    Keys
	Facebook  Keys
	GitHub    Keys
	Microsoft Keys
	OIDC      []OIDC
	// HTTPClient talks to the providers; nil means a client with a 15 s
	// timeout.
	HTTPClient *http.Client
	// Now is the clock for ID token expiry; nil means time.Now.
	Now func() time.Time
}

// Providers is the set of configured providers, in display order.
type Providers struct {
	list   []*Provider
	byName map[string]*Provider
}

// Google's OpenID Connect endpoints (https://accounts.google.com/.well-known/openid-configuration).
const (
	googleIssuer = "https://accounts.google.com"
	googleAuth   = "https://accounts.google.com/o/oauth2/v2/auth"
	googleToken  = "https://oauth2.googleapis.com/token"
	googleJWKS   = "https://www.googleapis.com/oauth2/v3/certs"
)

// New builds the providers cfg configures. Generic OpenID Connect providers
// are discovered now, so a wrong issuer stops the boot instead of failing
// a citizen's sign-in later. Errors name the provider.
func New(ctx context.Context, cfg Config) (*Providers, error) {
	ps := &Providers{byName: map[string]*Provider{}}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	callback := func(name string) string { return base + "/auth/" + name + "/callback" }
	if (cfg.Google.set() || cfg.Facebook.set() || cfg.GitHub.set() || cfg.Microsoft.set() || len(cfg.OIDC) > 0) &&
		!strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return nil, fmt.Errorf("auth: the public base URL %q must start with http:// or https://", cfg.BaseURL)
	}
	if k := cfg.Google; k.set() {
		// Google is an OpenID provider: goth's OpenID Connect client gives
		// PKCE and a signed ID token with email_verified.
		gp, err := openidConnect.NewCustomisedURL(k.ClientID, k.ClientSecret, callback("google"),
			googleAuth, googleToken, googleIssuer, "", "", "openid", "email", "profile")
		if err != nil {
			return nil, fmt.Errorf("auth: google: %w", err)
		}
		gp.SetName("google")
		gp.HTTPClient = cfg.HTTPClient
		gp.SkipUserInfoRequest = true
		ps.add(&Provider{name: "google", label: "Google", gp: gp, pkce: true,
			oidc: newVerifier(googleIssuer, googleJWKS, k.ClientID, cfg.HTTPClient, cfg.Now)})
	}
	if k := cfg.Facebook; k.set() {
		gp := facebook.New(k.ClientID, k.ClientSecret, callback("facebook"), "email")
		gp.HTTPClient = cfg.HTTPClient
		ps.add(&Provider{name: "facebook", label: "Facebook", gp: gp})
	}
	if k := cfg.GitHub; k.set() {
		gp := github.New(k.ClientID, k.ClientSecret, callback("github"), "read:user", "user:email")
		gp.HTTPClient = cfg.HTTPClient
		ps.add(&Provider{name: "github", label: "GitHub", gp: gp})
	}
	if k := cfg.Microsoft; k.set() {
		// The Microsoft identity platform v2 with the "common" tenant:
		// personal, work and school accounts; profile from Graph /me.
		gp := azureadv2.New(k.ClientID, k.ClientSecret, callback("microsoft"),
			azureadv2.ProviderOptions{Tenant: azureadv2.CommonTenant, Scopes: []azureadv2.ScopeType{azureadv2.UserReadScope}})
		gp.SetName("microsoft")
		gp.HTTPClient = cfg.HTTPClient
		ps.add(&Provider{name: "microsoft", label: "Microsoft", gp: gp})
	}
	for _, o := range cfg.OIDC {
		if !o.Keys.set() || o.Issuer == "" {
			return nil, fmt.Errorf("auth: OpenID Connect provider %q needs an issuer, a client id and a client secret", o.Name)
		}
		p, err := newOIDC(ctx, o, callback, cfg.HTTPClient, cfg.Now)
		if err != nil {
			return nil, fmt.Errorf("auth: OpenID Connect provider %q: %w", o.Name, err)
		}
		if ps.byName[p.name] != nil {
			return nil, fmt.Errorf("auth: two providers are named %q", p.name)
		}
		ps.add(p)
	}
	return ps, nil
}

func (ps *Providers) add(p *Provider) {
	ps.list = append(ps.list, p)
	ps.byName[p.name] = p
}

// List returns the providers in display order (nil-safe).
func (ps *Providers) List() []*Provider {
	if ps == nil {
		return nil
	}
	return ps.list
}

// Get returns the provider named name, or nil.
func (ps *Providers) Get(name string) *Provider {
	if ps == nil {
		return nil
	}
	return ps.byName[name]
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug turns a display name into a provider name for URLs: "SSO Pemda"
// becomes "sso-pemda"; an empty result becomes "oidc".
func slug(name string) string {
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(name), "-"), "-")
	switch s {
	case "":
		return "oidc"
	case "google", "facebook", "github", "microsoft":
		return "oidc-" + s
	}
	return s
}

// ErrExchange wraps every failure to turn a callback's code into Claims:
// the code was refused (used, expired, wrong PKCE verifier), or the ID
// token did not verify.
var ErrExchange = errors.New("auth: sign-in with the provider failed")
