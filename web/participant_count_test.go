package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls/polis"
	"github.com/rembug/rembug/web"
)

// TestParticipantCountAgrees imports a Pol.is conversation (three people:
// two voted on visible statements, one only on a hidden one) and checks
// that the consultation page, the report page, the report API and the
// consultations API give the same participant count, polls.Counts.
func TestParticipantCountAgrees(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := web.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"summary.csv": "topic,Taman kota\nurl,https://pol.is/abc123\nvoters,3\n",
		"comments.csv": "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n" +
			"1600000000000,x,0,0,2,0,1,Perbanyak pohon di taman\n" +
			"1600000001000,x,1,1,0,1,0,Tambah bangku taman\n" +
			"1600000002000,x,2,2,0,0,-1,Iklan tersembunyi\n",
		"votes.csv": "timestamp,datetime,comment-id,voter-id,vote\n" +
			"1600000010000,x,0,0,1\n" +
			"1600000011000,x,0,1,-1\n" +
			"1600000013000,x,1,1,0\n" +
			"1600000014000,x,2,2,1\n", // voter 2 only voted on the hidden statement
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	rep, err := polis.Import(ctx, db, dir, at)
	if err != nil {
		t.Fatal(err)
	}
	publishReport(t, db, rep.ConsultationID, at)
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) string {
		t.Helper()
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, w.Code)
		}
		return w.Body.String()
	}
	const want = 2
	for _, path := range []string{"/k/" + rep.Slug, "/k/" + rep.Slug + "/report"} {
		if page := get(path + "?lang=en"); !strings.Contains(page, "2 participants") {
			t.Errorf("%s does not say %d participants", path, want)
		}
	}
	var list []struct {
		Slug   string
		Counts struct{ Participants int }
	}
	if err := json.Unmarshal([]byte(get("/api/v1/consultations")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Counts.Participants != want {
		t.Errorf("consultations API = %+v, want %d participants", list, want)
	}
	var report struct {
		Counts struct{ Participants int }
	}
	if err := json.Unmarshal([]byte(get("/api/v1/consultations/"+rep.Slug+"/report")), &report); err != nil {
		t.Fatal(err)
	}
	if report.Counts.Participants != want {
		t.Errorf("report API = %d participants, want %d", report.Counts.Participants, want)
	}
}
