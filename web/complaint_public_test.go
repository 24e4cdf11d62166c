package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/web"
)

// TestComplaintPublicPages: with the pemda's opt-in, /pengaduan lists the
// public non-confidential complaints masked (no phone number, no private or
// confidential complaint), counts them per kecamatan with small groups
// pooled away, and /pengaduan/statistik shows the same population; without
// the opt-in both are 404.
func TestComplaintPublicPages(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := web.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	st := ok(complaint.NewStore(ctx, db, complaint.Config{Now: func() time.Time { return now }}))
	tandes := ok(st.AddArea(ctx, complaint.SystemActor, "Tandes", "Balongsari"))
	rungkut := ok(st.AddArea(ctx, complaint.SystemActor, "Rungkut", "Kalirungkut"))
	file := func(text string, area int64, public, confidential bool) {
		if _, err := st.Submit(ctx, complaint.SystemActor, complaint.Intake{Channel: complaint.ChannelWeb, Body: text,
			AreaID: &area, Public: public, Confidential: confidential}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 5; i++ {
		file("Saluran air tersumbat, hubungi saya 081234567890", tandes, true, false)
	}
	file("Trotoar rusak di depan pasar Rungkut", rungkut, true, false)
	file("RAHASIA-PRIVAT jalan berlubang di gang", tandes, false, false)
	file("RAHASIA-KONFIDENSIAL pungutan liar di kantor", tandes, true, true)
	// One Tandes complaint carries a first response recorded before its
	// receipt (a source fault, as ids 162295 and 165359 of the Surabaya
	// file): the page says it left it out of the response times.
	var first struct {
		ID       int64     `bun:"id"`
		Received time.Time `bun:"received_at"`
	}
	if err := db.NewRaw("SELECT id, received_at FROM complaints ORDER BY id LIMIT 1").Scan(ctx, &first); err != nil {
		t.Fatal(err)
	}
	if _, err := db.NewRaw("UPDATE complaints SET first_response_at = ? WHERE id = ?", first.Received.Add(-time.Hour), first.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}

	for _, published := range []bool{false, true} {
		srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
			Now: func() time.Time { return now }, ComplaintsPublic: published})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		defer ts.Close()
		code, list := get(t, browser(t), ts.URL+"/pengaduan")
		scode, stats := get(t, browser(t), ts.URL+"/pengaduan/statistik")
		if !published {
			if code != 404 || scode != 404 {
				t.Errorf("not published: list %d, stats %d, want 404", code, scode)
			}
			continue
		}
		if code != 200 || scode != 200 {
			t.Fatalf("published: list %d, stats %d", code, scode)
		}
		if !strings.Contains(list, "Saluran air tersumbat") || strings.Contains(list, "081234567890") {
			t.Error("public list: text missing or phone number not masked")
		}
		for _, leak := range []string{"RAHASIA-PRIVAT", "RAHASIA-KONFIDENSIAL"} {
			if strings.Contains(list, leak) || strings.Contains(stats, leak) {
				t.Errorf("%s shown publicly", leak)
			}
		}
		if !strings.Contains(list, "Tandes: 5") || strings.Contains(list, "Rungkut:") {
			t.Error("per-kecamatan counts: want Tandes 5 and Rungkut's single complaint pooled away")
		}
		if !strings.Contains(stats, "<th scope=\"row\">Tandes</th>\n<td>5</td>") || strings.Contains(stats, ">Rungkut<") {
			t.Errorf("statistics: want Tandes with 5, no Rungkut row:\n%s", stats)
		}
		if !strings.Contains(stats, "1 pengaduan dikecualikan: dijawab sebelum diterima") ||
			!strings.Contains(stats, "<td>5</td><td>0</td><td>1</td><td>–</td>") {
			t.Errorf("statistics: want the complaint answered before it was received counted as answered, left out of the median and named:\n%s", stats)
		}
		// Filters: a kecamatan keeps only its public complaints, on the
		// page and on the API; a malformed filter is a 400.
		code, ru := get(t, browser(t), ts.URL+"/pengaduan?kecamatan=Rungkut")
		if code != 200 || !strings.Contains(ru, "Trotoar rusak") || strings.Contains(ru, "Saluran air") ||
			strings.Contains(ru, "RAHASIA") || !strings.Contains(ru, `<option value="Rungkut" selected>`) {
			t.Errorf("kecamatan filter page (%d):\n%s", code, ru)
		}
		code, tn := get(t, browser(t), ts.URL+"/pengaduan?kecamatan=Tandes&dari=2000-01-01")
		if code != 200 || strings.Count(tn, "Saluran air tersumbat") != 5 || strings.Contains(tn, "RAHASIA") || strings.Contains(tn, "Trotoar") {
			t.Errorf("Tandes filter page (%d)", code)
		}
		if code, _ := get(t, browser(t), ts.URL+"/pengaduan?instansi=abc"); code != 400 {
			t.Errorf("malformed agency filter: %d, want 400", code)
		}
		if code, _ := get(t, browser(t), ts.URL+"/pengaduan?dari=kemarin"); code != 400 {
			t.Errorf("malformed date filter: %d, want 400", code)
		}
		code, api := get(t, browser(t), ts.URL+"/api/v1/complaints?kecamatan=Tandes")
		if code != 200 || strings.Count(api, `"number"`) != 5 || strings.Contains(api, "RAHASIA") {
			t.Errorf("API kecamatan filter for a guest (%d): %s", code, api)
		}
		if code, body := get(t, browser(t), ts.URL+"/pengaduan/peta?kecamatan=Tandes"); code != 200 || !strings.Contains(body, `<option value="Tandes" selected>`) {
			t.Errorf("map kecamatan filter: %d", code)
		}
	}
}
