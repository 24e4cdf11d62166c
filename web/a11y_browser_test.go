package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/web"
)

// axeSource returns axe-core's script (axe.min.js) from the file named by
// REMBUG_TEST_AXE, which .ci/run installs with npm. Without it the test is
// skipped, or fails when REMBUG_TEST_BROWSER=required.
func axeSource(t *testing.T) string {
	t.Helper()
	p := os.Getenv("REMBUG_TEST_AXE")
	if p == "" {
		if os.Getenv("REMBUG_TEST_BROWSER") == "required" {
			t.Fatal("REMBUG_TEST_AXE is not set, and REMBUG_TEST_BROWSER=required")
		}
		t.Skip("REMBUG_TEST_AXE is not set (npm install axe-core, then point it at axe.min.js)")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("REMBUG_TEST_AXE: %v", err)
	}
	return string(b)
}

// axeRunJS runs axe-core on the document against WCAG 2.0 and 2.1, levels A
// and AA, with label-content-name-mismatch (WCAG 2.5.3, experimental in
// axe) switched on, and resolves to a JSON list of the violations.
const axeRunJS = `axe.run(document, {
	runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
	rules: {"label-content-name-mismatch": {enabled: true}},
	resultTypes: ["violations"]
}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help,
	nodes: v.nodes.map(n => n.target.join(" ") + " — " + n.failureSummary)}))))`

// pageBytesJS sums the compressed body bytes (encodedBodySize) of the
// document and every subresource it loaded, whether or not they came from
// the cache.
const pageBytesJS = `performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
	.reduce((n, e) => n + e.encodedBodySize, 0)`

// wireBytesJS sums the bytes sent over the network for the document and
// its subresources (transferSize: compressed bodies and headers).
const wireBytesJS = `performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
	.reduce((n, e) => n + e.transferSize, 0)`

type axeViolation struct {
	ID    string   `json:"id"`
	Help  string   `json:"help"`
	Nodes []string `json:"nodes"`
}

// Page-weight budgets (DESIGN.md): the first page a visitor opens, with
// every subresource, and any page after it.
const (
	firstPageBudget = 60 << 10
	pageBudget      = 100 << 10
)

// a11yWorld is a consultation with statements, a proposal with a comment
// thread, a survey with an answer, a live session with a question, and
// signed-in staff: enough content that every page shows its real parts.
type a11yWorld struct {
	*liveFixture
	admin    *fpMember
	liveCode string   // the open live session
	proposal string   // the proposal's path
	guest    []string // paths a guest opens
	staff    []string // paths the admin opens
	survey   int64
	// complaints is a second server on the same database that publishes
	// complaints (list, map, statistics), with the paths a guest opens there.
	complaints      string
	complaintsPaths []string
}

