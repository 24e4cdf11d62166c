package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum/complaint"
)

// TestBrowserDashboardLive: an admin's open /admin/dasbor on a phone-sized
// window shows a complaint filed elsewhere (through the complaint store, as
// any intake channel writes it) without a reload (dashboard.js), with the
// figures' time moved on.
func TestBrowserDashboardLive(t *testing.T) {
	f := newFixture(t)
	admin := f.staff(t)
	ctx := newBrowser(t)
	tok := signIn(t, browser(t), f.url, f.db, admin.User)
	if err := chromedp.Do(ctx, chromedp.Navigate(f.url+"/dasbor")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.cookie = "rembug_s=`+tok+`; path=/"; true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(f.url+"/admin/dasbor?from=2026-11-01&to=2026-11-30"), chromedp.WaitVisible(`#t-response_complaints`)); err != nil {
		t.Fatal(err)
	}
	cell := func() string {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("#t-response_complaints tbody")||{}).textContent||""`))
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(v)
	}
	if got := cell(); !strings.Contains(got, "Tidak ada data") {
		t.Fatalf("before any complaint: %q", got)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__kept = true`)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		live, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("dash-live").dataset.live||""`))
		if err != nil {
			t.Fatal(err)
		}
		if live == "1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the dashboard's socket did not connect")
		}
		time.Sleep(50 * time.Millisecond)
	}

	cs, err := complaint.NewStore(context.Background(), f.db, complaint.Config{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cs.Submit(context.Background(), complaint.Actor{System: true}, complaint.Intake{Channel: complaint.ChannelWeb,
		Body: "Lampu jalan di Jalan Merdeka mati sejak seminggu", ReporterName: "Warga", ReporterEmail: "warga@contoh.test"})
	if err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(15 * time.Second)
	for !strings.HasPrefix(cell(), "Tidak diisi1") {
		if time.Now().After(deadline) {
			t.Fatalf("the dashboard did not update: %q", cell())
		}
		time.Sleep(100 * time.Millisecond)
	}
	kept, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__kept === true`))
	if err != nil || !kept {
		t.Fatalf("the page reloaded instead of updating in place (%v)", err)
	}
}
