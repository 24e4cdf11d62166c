package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls/indicators"
)

// TestIndicatorsAPI: staff get all five indicators; everyone else only the
// sections an admin published, with the range checked.
func TestIndicatorsAPI(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range 6 {
		p, err := forum.EnsureParticipant(ctx, f.db, "guest", "test", fmt.Sprint("v", i), now)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.db.NewRaw(`INSERT INTO statement_votes (statement_id, participant_id, value, voted_at) VALUES (?, ?, 1, ?)`,
			f.stmts[0].ID, p.ID, time.Date(2026, 11, 10, 3, 0, 0, 0, time.UTC)).Exec(ctx)
		if err != nil {
			t.Fatal(err)
		}
	}
	const q = "/api/v1/indicators?from=2026-11-01&to=2026-11-30&by=month"
	guest := browser(t)
	code, body := get(t, guest, f.url+q)
	var out map[string]json.RawMessage
	if code != http.StatusOK || json.Unmarshal([]byte(body), &out) != nil {
		t.Fatalf("guest: %d %s", code, body)
	}
	if _, ok := out["active_participants"]; ok || out["zone"] == nil {
		t.Errorf("guest sees an unpublished section or no zone: %s", body)
	}

	admin := f.staff(t)
	if err := indicators.NewStore(f.db, nil).SaveSettings(ctx, admin, indicators.Settings{AvailabilityGoal: 99.5,
		Public: []string{"active_participants"}}); err != nil {
		t.Fatal(err)
	}
	// Publishing applies at once: the cached figures are filtered per request.
	code, body = get(t, guest, f.url+q)
	var pub struct {
		Active struct {
			Monthly []indicators.Bucket `json:"monthly"`
		} `json:"active_participants"`
		Cost *json.RawMessage `json:"cost"`
	}
	if code != http.StatusOK || json.Unmarshal([]byte(body), &pub) != nil {
		t.Fatalf("guest after publishing: %d %s", code, body)
	}
	if want := []indicators.Bucket{{Period: "2026-11", Count: 6, New: 6}}; fmt.Sprint(pub.Active.Monthly) != fmt.Sprint(want) || pub.Cost != nil {
		t.Errorf("public = %s, want monthly %v and no cost", body, want)
	}

	staff := browser(t)
	signIn(t, staff, f.url, f.db, admin.User)
	// Another range: computed afresh, with the latency of the requests so far.
	code, body = get(t, staff, f.url+"/api/v1/indicators?from=2026-11-01&to=2026-11-29&by=month")
	if code != http.StatusOK || !strings.HasPrefix(body, `{"active_participants":{"daily":[],"weekly":[],"monthly":[{"period":"2026-11","count":6,"new":6`) {
		t.Fatalf("staff: %d %.300s", code, body)
	}
	for _, k := range []string{`"satisfaction":`, `"response_time":`, `"cost":`, `"reliability":`, `"group":"/api/v1/indicators"`} {
		if !strings.Contains(body, k) {
			t.Errorf("staff answer lacks %s: %.600s", k, body)
		}
	}

	for _, bad := range []string{"from=2026-13-01", "from=2026-11-02&to=2026-11-01", "by=year", "from=2020-01-01&to=2026-01-01"} {
		code, body := get(t, guest, f.url+"/api/v1/indicators?"+bad)
		if code != http.StatusBadRequest || !strings.Contains(body, `"code":"indicators.error.`) {
			t.Errorf("%s: %d %s, want 400 with the indicators error", bad, code, body)
		}
	}
}
