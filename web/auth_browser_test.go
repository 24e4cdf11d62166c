package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"
)

// TestBrowserSignInWithProvider clicks "Masuk dengan SSO Pemda" in a real
// browser; mockoidc approves at once and the browser lands back signed in,
// with the name in the header.
func TestBrowserSignInWithProvider(t *testing.T) {
	f := newAuthFixture(t)
	f.sso.QueueUser(&mockoidc.MockUser{Subject: "s-hana", Email: "hana@example.test", EmailVerified: true, PreferredUsername: "hana"})
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(f.url+"/masuk")); err != nil {
		t.Fatal(err)
	}
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`a.provider[href="/auth/sso-pemda"]`)))
	if err != nil {
		t.Fatalf("click provider: %v", err)
	}
	if res.Status != 200 {
		t.Fatalf("landing page status %d", res.Status)
	}
	header, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("header.site nav.account")))
	if err != nil {
		t.Fatal(err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(header, "hana") || !strings.Contains(header, "Keluar") || loc != f.url+"/" {
		t.Fatalf("after sign-in: header %q at %s", header, loc)
	}
}