func newA11yWorld(t *testing.T) *a11yWorld {
	t.Helper()
	f := newLiveFixture(t)
	ctx := context.Background()
	admin := fpSignIn(t, f.fixture, "admin", forum.RoleAdmin)
	// The proposal carries a photo (a landscape phone photo's shape): its
	// page and the list show it, and the primary action stays in the first
	// screen.
	code, p, page := uploadAs(t, admin.c, f.fixture, "/k/"+f.c.Slug+"/proposals", []string{"csrf", admin.csrf,
		"title", "Jalur sepeda di tepi sungai", "body", "Jalur **aman** untuk anak sekolah.", "topics", "taman, RTH",
		"image_alt", "Tepi sungai yang akan dilalui jalur sepeda"}, "image", "sungai.png", testPNG(t, 1600, 1200))
	mm := proposalPathRE.FindStringSubmatch(p)
	if code != 303 || mm == nil {
		t.Fatalf("proposal with a photo: %d %q\n%s", code, p, page)
	}
	ref := mm[1]
	code, loc, body := fpPost(t, admin.c, f.fixture, "/p/"+ref+"/comments", url.Values{"csrf": {admin.csrf}, "body": {"Setuju, mulai dari jembatan."}, "alignment": {"for"}})
	_, cid, found := strings.Cut(loc, "#c")
	if code >= 400 || !found {
		t.Fatalf("comment: %d %s\n%s", code, loc, body)
	}
	// A reply from another member: the admin's bell shows an unread count.
	ani := fpSignIn(t, f.fixture, "ani", forum.RoleParticipant)
	if code, _, body := fpPost(t, ani.c, f.fixture, "/p/"+ref+"/comments", url.Values{"csrf": {ani.csrf}, "body": {"Tambah lampu jalan juga."}, "parent": {cid}}); code >= 400 {
		t.Fatalf("comment: %d\n%s", code, body)
	}
	wib := time.FixedZone("WIB", 7*3600)
	s := polls.Survey{ConsultationID: f.c.ID, Title: "Pilih lokasi taman", OpensAt: now.Add(-24 * time.Hour), ClosesAt: time.Date(2026, 12, 31, 23, 59, 0, 0, wib)}
	if err := polls.NewStore(f.db, func() time.Time { return now }).CreateSurvey(ctx, forum.Viewer{}, &s, []polls.Question{
		{Code: "lokasi", Kind: polls.KindSingle, Text: "Di mana taman baru?", Required: true, Spec: polls.Spec{Options: []string{"Utara", "Selatan"}}},
		{Code: "saran", Kind: polls.KindText, Text: "Saran Anda"},
	}); err != nil {
		t.Fatal(err)
	}
	// Every page carries the installation's branding: logo, colour, footer
	// (saved through the admin's form, as the cache of branding expects).
	if code, _, body := upload(t, admin.c, f.fixture, "/admin/merek", []string{"csrf", admin.csrf, "name", "Pemerintah Kota Contoh",
		"color", "#7a1f5c", "address", "Jl. Merdeka No. 1\nKota Contoh", "contact", "(031) 555 0100", "privacy", "/privasi"},
		"logo.png", testPNG(t, 96, 96)); code != 303 {
		t.Fatalf("branding: %d\n%s", code, body)
	}
	live := f.createSession(t, nil)
	k := "/k/" + f.c.Slug
	pub, number := publishedComplaints(t, f.fixture)
	sv := fmt.Sprintf("/survei/%d", s.ID)
	return &a11yWorld{liveFixture: f, admin: admin, survey: s.ID, liveCode: live, proposal: p, complaints: pub,
		complaintsPaths: []string{"/pengaduan", "/pengaduan/peta", "/pengaduan/statistik", "/pengaduan/" + number},
		guest: []string{"/", k, k + "/results", k + "/proposals", p, k + "/proposals/new", "/masuk",
			sv, sv + "/results", "/live", "/live/" + live, "/live/" + live + "/present", "/pengaduan/baru", "/dasbor",
			"/panduan", "/panduan/ikut-serta", "/panduan/data-pribadi", "/panduan/masukan", k + "/widget"},
		staff: []string{"/admin", p, "/notifikasi", "/akun", k + "/moderation", "/admin/audit", "/live/" + live + "/mod",
			"/admin/konsultasi", "/admin/konsultasi/" + f.c.Slug, "/admin/pengguna", "/admin/pengaduan", "/admin/pengaduan/instansi", k + "/survei", k + "/report", "/admin/merek", "/admin/gaya", "/admin/panduan/masukan/id", "/admin/sematan"},
	}
}

// publishedComplaints starts a server on f's database that publishes
// complaints, files six public complaints in one kecamatan near each other
// (so the map draws a cell), and returns the server's address and one
// complaint's tracking number.
func publishedComplaints(t *testing.T, f *fixture) (string, string) {
	t.Helper()
	ctx := context.Background()
	srv, err := web.New(ctx, web.Config{DB: f.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
		Now: func() time.Time { return now }, ComplaintsPublic: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	st, err := complaint.NewStore(ctx, f.db, complaint.Config{Now: func() time.Time { return now }, PublicList: true})
	if err != nil {
		t.Fatal(err)
	}
	area, err := st.AddArea(ctx, complaint.SystemActor, "Genteng", "Embong Kaliasin")
	if err != nil {
		t.Fatal(err)
	}
	var number string
	for i := range 6 {
		lat, lon := -7.2575+float64(i)*0.0001, 112.7521
		rc, err := st.Submit(ctx, complaint.Actor{}, complaint.Intake{Channel: complaint.ChannelWeb, Public: true,
			Body:     fmt.Sprintf("Lampu jalan di gang %d padam sejak minggu lalu, mohon diperbaiki.", i+1),
			Latitude: &lat, Longitude: &lon, AreaID: &area})
		if err != nil {
			t.Fatal(err)
		}
		number = rc.Complaint.Number
	}
	return ts.URL, number
}

// consoleErrors collects what the pages of b write to the console as an
// error or an uncaught exception, each with the page it came from.
type consoleErrors struct {
	mu   sync.Mutex
	list []string
}

func watchConsole(b tab) *consoleErrors {
	ce := &consoleErrors{}
	msgs := chromedp.Console(b.ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				ce.mu.Lock()
				ce.list = append(ce.list, m.String()+" ("+m.URL+")")
				ce.mu.Unlock()
			}
		}
	}()
	return ce
}

