package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"
	"github.com/markbates/goth/providers/openidConnect"
)

// discovery is the part of an OpenID Provider's metadata we use
// (OpenID Connect Discovery 1.0, section 3).
type discovery struct {
	Issuer        string   `json:"issuer"`
	Authorization string   `json:"authorization_endpoint"`
	Token         string   `json:"token_endpoint"`
	JWKS          string   `json:"jwks_uri"`
	PKCEMethods   []string `json:"code_challenge_methods_supported"`
}

// newOIDC discovers o's endpoints and builds its provider.
func newOIDC(ctx context.Context, o OIDC, callback func(string) string, hc *http.Client, now func() time.Time) (*Provider, error) {
	issuer := strings.TrimRight(o.Issuer, "/")
	var d discovery
	if err := getJSON(ctx, hc, issuer+"/.well-known/openid-configuration", 1<<20, &d); err != nil {
		return nil, fmt.Errorf("discovery: %w", err)
	}
	// The issuer in the document must be the one configured (Discovery
	// section 4.3), or tokens from elsewhere could pass.
	if strings.TrimRight(d.Issuer, "/") != issuer || d.Authorization == "" || d.Token == "" || d.JWKS == "" {
		return nil, fmt.Errorf("discovery document of %s is incomplete or names issuer %q", issuer, d.Issuer)
	}
	name := slug(o.Name)
	label := strings.TrimSpace(o.Name)
	if label == "" {
		label = "OpenID Connect"
	}
	gp, err := openidConnect.NewCustomisedURL(o.ClientID, o.ClientSecret, callback(name),
		d.Authorization, d.Token, d.Issuer, "", "", "openid", "email", "profile")
	if err != nil {
		return nil, err
	}
	gp.SetName(name)
	gp.HTTPClient = hc
	gp.SkipUserInfoRequest = true // claims come from the signed ID token only
	return &Provider{name: name, label: label, gp: gp, pkce: slices.Contains(d.PKCEMethods, "S256"),
		oidc: newVerifier(d.Issuer, d.JWKS, o.ClientID, hc, now)}, nil
}

func getJSON(ctx context.Context, hc *http.Client, url string, limit int64, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", url, res.StatusCode)
	}
	return json.NewDecoder(io.LimitReader(res.Body, limit)).Decode(v)
}

// verifier checks ID tokens of one OpenID provider: signature against the
// provider's published keys (fetched on first use and again, at most once a
// minute, when a token names an unknown key), issuer, audience, expiry and
// nonce (OpenID Connect Core 1.0, section 3.1.3.7).
type verifier struct {
	issuer, jwksURL, clientID string
	hc                        *http.Client
	now                       func() time.Time

	mu      sync.Mutex
	keys    *jose.JSONWebKeySet
	fetched time.Time
}

func newVerifier(issuer, jwksURL, clientID string, hc *http.Client, now func() time.Time) *verifier {
	return &verifier{issuer: issuer, jwksURL: jwksURL, clientID: clientID, hc: hc, now: now}
}

// signingAlgs are the ID token algorithms accepted; "none" and HMAC are not.
var signingAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.ES256, jose.ES384}

// idClaims are the ID token claims beyond the registered ones.
type idClaims struct {
	Nonce         string `json:"nonce"`
	Email         string `json:"email"`
	EmailVerified any    `json:"email_verified"` // a boolean, or "true" from some providers
	Name          string `json:"name"`
	Preferred     string `json:"preferred_username"`
}

func (v *verifier) verify(ctx context.Context, raw, nonce string) (Claims, error) {
	if raw == "" {
		return Claims{}, errors.New("no ID token")
	}
	tok, err := josejwt.ParseSigned(raw, signingAlgs)
	if err != nil {
		return Claims{}, fmt.Errorf("ID token: %w", err)
	}
	if len(tok.Headers) != 1 {
		return Claims{}, errors.New("ID token: want one signature")
	}
	key, err := v.key(ctx, tok.Headers[0].KeyID)
	if err != nil {
		return Claims{}, err
	}
	var std josejwt.Claims
	var extra idClaims
	if err := tok.Claims(key, &std, &extra); err != nil {
		return Claims{}, fmt.Errorf("ID token signature: %w", err)
	}
	exp := josejwt.Expected{Issuer: v.issuer, AnyAudience: josejwt.Audience{v.clientID}, Time: v.now()}
	if err := std.ValidateWithLeeway(exp, time.Minute); err != nil {
		return Claims{}, fmt.Errorf("ID token: %w", err)
	}
	if std.Expiry == nil || std.Subject == "" {
		return Claims{}, errors.New("ID token: no expiry or subject")
	}
	if nonce == "" || extra.Nonce != nonce {
		return Claims{}, errors.New("ID token: nonce does not match")
	}
	verified := extra.EmailVerified == true || extra.EmailVerified == "true"
	return Claims{Subject: std.Subject, Email: strings.ToLower(strings.TrimSpace(extra.Email)), EmailVerified: verified,
		Name: firstNonEmpty(extra.Name, extra.Preferred)}, nil
}

// key returns the public key with id kid (or the only key when kid is
// empty), refetching the key set when kid is unknown.
func (v *verifier) key(ctx context.Context, kid string) (any, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	find := func() any {
		if v.keys == nil {
			return nil
		}
		if kid == "" && len(v.keys.Keys) == 1 {
			return v.keys.Keys[0].Key
		}
		for _, k := range v.keys.Key(kid) {
			if k.Use == "" || k.Use == "sig" {
				return k.Key
			}
		}
		return nil
	}
	if k := find(); k != nil {
		return k, nil
	}
	if v.keys != nil && v.now().Sub(v.fetched) < time.Minute {
		return nil, fmt.Errorf("ID token: unknown signing key %q", kid)
	}
	var set jose.JSONWebKeySet
	if err := getJSON(ctx, v.hc, v.jwksURL, 1<<20, &set); err != nil {
		return nil, fmt.Errorf("signing keys: %w", err)
	}
	v.keys, v.fetched = &set, v.now()
	if k := find(); k != nil {
		return k, nil
	}
	return nil, fmt.Errorf("ID token: unknown signing key %q", kid)
}
