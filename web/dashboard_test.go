package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls/indicators"
	"github.com/xuri/excelize/v2"
)

// dashVotes records one statement vote for each of n new participants on
// day.
func dashVotes(t *testing.T, f *fixture, n int, tag string, day time.Time) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		p, err := forum.EnsureParticipant(ctx, f.db, "guest", "test", fmt.Sprint(tag, i), now)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.db.NewRaw(`INSERT INTO statement_votes (statement_id, participant_id, value, voted_at) VALUES (?, ?, 1, ?)`,
			f.stmts[0].ID, p.ID, day).Exec(ctx)
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestDashboardPages: staff see the five indicators with charts, tables and
// filters; everyone else gets 403 there, and /dasbor shows only what an
// admin published, with months of fewer than five people pooled, in both
// languages.
func TestDashboardPages(t *testing.T) {
	f := newFixture(t)
	dashVotes(t, f, 7, "okt", time.Date(2026, 10, 10, 3, 0, 0, 0, time.UTC))
	dashVotes(t, f, 3, "nov", time.Date(2026, 11, 10, 3, 0, 0, 0, time.UTC))
	const q = "?from=2026-10-01&to=2026-11-30"

	guest := browser(t)
	if code, _ := get(t, guest, f.url+"/admin/dasbor"+q); code != http.StatusForbidden {
		t.Errorf("guest on /admin/dasbor: %d, want 403", code)
	}
	if code, _ := get(t, guest, f.url+"/admin/dasbor/ekspor.csv"+q); code != http.StatusForbidden {
		t.Errorf("guest on the staff export: %d, want 403", code)
	}
	code, body := get(t, guest, f.url+"/dasbor"+q)
	if code != http.StatusOK || !strings.Contains(body, "Belum ada indikator yang dipublikasikan") || strings.Contains(body, `id="t-active_monthly"`) {
		t.Fatalf("public dashboard before publishing: %d %.400s", code, body)
	}

	admin := f.staff(t)
	staff := browser(t)
	signIn(t, staff, f.url, f.db, admin.User)
	code, body = get(t, staff, f.url+"/admin/dasbor"+q)
	if code != http.StatusOK {
		t.Fatalf("staff dashboard: %d %.300s", code, body)
	}
	for _, want := range []string{`id="active_participants"`, `id="satisfaction"`, `id="response_time"`, `id="cost"`, `id="reliability"`,
		`<svg class="chart"`, `<th scope="row" dir="auto">2026-10</th><td>7</td>`, `<th scope="row" dir="auto">2026-11</th><td>3</td>`,
		`name="agency"`, `name="kecamatan"`, `data-channel="dasbor"`, `<p class="asof">Per 29 `, ` 2026 19.00 WIB</p>`,
		`<p class="asof">Penghitung server ini sejak dijalankan, per 29 `, `href="/admin/dasbor/ekspor.xlsx?from=2026-10-01&amp;to=2026-11-30"`} {
		if !strings.Contains(body, want) {
			t.Errorf("staff dashboard lacks %s", want)
		}
	}

	if err := indicators.NewStore(f.db, nil).SaveSettings(context.Background(), admin, indicators.Settings{AvailabilityGoal: 99.5,
		Public: []string{"active_participants"}}); err != nil {
		t.Fatal(err)
	}
	code, body = get(t, guest, f.url+"/dasbor"+q+"&lang=en")
	if code != http.StatusOK {
		t.Fatalf("public dashboard: %d", code)
	}
	for _, want := range []string{`<th scope="row" dir="auto">2026-10</th><td>7</td>`, `<th scope="row" dir="auto">2026-11</th><td>&lt; 5</td>`,
		"Active users per month", `data-channel="dasbor-publik"`} {
		if !strings.Contains(body, want) {
			t.Errorf("public dashboard lacks %s", want)
		}
	}
	for _, leak := range []string{`id="cost"`, `name="agency"`, `<td>3</td>`} {
		if strings.Contains(body, leak) {
			t.Errorf("public dashboard shows %s", leak)
		}
	}
	code, body = get(t, guest, f.url+"/dasbor/ekspor.csv"+q+"&lang=id")
	if code != http.StatusOK || !strings.HasPrefix(body, "\ufefftabel,baris,kolom,nilai\r\n") ||
		!strings.Contains(body, "Pengguna aktif per bulan,2026-10,Orang,7\r\n") || !strings.Contains(body, "Pengguna aktif per bulan,2026-11,Orang,< 5\r\n") ||
		strings.Contains(body, "Biaya") {
		t.Errorf("public CSV: %d %.600s", code, body)
	}

	res, err := staff.Get(f.url + "/admin/dasbor/ekspor.xlsx" + q)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	x, err := excelize.OpenReader(res.Body)
	if err != nil {
		t.Fatalf("XLSX: %v", err)
	}
	if got := len(x.GetSheetList()); got < 15 {
		t.Errorf("XLSX has %d sheets, want one per table: %v", got, x.GetSheetList())
	}
	v, _ := x.GetCellValue("Pengguna aktif per bulan", "B2")
	if v != "7" {
		t.Errorf("XLSX active users in October = %q, want 7", v)
	}
}
