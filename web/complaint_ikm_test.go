package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
)

// TestComplaintRatingsFeedIKM: a citizen's rating of a complaint answer
// closed in the period counts as an answer to U8 (penanganan pengaduan,
// saran dan masukan) of the IKM unit an admin linked the agency to on the
// agency page, beside the survey's answers, and not as a respondent; a
// unit that merely has the agency's name gets nothing; only admins link,
// and an unknown unit is refused.
func TestComplaintRatingsFeedIKM(t *testing.T) {
	w := newComplaintWorld(t)
	ctx := context.Background()
	st := polls.NewStore(w.db, func() time.Time { return now })
	u, err := st.EnsureIKMUnit(ctx, forum.Viewer{}, "Dinas Pekerjaan Umum")
	if err != nil {
		t.Fatal(err)
	}
	rs := make([]ikm.Response, 4)
	for i := range rs {
		rs[i].Scores = [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}
	}
	period, err := ikm.ParsePeriod(now.In(ikm.Jakarta()).Format("2006-01"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ImportIKM(ctx, forum.Viewer{}, u.ID, period, "digest", rs); err != nil {
		t.Fatal(err)
	}
	type element struct {
		Code     string  `json:"code"`
		NRR      float64 `json:"nrr"`
		Answered int     `json:"answered"`
	}
	var got struct {
		Respondents      int       `json:"respondents"`
		ComplaintRatings int       `json:"complaint_ratings"`
		Elements         []element `json:"elements"`
	}
	read := func() {
		t.Helper()
		code, body := get(t, w.roles["guest"], w.url+"/api/v1/ikm/"+u.Slug+"/"+period.String())
		if code != 200 {
			t.Fatalf("ikm api: %d %s", code, body)
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
	}
	read()
	if got.Elements[7].Code != "U8" || got.Elements[7].Answered != 4 || got.ComplaintRatings != 0 {
		t.Fatalf("before any rating: %+v", got)
	}

	page, _ := w.file(t, "owner", url.Values{"text": {"Saluran air di Jalan Kapasari mampet"}})
	w.act(t, "admin", page, "petugas", url.Values{"do": {"route"}, "agency": {strconv.FormatInt(w.agencyA, 10)}})
	w.act(t, "officer routed", page, "petugas", url.Values{"do": {"answer"}, "text": {"Sudah dibersihkan."}})
	w.act(t, "owner", page, "warga", url.Values{"do": {"close"}, "rating": {"1"}})
	read()
	if got.ComplaintRatings != 0 || got.Elements[7].Answered != 4 {
		t.Fatalf("a unit with the agency's name but not linked to it counts its ratings: %+v", got)
	}
	const agencies = "/admin/pengaduan/instansi"
	link := func(role, unit string) int {
		t.Helper()
		res, _ := post(t, w.roles[role], w.url, "/admin/pengaduan", agencies,
			url.Values{"agency": {strconv.FormatInt(w.agencyA, 10)}, "ikm_unit": {unit}}, "")
		return res.StatusCode
	}
	if code := link("officer routed", strconv.FormatInt(u.ID, 10)); code != 403 {
		t.Errorf("an officer links the agency: %d, want 403", code)
	}
	if code := link("admin", "999999"); code != 400 {
		t.Errorf("an unknown unit: %d, want 400", code)
	}
	if code := link("admin", strconv.FormatInt(u.ID, 10)); code != 303 {
		t.Fatalf("admin links the agency: %d", code)
	}
	if _, body := get(t, w.roles["admin"], w.url+agencies); !strings.Contains(body, `<option value="`+strconv.FormatInt(u.ID, 10)+`" selected>`) {
		t.Errorf("the agency page does not show the chosen unit:\n%s", body)
	}
	read()
	u8 := got.Elements[7]
	if got.Respondents != 4 || got.ComplaintRatings != 1 || u8.Answered != 5 || u8.NRR != 17.0/5 || got.Elements[0].Answered != 4 {
		t.Fatalf("after a rating of 1: %+v", got)
	}
	_, body := get(t, w.roles["guest"], w.url+"/ikm/"+u.Slug+"/"+period.String())
	if !strings.Contains(body, "memuat 1 penilaian warga") {
		t.Error("the report page does not say U8 counts complaint ratings")
	}
}

// TestComplaintAgencyIKMBackfill: upgrading a database whose agencies have
// no IKM unit link, the one-time step links each agency to the one IKM unit
// with its name (ignoring case and surrounding spaces), leaves an agency
// with two such units or none unset, and keeps a link an admin chose; the
// agency page notes and marks the unset ones.
func TestComplaintAgencyIKMBackfill(t *testing.T) {
	w := newComplaintWorld(t)
	ctx := context.Background()
	unit := func(slug, name string) int64 {
		t.Helper()
		var id int64
		if err := w.db.NewRaw(`INSERT INTO ikm_units (slug, name, created_at) VALUES (?, ?, ?) RETURNING id`, slug, name, now).Scan(ctx, &id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	pu := unit("pu", "  dinas pekerjaan UMUM ")
	unit("kes-1", "Dinas Kesehatan")
	unit("kes-2", "DINAS KESEHATAN")
	bappeda := unit("bappeda", "Bappeda")
	st, err := complaint.NewStore(ctx, w.db, complaint.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var adminUser forum.User
	if err := w.db.NewSelect().Model(&adminUser).Where("role = ?", forum.RoleAdmin).Limit(1).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	admin := st.Actor(ok(forum.LoadViewer(ctx, w.db, &adminUser, 0)), "")
	social := ok(st.AddAgency(ctx, admin, "Dinas Sosial"))
	chosen := ok(st.AddAgency(ctx, admin, "Badan Perencanaan"))
	if err := st.SetAgencyIKMUnit(ctx, admin, chosen, &bappeda); err != nil {
		t.Fatal(err)
	}
	// The database as it was before the step: links only where an admin
	// chose one, and the step not yet applied.
	if _, err := w.db.ExecContext(ctx, `DELETE FROM complaint_migrations WHERE name = '20261203081000'`); err != nil {
		t.Fatal(err)
	}
	if err := complaint.Migrate(ctx, w.db); err != nil {
		t.Fatal(err)
	}
	links := map[int64]*int64{}
	as, err := st.Agencies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		links[a.ID] = a.IKMUnitID
	}
	unitOf := func(id int64) int64 {
		if links[id] == nil {
			return 0
		}
		return *links[id]
	}
	for _, c := range []struct {
		name   string
		agency int64
		want   int64
	}{{"one unit of that name", w.agencyA, pu}, {"two units of that name", w.agencyB, 0}, {"no unit of that name", social, 0},
		{"chosen by an admin", chosen, bappeda}} {
		if got := unitOf(c.agency); got != c.want {
			t.Errorf("%s: linked to unit %d, want %d", c.name, got, c.want)
		}
	}
	_, body := get(t, w.roles["admin"], w.url+"/admin/pengaduan/instansi")
	if !strings.Contains(body, "2 perangkat daerah belum ditautkan ke unit IKM") || strings.Count(body, "belum ditautkan</strong>") != 2 {
		t.Errorf("the agency page does not note the 2 unset agencies:\n%s", body)
	}
}