// take returns the errors collected since the last call.
func (ce *consoleErrors) take() []string {
	ce.mu.Lock()
	defer ce.mu.Unlock()
	l := ce.list
	ce.list = nil
	return l
}

// withLang adds lang to path's query.
func withLang(path, lang string) string {
	if strings.Contains(path, "?") {
		return path + "&lang=" + lang
	}
	return path + "?lang=" + lang
}

// TestBrowserAccessibilityAndWeight opens 30 pages (public ones as a
// guest, the published complaints' list, map, statistics and tracking page
// among them, staff ones as an admin) in Bahasa Indonesia and in English, runs
// axe-core on each and fails on any WCAG 2.1 A/AA violation, on a console
// error, and on a page heavier than the budgets: the first page with all
// its subresources under 60 KiB over the wire, every page under 100 KiB
// compressed.
func TestBrowserAccessibilityAndWeight(t *testing.T) {
	axe := axeSource(t)
	w := newA11yWorld(t)
	// About 60 pages with axe on each: more than one page's deadline.
	b := tab{t: t, ctx: newBrowserWithin(t, 6*browserDeadline)}
	errs := watchConsole(b)

	// A fresh browser: nothing cached, every byte crosses the wire.
	b.do(chromedp.Navigate(w.url + "/"))
	b.settle()
	if n := eval[int](b, wireBytesJS); n > firstPageBudget || n == 0 {
		t.Errorf("first page: %d bytes over the wire, budget %d", n, firstPageBudget)
	} else {
		t.Logf("first page: %d bytes over the wire", n)
	}

	check := func(lang, path string) {
		t.Helper()
		base := w.url
		if strings.HasPrefix(path, "/pengaduan") && path != "/pengaduan/baru" {
			base = w.complaints
		}
		b.do(chromedp.Navigate(base + withLang(path, lang)))
		b.settle()
		if got := eval[string](b, `document.documentElement.lang`); got != lang {
			t.Errorf("%s: lang %q, want %q", path, got, lang)
		}
		if n := eval[int](b, pageBytesJS); n > pageBudget || n == 0 {
			t.Errorf("%s (%s): %d bytes compressed, budget %d", path, lang, n, pageBudget)
		}
		if eval[bool](b, `typeof axe === "undefined"`) {
			b.do(chromedp.Evaluate[chromedp.Void](axe))
		}
		v, err := runStep(b, chromedp.Evaluate[string](axeRunJS, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe on %s: %v", path, err)
		}
		var vs []axeViolation
		if err := json.Unmarshal([]byte(v), &vs); err != nil {
			t.Fatalf("axe on %s: %v", path, err)
		}
		for _, x := range vs {
			t.Errorf("%s (%s): %s: %s\n\t%s", path, lang, x.ID, x.Help, strings.Join(x.Nodes, "\n\t"))
		}
		for _, e := range errs.take() {
			t.Errorf("%s (%s): console: %s", path, lang, e)
		}
	}
	pages := 0
	for _, lang := range []string{"id", "en"} {
		b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
			return err
		}))
		for _, p := range append(w.guest, w.complaintsPaths...) {
			check(lang, p)
			pages++
		}
		signInTab(t, b, w.fixture, w.admin)
		b.do(chromedp.Navigate(w.url + "/admin"))
		if !eval[bool](b, `!!document.querySelector("a.bell .badge")`) {
			t.Fatal("the admin's bell shows no unread count: its name would go unchecked")
		}
		for _, p := range w.staff {
			check(lang, p)
			pages++
		}
	}
	if pages < 30 {
		t.Fatalf("only %d pages checked", pages)
	}
}
