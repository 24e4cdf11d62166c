package web_test

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/web"
	"github.com/uptrace/bun"
)

// mapFixture files located complaints: 4 public ones in one 250 m cell in
// Tandes, 2 public ones in another cell in Rungkut, and in a third cell 3
// private and 3 confidential ones (which would make a drawn cell if they
// counted). It returns the store, a published server's URL and the db.
func mapFixture(t *testing.T) (*complaint.Store, string, bun.IDB) {
	t.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := web.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	st := ok(complaint.NewStore(ctx, db, complaint.Config{Now: func() time.Time { return now }, PublicList: true}))
	tandes := ok(st.AddArea(ctx, complaint.SystemActor, "Tandes", "Balongsari"))
	rungkut := ok(st.AddArea(ctx, complaint.SystemActor, "Rungkut", "Kalirungkut"))
	file := func(area int64, lat, lon float64, public, confidential bool) {
		if _, err := st.Submit(ctx, complaint.SystemActor, complaint.Intake{Channel: complaint.ChannelWeb,
			Body: "Lampu jalan mati sejak seminggu lalu di gang ini", AreaID: &area, Latitude: &lat, Longitude: &lon,
			Public: public, Confidential: confidential}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 4 {
		file(tandes, -7.25561+float64(i)*0.0001, 112.67013+float64(i)*0.0002, true, false)
	}
	for i := range 2 {
		file(rungkut, -7.32917+float64(i)*0.0001, 112.78531, true, false)
	}
	for i := range 3 {
		file(tandes, -7.27113, 112.70017+float64(i)*0.0001, false, false)
		file(tandes, -7.27117, 112.70019+float64(i)*0.0001, true, true)
	}
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
		Now: func() time.Time { return now }, ComplaintsPublic: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return st, ts.URL, db
}

var decimalRE = regexp.MustCompile(`-?\d+\.\d+`)

// TestComplaintMapAggregates: /pengaduan/peta draws only the public
// non-confidential complaints' cell with at least 3 complaints, counts the
// 2-complaint cell only in its kecamatan and says so, never lets a private
// or confidential complaint contribute, and publishes no number equal to
// a stored coordinate.
func TestComplaintMapAggregates(t *testing.T) {
	ctx := context.Background()
	st, url, db := mapFixture(t)
	code, page := get(t, browser(t), url+"/pengaduan/peta")
	if code != 200 {
		t.Fatalf("map: %d\n%s", code, page)
	}
	if n := strings.Count(page, "<circle"); n != 1 || !strings.Contains(page, "<title>4 pengaduan di petak ini</title>") {
		t.Errorf("want one drawn cell of 4 complaints, got %d circles:\n%s", n, page)
	}
	if !strings.Contains(page, "2 dari 6 pengaduan berlokasi") {
		t.Errorf("want the 2 undrawn complaints said on the page:\n%s", page)
	}
	if !strings.Contains(page, "<th scope=\"row\">Tandes</th><td>4</td><td>4</td>") ||
		!strings.Contains(page, "<th scope=\"row\">Rungkut</th><td>2</td><td>0</td>") {
		t.Errorf("kecamatan table: want Tandes 4/4 (no private or confidential one) and Rungkut 2/0:\n%s", page)
	}
	var stored []struct {
		Lat float64 `bun:"latitude"`
		Lon float64 `bun:"longitude"`
	}
	if err := db.NewRaw("SELECT latitude, longitude FROM complaints").Scan(ctx, &stored); err != nil {
		t.Fatal(err)
	}
	for _, s := range decimalRE.FindAllString(page, -1) {
		v, _ := strconv.ParseFloat(s, 64)
		for _, c := range stored {
			if v == c.Lat || v == c.Lon {
				t.Errorf("published %s equals a stored coordinate", s)
			}
		}
	}
	// Filters are links; a status nobody has draws nothing.
	if !strings.Contains(page, `href="/pengaduan/peta?status=answered"`) {
		t.Error("no status filter link")
	}
	_, closed := get(t, browser(t), url+"/pengaduan/peta?status=closed&periode=30")
	if strings.Contains(closed, "<circle") {
		t.Error("status=closed: no closed complaint, yet a cell is drawn")
	}
	if code, _ := get(t, browser(t), url+"/pengaduan/peta?periode=7"); code != 400 {
		t.Errorf("periode=7: %d, want 400", code)
	}

	// Random points: no drawn cell under 3, and drawn plus hidden add up.
	rng := rand.New(rand.NewPCG(1, 2))
	area := ok(st.AddArea(ctx, complaint.SystemActor, "Genteng", "Embong Kaliasin"))
	for range 120 {
		lat, lon := -7.26+rng.Float64()*0.02, 112.74+rng.Float64()*0.02
		if _, err := st.Submit(ctx, complaint.SystemActor, complaint.Intake{Channel: complaint.ChannelWeb,
			Body: "Sampah menumpuk di pinggir jalan", AreaID: &area, Latitude: &lat, Longitude: &lon, Public: true}); err != nil {
			t.Fatal(err)
		}
	}
	m := ok(st.PublicMap(ctx, complaint.MapFilter{}))
	sum := 0
	for _, c := range m.Cells {
		if c.Count < complaint.MinMapCell {
			t.Errorf("cell %+v drawn with fewer than %d", c, complaint.MinMapCell)
		}
		sum += c.Count
	}
	if sum+m.Hidden != m.Located || m.Located != 126 || m.Hidden == 0 {
		t.Errorf("drawn %d + hidden %d != located %d (want 126, some hidden)", sum, m.Hidden, m.Located)
	}
}

// TestBrowserComplaintMapPhone: on a 360 px phone without JavaScript the
// map page loads with its SVG and kecamatan table and does not scroll
// sideways.
func TestBrowserComplaintMapPhone(t *testing.T) {
	_, url, _ := mapFixture(t)
	b := phoneTab(t, "guest")
	b.do(chromedp.Navigate(url + "/pengaduan/peta"))
	if !eval[bool](b, `!!document.querySelector("table#map-by-kecamatan tbody tr") && !!document.querySelector("svg circle title")`) {
		b.fail("map page: table or drawn cell missing")
	}
	noSideScroll(b, "complaint map")
}
