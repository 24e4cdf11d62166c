package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/forum/token"
	"github.com/rembug/rembug/web"
	"github.com/uptrace/bun"
)

type complaintAPI struct {
	db                          *bun.DB
	url                         string
	admin, analyst, dlh, dishub string // bearer tokens
}

// newComplaintAPI seeds 60 imported complaints with text (Dinas Lingkungan
// Hidup: rubbish; Dinas Perhubungan: street lights), officers of both
// agencies, an analyst and an admin with tokens, then starts the server.
func newComplaintAPI(t testing.TB) *complaintAPI {
	t.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := web.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	st, err := complaint.NewStore(ctx, db, complaint.Config{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("id,text,received_at,answered_at,response_bucket,topic,agency,kecamatan,kelurahan\n")
	for i := 0; i < 60; i++ {
		text, agency, topic := "Sampah menumpuk belum diangkut, hubungi 081234567890", "Dinas Lingkungan Hidup", "Sampah"
		if i%2 == 1 {
			text, agency, topic = "Lampu penerangan jalan mati", "Dinas Perhubungan", "PJU"
		}
		fmt.Fprintf(&csv, "%d,%q,2026-11-%02d 08:00:00.000,2026-11-%02d 15:30:00.000,,%s,%s,Tandes,Tandes\n",
			1000+i, text, 1+i%28, 1+i%28, topic, agency)
	}
	if _, err := st.Import(ctx, complaint.SystemActor, "seed.csv", strings.NewReader(csv.String()), time.FixedZone("WIB", 7*3600)); err != nil {
		t.Fatal(err)
	}
	api := &complaintAPI{db: db}
	mk := func(email, role string, agency string) string {
		u := &forum.User{Email: email, DisplayName: email, Role: role}
		if err := forumtest.CreateUser(ctx, db, u, now); err != nil {
			t.Fatal(err)
		}
		if agency != "" {
			id, err := st.FindAgency(ctx, agency)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.SetOfficer(ctx, complaint.SystemActor, u.ID, id, true); err != nil {
				t.Fatal(err)
			}
		}
		tok, err := token.NewStore(db, func() time.Time { return now }).Create(ctx, email, "test")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	api.admin = mk("admin@contoh.test", forum.RoleAdmin, "")
	api.analyst = mk("analis@contoh.test", forum.RoleAnalyst, "")
	api.dlh = mk("dlh@contoh.test", forum.RoleParticipant, "Dinas Lingkungan Hidup")
	api.dishub = mk("dishub@contoh.test", forum.RoleParticipant, "Dinas Perhubungan")
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test", Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	api.url = ts.URL
	return api
}

// call sends method path with an optional bearer token, extra headers and
// JSON body; it returns the status and the decoded body.
func (a *complaintAPI) call(t *testing.T, method, path, tok string, body any, hdr ...string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, a.url+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(res.Body)
	json.Unmarshal(raw, &out) //nolint:errcheck // some answers are not objects
	return res.StatusCode, out
}

func TestComplaintAPI(t *testing.T) {
	a := newComplaintAPI(t)
	intake := map[string]any{"text": "Pohon tumbang menutup jalan, NIK saya 3578012345670001", "kecamatan": "Tandes",
		"kelurahan": "Tandes", "name": "Sri", "phone": "081298765432"}
	code, res := a.call(t, "POST", "/api/v1/complaints", "", intake, "Idempotency-Key", "form-77")
	if code != http.StatusCreated || res["secret"] == "" || !strings.HasPrefix(fmt.Sprint(res["number"]), "ADU-2026-") {
		t.Fatalf("intake: %d %v", code, res)
	}
	number, secret := res["number"].(string), res["secret"].(string)
	code, res = a.call(t, "POST", "/api/v1/complaints", "", intake, "Idempotency-Key", "form-77")
	if code != http.StatusOK || res["number"] != number || res["secret"] != nil || res["replayed"] != true {
		t.Fatalf("retry: %d %v", code, res)
	}
	for _, bad := range []map[string]any{{"text": "pendek"}, {"text": "Jalan rusak parah sekali", "kecamatan": "Atlantis"}, {"text": "Jalan rusak parah sekali", "unknown": 1}} {
		if code, res := a.call(t, "POST", "/api/v1/complaints", "", bad); code != http.StatusBadRequest || res["error"].(map[string]any)["code"] == nil {
			t.Errorf("bad intake %v: %d %v", bad, code, res)
		}
	}
	// Both coordinates given, one out of range: the message names the ranges
	// rather than asking for both.
	far := map[string]any{"text": "Jalan rusak parah sekali", "latitude": -7.25, "longitude": 912.7}
	if code, res := a.call(t, "POST", "/api/v1/complaints?lang=en", "", far); code != http.StatusBadRequest ||
		!strings.Contains(fmt.Sprint(res["error"]), "-180") {
		t.Errorf("longitude out of range: %d %v", code, res)
	}

	// Who sees the new complaint (private by default, not yet routed).
	path := "/api/v1/complaints/" + number
	cases := []struct {
		name, tok string
		hdr       []string
		code      int
		reporter  bool
		masked    bool
	}{
		{"guest", "", nil, 404, false, false},
		{"guest with wrong secret", "", []string{"X-Complaint-Secret", "nope"}, 404, false, false},
		{"guest with secret", "", []string{"X-Complaint-Secret", secret}, 200, true, false},
		{"officer, not routed", a.dlh, nil, 404, false, false},
		{"analyst", a.analyst, nil, 200, false, true},
		{"admin", a.admin, nil, 200, true, false},
		{"bad token", "rbt_nope", nil, 403, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, res := a.call(t, "GET", path, tc.tok, nil, tc.hdr...)
			if code != tc.code {
				t.Fatalf("status %d, want %d: %v", code, tc.code, res)
			}
			if code != 200 {
				if strings.Contains(fmt.Sprint(res), "Pohon") {
					t.Fatalf("leaked: %v", res)
				}
				return
			}
			if (res["reporter"] != nil) != tc.reporter {
				t.Errorf("reporter shown = %v, want %v", res["reporter"] != nil, tc.reporter)
			}
			text := res["text"].(string)
			if strings.Contains(text, "3578012345670001") == tc.masked {
				t.Errorf("text %q, masked want %v", text, tc.masked)
			}
		})
	}

	// The list: keyset pages, scoped to the officer's agency, masked for
	// analysts.
	seen := map[string]bool{}
	cursor := ""
	for page := 0; page < 3; page++ {
		code, res := a.call(t, "GET", "/api/v1/complaints?cursor="+cursor, a.analyst, nil)
		if code != 200 {
			t.Fatalf("list: %d %v", code, res)
		}
		for _, it := range res["complaints"].([]any) {
			m := it.(map[string]any)
			n := m["number"].(string)
			if seen[n] {
				t.Fatalf("%s on two pages", n)
			}
			seen[n] = true
			if strings.Contains(m["text"].(string), "081234567890") || m["reporter"] != nil {
				t.Fatalf("analyst list leaks personal data: %v", m)
			}
		}
		cursor, _ = res["next_cursor"].(string)
		if cursor == "" {
			break
		}
	}
	if len(seen) != 61 {
		t.Fatalf("listed %d complaints, want 61", len(seen))
	}
	_, res = a.call(t, "GET", "/api/v1/complaints?agency=Dinas+Perhubungan&from=2026-11-01&to=2026-12-01", a.dishub, nil)
	if n := len(res["complaints"].([]any)); n != 30 {
		t.Fatalf("officer's agency list has %d, want 30", n)
	}
	_, res = a.call(t, "GET", "/api/v1/complaints", a.dishub, nil)
	if n := len(res["complaints"].([]any)); n != 30 {
		t.Fatalf("officer sees %d complaints, want the 30 of their agency", n)
	}
	if code, _ := a.call(t, "GET", "/api/v1/complaints?cursor=bm9wZQ", a.admin, nil); code != 400 {
		t.Fatalf("bad cursor: %d", code)
	}

	// Statistics and routing suggestions are for staff.
	code, res = a.call(t, "GET", "/api/v1/complaints/stats?from=2026-11-01&to=2026-12-01&by=agency", a.analyst, nil)
	if code != 200 {
		t.Fatalf("stats: %d %v", code, res)
	}
	groups := res["groups"].([]any)
	if len(groups) != 2 {
		t.Fatalf("groups %v", groups)
	}
	g := groups[0].(map[string]any)
	frh := g["first_response_hours"].(map[string]any)
	if g["received"].(float64) != 30 || g["answered"].(float64) != 30 || frh["median"].(float64) != 7.5 || g["sla_met_share"].(float64) != 1 {
		t.Fatalf("group %v", g)
	}
	if code, _ := a.call(t, "GET", "/api/v1/complaints/stats", "", nil); code != 403 {
		t.Fatalf("guest stats: %d", code)
	}
	if code, _ := a.call(t, "GET", "/api/v1/complaints/stats?by=colour", a.admin, nil); code != 400 {
		t.Fatalf("bad by: %d", code)
	}
	code, res = a.call(t, "GET", "/api/v1/complaints/routing?text=lampu+jalan+padam+gelap", a.dlh, nil)
	sg, _ := res["suggestions"].([]any)
	if code != 200 || len(sg) == 0 || sg[0].(map[string]any)["agency"] != "Dinas Perhubungan" || sg[0].(map[string]any)["topic"] != "PJU" {
		t.Fatalf("routing: %d %v", code, res)
	}
	if code, _ := a.call(t, "GET", "/api/v1/complaints/routing?text=lampu", "", nil); code != 403 {
		t.Fatalf("guest routing: %d", code)
	}
}

func TestComplaintIntakeRateLimited(t *testing.T) {
	a := newComplaintAPI(t)
	body := map[string]any{"text": "Saluran air tersumbat sampah"}
	for i := 0; i < 20; i++ {
		if code, res := a.call(t, "POST", "/api/v1/complaints", "", body); code != http.StatusCreated {
			t.Fatalf("intake %d: %d %v", i, code, res)
		}
	}
	if code, _ := a.call(t, "POST", "/api/v1/complaints", "", body); code != http.StatusTooManyRequests {
		t.Fatalf("21st guest intake in an hour: %d", code)
	}
	if code, _ := a.call(t, "POST", "/api/v1/complaints", a.admin, body); code != http.StatusCreated {
		t.Fatalf("token client limited: %d", code)
	}
}

// TestComplaintIntakeRefusalsApart: a guest's submissions refused for bad
// input (400) do not spend the hourly quota of accepted ones: after 25
// refusals the guest still files 20 complaints, the 21st is limited. Past
// complaintRefusalsPerIP refusals, refusals spend the quota again.
func TestComplaintIntakeRefusalsApart(t *testing.T) {
	a := newComplaintAPI(t)
	bad := map[string]any{"text": "x"}
	good := map[string]any{"text": "Saluran air tersumbat sampah"}
	for i := 0; i < 25; i++ {
		if code, res := a.call(t, "POST", "/api/v1/complaints", "", bad); code != http.StatusBadRequest {
			t.Fatalf("refused intake %d: %d %v", i, code, res)
		}
	}
	for i := 0; i < 20; i++ {
		if code, res := a.call(t, "POST", "/api/v1/complaints", "", good); code != http.StatusCreated {
			t.Fatalf("intake %d after 25 refusals: %d %v", i, code, res)
		}
	}
	if code, _ := a.call(t, "POST", "/api/v1/complaints", "", good); code != http.StatusTooManyRequests {
		t.Fatalf("21st accepted guest intake in an hour: %d", code)
	}

	b := newComplaintAPI(t)
	for i := 0; i < 100+20; i++ {
		if code, res := b.call(t, "POST", "/api/v1/complaints", "", bad); code != http.StatusBadRequest {
			t.Fatalf("refused intake %d: %d %v", i, code, res)
		}
	}
	if code, _ := b.call(t, "POST", "/api/v1/complaints", "", good); code != http.StatusTooManyRequests {
		t.Fatalf("after the refusal budget, 20 more refusals spend the quota: %d", code)
	}
}

// An Idempotency-Key belongs to its sender and its content: another
// sender's key is another key (the complaint is stored), and the same
// sender reusing a key for other content is refused with 422.
func TestComplaintAPIIdempotencyScope(t *testing.T) {
	a := newComplaintAPI(t)
	first := map[string]any{"text": "Lampu jalan mati sejak seminggu di depan sekolah", "kecamatan": "Tandes", "kelurahan": "Tandes"}
	other := map[string]any{"text": "Saluran air tersumbat sampah di gang tiga", "kecamatan": "Tandes", "kelurahan": "Tandes"}
	code, res := a.call(t, "POST", "/api/v1/complaints", a.dlh, first, "Idempotency-Key", "k-1")
	if code != http.StatusCreated {
		t.Fatalf("first: %d %v", code, res)
	}
	n1 := res["number"]
	code, res = a.call(t, "POST", "/api/v1/complaints", a.dishub, other, "Idempotency-Key", "k-1")
	if code != http.StatusCreated || res["number"] == n1 || res["replayed"] != false {
		t.Fatalf("another sender's key replayed someone else's complaint: %d %v", code, res)
	}
	n2 := res["number"].(string)
	if code, res := a.call(t, "GET", "/api/v1/complaints/"+n2, a.admin, nil); code != http.StatusOK || res["text"] == nil && res["body"] == nil {
		t.Fatalf("second complaint not stored: %d %v", code, res)
	}
	code, res = a.call(t, "POST", "/api/v1/complaints", "", other, "Idempotency-Key", "k-1")
	if code != http.StatusCreated || res["number"] == n1 || res["number"] == n2 {
		t.Fatalf("guest with a used key: %d %v", code, res)
	}
	code, res = a.call(t, "POST", "/api/v1/complaints", a.dlh, first, "Idempotency-Key", "k-1")
	if code != http.StatusOK || res["number"] != n1 || res["replayed"] != true || res["secret"] != nil {
		t.Fatalf("retry by the same sender: %d %v", code, res)
	}
	code, res = a.call(t, "POST", "/api/v1/complaints?lang=en", a.dlh, other, "Idempotency-Key", "k-1")
	e, _ := res["error"].(map[string]any)
	if code != http.StatusUnprocessableEntity || e == nil || !strings.Contains(fmt.Sprint(e["message"]), "different complaint") {
		t.Fatalf("same key, other content: %d %v", code, res)
	}
}

// TestComplaintAPIGuestLimitOnly checks that the per-address intake limit
// counts guests only, as on the form: a citizen signed in with a browser
// session, behind the same address as more than complaintsPerIP guests
// (an office or a carrier's NAT), still files a complaint over the API.
func TestComplaintAPIGuestLimitOnly(t *testing.T) {
	a := newComplaintAPI(t)
	body := map[string]any{"text": "Lampu jalan mati sejak seminggu di depan sekolah"}
	limited := false
	for i := 0; i < 25 && !limited; i++ {
		code, _ := a.call(t, "POST", "/api/v1/complaints", "", body)
		limited = code == http.StatusTooManyRequests
	}
	if !limited {
		t.Fatal("guests were never limited")
	}
	u := &forum.User{Email: "warga@contoh.test", DisplayName: "Warga", Role: forum.RoleParticipant}
	if err := forumtest.CreateUser(context.Background(), a.db, u, now); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	signIn(t, c, a.url, a.db, u)
	b, _ := json.Marshal(body)
	res, err := c.Post(a.url+"/api/v1/complaints", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("signed-in citizen after the guests' limit: %d %s", res.StatusCode, raw)
	}
}
