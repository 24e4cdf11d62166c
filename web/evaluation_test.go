package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/xuri/excelize/v2"
)

// TestEvaluationCycle: an admin plans a cycle in the browser's forms (bad
// input is a 400 in the admin's language, nothing written), sees live
// figures while it is open, closes it (the figures freeze: votes recorded
// later do not reach the report), writes a finding and a recommendation,
// records progress and publishes; analysts read but do not write; the
// public sees the report only once published, with groups under five
// people pooled on the page and in the exports.
var regexpRec = regexp.MustCompile(`<option value="(\d+)">Dinas Kominfo:`)

func TestEvaluationCycle(t *testing.T) {
	f := newFixture(t)
	dashVotes(t, f, 7, "s1", time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC))
	dashVotes(t, f, 3, "s2", time.Date(2026, 9, 10, 3, 0, 0, 0, time.UTC))
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin).c
	analyst := fpSignIn(t, f, "analis", forum.RoleAnalyst).c
	guest := browser(t)
	const list = "/admin/evaluasi"
	var kominfo, dpu int64
	for name, id := range map[string]*int64{"Dinas Kominfo": &kominfo, "Dinas Pekerjaan Umum": &dpu} {
		if err := f.db.NewRaw(`INSERT INTO complaint_agencies (name, created_at) VALUES (?, ?) RETURNING id`, name, time.Now()).Scan(t.Context(), id); err != nil {
			t.Fatal(err)
		}
	}

	for name, form := range map[string]url.Values{
		"no name":       {"name": {" "}, "from": {"2026-01-01"}, "to": {"2026-06-30"}},
		"reversed":      {"name": {"S I"}, "from": {"2026-06-30"}, "to": {"2026-01-01"}},
		"target letter": {"name": {"S I"}, "from": {"2026-01-01"}, "to": {"2026-06-30"}, "target_ikm": {"tinggi"}},
	} {
		res, body := post(t, admin, f.url, list, list, form, "")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `class="error" role="alert"`) {
			t.Errorf("%s: %d %.300s", name, res.StatusCode, body)
		}
	}
	for _, c := range []struct{ field, value, msg string }{
		{"target_active_total", "-5", "0 atau lebih"}, {"target_cost_per_complaint", "1e308", "0 atau lebih"},
		{"target_ikm", "NaN", "0 sampai 100"}, {"target_ikm", "101", "0 sampai 100"}, {"target_ikm", "-1", "0 sampai 100"},
		{"target_within_response", "150", "0 sampai 100"}, {"target_availability", "Inf", "0 sampai 100"},
		{"target_first_response_median", "+Inf", "0 atau lebih"},
	} {
		res, body := post(t, admin, f.url, list, list, url.Values{"name": {"S I"}, "from": {"2026-01-01"}, "to": {"2026-06-30"}, c.field: {c.value}}, "")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, c.msg) {
			t.Errorf("%s=%s: %d, want 400 saying %q", c.field, c.value, res.StatusCode, c.msg)
		}
	}
	if res, _ := post(t, analyst, f.url, list, list, url.Values{"name": {"S I"}, "from": {"2026-01-01"}, "to": {"2026-06-30"}}, ""); res.StatusCode != http.StatusForbidden {
		t.Errorf("analyst opens a cycle: %d, want 403", res.StatusCode)
	}
	open := func(name, from, to string) string {
		t.Helper()
		res, _ := post(t, admin, f.url, list, list, url.Values{"name": {name}, "from": {from}, "to": {to},
			"plan": {"Survei IKM bulan Mei"}, "target_active_total": {"5"}}, "")
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("open %s: %d", name, res.StatusCode)
		}
		return res.Header.Get("Location")
	}
	first := open("Semester I 2026", "2026-01-01", "2026-06-30")
	code, body := get(t, admin, f.url+first)
	if code != http.StatusOK || !strings.Contains(body, "Siklus masih terbuka") || !strings.Contains(body, "Survei IKM bulan Mei") {
		t.Fatalf("open cycle page: %d %.500s", code, body)
	}
	var rows int
	f.db.NewRaw(`SELECT COUNT(*) FROM evaluation_cycles`).Scan(t.Context(), &rows)
	if rows != 1 {
		t.Errorf("%d cycles written, want 1 (the bad forms wrote nothing)", rows)
	}
	pub := strings.TrimPrefix(first, "/admin")
	if code, _ := get(t, guest, f.url+pub); code != http.StatusNotFound {
		t.Errorf("guest on an unpublished cycle: %d, want 404", code)
	}
	if code, _ := get(t, guest, f.url+first); code != http.StatusForbidden {
		t.Errorf("guest on the staff cycle page: %d, want 403", code)
	}
	if res, _ := post(t, admin, f.url, first, first+"/terbitkan", url.Values{"publish": {"1"}}, ""); res.StatusCode != http.StatusConflict {
		t.Errorf("publishing an open cycle: %d, want 409", res.StatusCode)
	}
	for _, step := range []struct {
		action string
		form   url.Values
	}{
		{"/tutup", url.Values{}},
		{"/temuan", url.Values{"section": {"active_participants"}, "body": {"Partisipasi daring naik di kecamatan pinggiran"}}},
		{"/rekomendasi", url.Values{"body": {"Buka pojok layanan di kelurahan"}, "owner": {fmt.Sprint(kominfo)}, "due": {"2026-10-31"}}},
	} {
		if res, body := post(t, admin, f.url, first, first+step.action, step.form, ""); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d %.300s", step.action, res.StatusCode, body)
		}
	}
	dashVotes(t, f, 20, "late", time.Date(2026, 4, 10, 3, 0, 0, 0, time.UTC)) // after the close: not in the snapshot
	_, body = get(t, admin, f.url+first)
	if !strings.Contains(body, "Angka dibekukan") || !strings.Contains(body, "<td>7 orang</td>") {
		t.Errorf("closed cycle does not show its frozen 7 active users: %.3000s", body)
	}
	if !strings.Contains(body, `class="chart target-chart" viewBox="0 0 320 `) || !strings.Contains(body, `aria-label="Pengguna aktif"`) ||
		!strings.Contains(body, ">Target: 5 orang</text>") || !strings.Contains(body, ">7 orang</text>") {
		t.Errorf("the report lacks the active users' value-against-target chart")
	}
	if m := regexpRec.FindStringSubmatch(body); m == nil {
		t.Fatalf("no recommendation to follow up: %.2000s", body)
	} else if res, _ := post(t, admin, f.url, first, first+"/kemajuan", url.Values{"rec": {m[1]}, "status": {"dropped"}}, ""); res.StatusCode != http.StatusBadRequest {
		t.Errorf("dropping without a reason: %d, want 400", res.StatusCode)
	} else if res, _ := post(t, admin, f.url, first, first+"/kemajuan", url.Values{"rec": {m[1]}, "status": {"in_progress"}, "note": {"Dua kelurahan sudah"}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("progress: %d", res.StatusCode)
	}
	if code, body := get(t, analyst, f.url+first); code != http.StatusOK || strings.Contains(body, `id="eval-finding"`) {
		t.Errorf("analyst reads the cycle without forms: %d", code)
	}
	if res, _ := post(t, analyst, f.url, first, first+"/temuan", url.Values{"body": {"x"}}, ""); res.StatusCode != http.StatusForbidden {
		t.Errorf("analyst writes a finding: %d, want 403", res.StatusCode)
	}

	second := open("Semester II 2026", "2026-07-01", "2026-12-31")
	post(t, admin, f.url, second, second+"/tutup", url.Values{}, "")
	if res, _ := post(t, admin, f.url, second, second+"/terbitkan", url.Values{"publish": {"1"}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	_, body = get(t, admin, f.url+second)
	for _, want := range []string{"Buka pojok layanan di kelurahan", "sedang berjalan", "Dua kelurahan sudah", "<td>3 orang</td>", "<td>7 orang</td>", "memburuk"} {
		if !strings.Contains(body, want) {
			t.Errorf("second cycle's staff report lacks %q", want)
		}
	}
	code, body = get(t, guest, f.url+strings.TrimPrefix(second, "/admin")+"?lang=en")
	if code != http.StatusOK || !strings.Contains(body, "What we said we would do, and what we did") || !strings.Contains(body, "Buka pojok layanan di kelurahan") {
		t.Fatalf("public report: %d %.500s", code, body)
	}
	if strings.Contains(body, "3 people") || strings.Contains(body, `id="eval-finding"`) {
		t.Errorf("public report shows a group of 3 or the staff forms")
	}
	if _, body := get(t, guest, f.url+"/evaluasi"); !strings.Contains(body, "Semester II 2026") || strings.Contains(body, "Semester I 2026") {
		t.Errorf("public list: %.1000s", body)
	}
	code, body = get(t, guest, f.url+strings.TrimPrefix(second, "/admin")+"/ekspor.csv?lang=id")
	if code != http.StatusOK || !strings.Contains(body, "Tindak lanjut siklus sebelumnya,Buka pojok layanan di kelurahan,") ||
		strings.Contains(body, "Pengguna aktif per bulan,2026-09,Orang,3") {
		t.Errorf("public CSV: %d %.800s", code, body)
	}
	res, err := admin.Get(f.url + first + "/ekspor.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	x, err := excelize.OpenReader(res.Body)
	if err != nil {
		t.Fatalf("XLSX: %v", err)
	}
	if v, _ := x.GetCellValue("Analisis indikator", "C2"); v != "7" {
		t.Errorf("XLSX active users of the first cycle = %q, want 7 (sheets %v)", v, x.GetSheetList())
	}
	if v, _ := x.GetCellValue("Temuan", "A2"); v != "Partisipasi daring naik di kecamatan pinggiran" {
		t.Errorf("XLSX finding = %q", v)
	}
}

// TestEvaluationEditAndDelete: an admin corrects and deletes findings and
// recommendations with plain forms (no script): the owner is chosen from
// the agencies, a renamed agency shows its new name, bad input is a 400 in
// the admin's language with nothing changed, an item of another cycle is
// a 404, analysts are refused, and every change leaves an audit row.
func TestEvaluationEditAndDelete(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin).c
	analyst := fpSignIn(t, f, "analis", forum.RoleAnalyst).c
	var kominfo, dpu int64
	for name, id := range map[string]*int64{"Dinas Kominfo": &kominfo, "Dinas Pekerjaan Umum": &dpu} {
		if err := f.db.NewRaw(`INSERT INTO complaint_agencies (name, created_at) VALUES (?, ?) RETURNING id`, name, time.Now()).Scan(t.Context(), id); err != nil {
			t.Fatal(err)
		}
	}
	const list = "/admin/evaluasi"
	open := func(name, from, to string) string {
		t.Helper()
		res, _ := post(t, admin, f.url, list, list, url.Values{"name": {name}, "from": {from}, "to": {to}}, "")
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("open %s: %d", name, res.StatusCode)
		}
		return res.Header.Get("Location")
	}
	c1, c2 := open("Semester I 2026", "2026-01-01", "2026-06-30"), open("Semester II 2026", "2026-07-01", "2026-12-31")
	must := func(path string, form url.Values) {
		t.Helper()
		if res, body := post(t, admin, f.url, c1, c1+path, form, ""); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d %.300s", path, res.StatusCode, body)
		}
	}
	if res, body := post(t, admin, f.url, c1, c1+"/rekomendasi", url.Values{"body": {"x"}, "owner": {"Dinas Kominfo"}, "due": {"2026-10-31"}}, ""); res.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "Pilih perangkat daerah penanggung jawab") {
		t.Errorf("free-text owner: %d, want 400 asking for an agency", res.StatusCode)
	}
	must("/temuan", url.Values{"section": {""}, "body": {"Temuan pertama"}})
	must("/rekomendasi", url.Values{"body": {"Rekomendasi pertama"}, "owner": {fmt.Sprint(kominfo)}, "due": {"2026-10-31"}})
	var fid, rid int64
	f.db.NewRaw(`SELECT id FROM evaluation_findings`).Scan(t.Context(), &fid)
	f.db.NewRaw(`SELECT id FROM evaluation_recommendations`).Scan(t.Context(), &rid)
	fpath, rpath := fmt.Sprintf("/temuan/%d", fid), fmt.Sprintf("/rekomendasi/%d", rid)

	_, body := get(t, admin, f.url+c1)
	for _, want := range []string{`action="` + c1 + fpath + `"`, `action="` + c1 + rpath + `"`, fmt.Sprintf(`<option value="%d" selected>Dinas Kominfo</option>`, kominfo)} {
		if !strings.Contains(body, want) {
			t.Errorf("report lacks the edit form part %q", want)
		}
	}
	for name, c := range map[string]struct {
		path string
		form url.Values
		code int
		msg  string
	}{
		"empty finding":      {fpath, url.Values{"body": {" "}}, http.StatusBadRequest, "Temuan wajib diisi"},
		"unknown section":    {fpath, url.Values{"body": {"x"}, "section": {"cuaca"}}, http.StatusBadRequest, "Indikator tidak dikenal"},
		"bad due":            {rpath, url.Values{"body": {"x"}, "owner": {fmt.Sprint(dpu)}, "due": {"31/10/2026"}}, http.StatusBadRequest, "Tenggat tidak sah"},
		"unknown agency":     {rpath, url.Values{"body": {"x"}, "owner": {"999999"}, "due": {"2026-11-30"}}, http.StatusBadRequest, "Pilih perangkat daerah"},
		"other cycle's item": {"", nil, http.StatusNotFound, ""},
	} {
		target := c1 + c.path
		if c.path == "" {
			target, c.form = c2+rpath, url.Values{"delete": {"1"}}
		}
		res, body := post(t, admin, f.url, c1, target, c.form, "")
		if res.StatusCode != c.code || !strings.Contains(body, c.msg) {
			t.Errorf("%s: %d, want %d saying %q", name, res.StatusCode, c.code, c.msg)
		}
	}
	if res, _ := post(t, analyst, f.url, c1, c1+fpath, url.Values{"delete": {"1"}}, ""); res.StatusCode != http.StatusForbidden {
		t.Errorf("analyst deletes a finding: %d, want 403", res.StatusCode)
	}
	var body1, owner, due string
	f.db.NewRaw(`SELECT body FROM evaluation_findings WHERE id = ?`, fid).Scan(t.Context(), &body1)
	f.db.NewRaw(`SELECT owner, due FROM evaluation_recommendations WHERE id = ?`, rid).Scan(t.Context(), &owner, &due)
	if body1 != "Temuan pertama" || owner != "Dinas Kominfo" || due != "2026-10-31" {
		t.Fatalf("refused edits changed rows: %q %q %q", body1, owner, due)
	}

	must(fpath, url.Values{"section": {"satisfaction"}, "body": {"Temuan diperbaiki"}})
	must(rpath, url.Values{"body": {"Rekomendasi diperbaiki"}, "owner": {fmt.Sprint(dpu)}, "due": {"2026-11-30"}})
	f.db.NewRaw(`UPDATE complaint_agencies SET name = 'Dinas PUPR' WHERE id = ?`, dpu).Exec(t.Context())
	_, body = get(t, admin, f.url+c1)
	for _, want := range []string{"Temuan diperbaiki", "Rekomendasi diperbaiki", `<td dir="auto">Dinas PUPR</td>`, "2026-11-30"} {
		if !strings.Contains(body, want) {
			t.Errorf("edited report lacks %q", want)
		}
	}
	must(fpath, url.Values{"delete": {"1"}})
	must(rpath, url.Values{"delete": {"1"}})
	_, body = get(t, admin, f.url+c1)
	if strings.Contains(body, "Temuan diperbaiki") || strings.Contains(body, "Rekomendasi diperbaiki") {
		t.Errorf("deleted finding or recommendation still shown")
	}
	var audits []string
	f.db.NewRaw(`SELECT action FROM audit_log WHERE action LIKE 'evaluation_%_edit' OR action LIKE 'evaluation_%_delete' ORDER BY id`).Scan(t.Context(), &audits)
	if strings.Join(audits, " ") != "evaluation_finding_edit evaluation_recommendation_edit evaluation_finding_delete evaluation_recommendation_delete" {
		t.Errorf("audit rows = %v", audits)
	}
}
