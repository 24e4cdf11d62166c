package main

import (
	"context"
	"os"
	"strings"

	"github.com/rembug/rembug/web/auth"
)

// baseURL is the site's public URL for sign-in callbacks and one-time
// links: REMBUG_BASE_URL, or http://<addr> for a local run.
func (c *config) baseURL() string {
	if v := strings.TrimRight(os.Getenv("REMBUG_BASE_URL"), "/"); v != "" {
		return v
	}
	return "http://" + c.Addr
}

// authProviders builds the social sign-in providers whose keys are set in
// the environment (README "Sign-in"): REMBUG_{GOOGLE,FACEBOOK,GITHUB,
// MICROSOFT}_CLIENT_ID / _CLIENT_SECRET, and an OpenID Connect provider
// from REMBUG_OIDC_ISSUER, REMBUG_OIDC_CLIENT_ID, REMBUG_OIDC_CLIENT_SECRET
// and REMBUG_OIDC_NAME (the button's label).
func (c *config) authProviders(ctx context.Context) (*auth.Providers, error) {
	keys := func(p string) auth.Keys {
		return auth.Keys{ClientID: os.Getenv("REMBUG_" + p + "_CLIENT_ID"), ClientSecret: os.Getenv("REMBUG_" + p + "_CLIENT_SECRET")}
	}
	cfg := auth.Config{BaseURL: c.baseURL(), Google: keys("GOOGLE"), Facebook: keys("FACEBOOK"),
		GitHub: keys("GITHUB"), Microsoft: keys("MICROSOFT")}
	if iss := os.Getenv("REMBUG_OIDC_ISSUER"); iss != "" {
		cfg.OIDC = []auth.OIDC{{Name: env("REMBUG_OIDC_NAME", "SSO"), Issuer: iss, Keys: keys("OIDC")}}
	}
	return auth.New(ctx, cfg)
}
