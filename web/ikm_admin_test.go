package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
)

// TestAdminIKM: only admins see and change the IKM admin pages; a unit is
// created there, its element labels are edited, and the form, the report
// and the API show them under unchanged codes.
func TestAdminIKM(t *testing.T) {
	ps := newPollSite(t)
	admin, ac := ps.member(t, 1, "", false, "Asia/Jakarta")
	if _, err := ps.db.NewUpdate().Model(admin).Set("role = ?", forum.RoleAdmin).WherePK().Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, warga := ps.member(t, 2, "", false, "Asia/Jakarta")
	for name, c := range map[string]*http.Client{"guest": pollClient(t), "participant": warga} {
		if code, _ := pollGet(t, c, ps.url+"/admin/ikm"); code != http.StatusForbidden {
			t.Errorf("%s GET /admin/ikm: %d", name, code)
		}
		_, page := pollGet(t, c, ps.url+"/")
		form := url.Values{"name": {"Dinas X"}}
		if m := csrfRE.FindStringSubmatch(page); m != nil {
			form.Set("csrf", m[1])
		}
		if code, _ := ps.post(t, c, ps.url+"/admin/ikm", form); code != http.StatusForbidden {
			t.Errorf("%s POST /admin/ikm: %d", name, code)
		}
	}
	code, page := pollGet(t, ac, ps.url+"/admin/ikm")
	if code != http.StatusOK {
		t.Fatalf("admin: %d", code)
	}
	csrf := csrfRE.FindStringSubmatch(page)[1]
	if code, _ := ps.post(t, ac, ps.url+"/admin/ikm", url.Values{"name": {"Dinas X"}}); code != http.StatusForbidden {
		t.Errorf("create without a CSRF token: %d", code)
	}
	code, _ = ps.post(t, ac, ps.url+"/admin/ikm", url.Values{"csrf": {csrf}, "name": {"Mal Pelayanan Publik"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d", code)
	}
	if code, body := ps.post(t, ac, ps.url+"/admin/ikm", url.Values{"csrf": {csrf}, "name": {"mal pelayanan publik"}}); code != http.StatusConflict || !strings.Contains(body, "sudah ada") {
		t.Fatalf("duplicate unit: %d", code)
	}
	u, err := polls.IKMUnitByRef(context.Background(), ps.db, "mal-pelayanan-publik")
	if err != nil {
		t.Fatal(err)
	}
	unitURL := ps.url + "/admin/ikm/" + u.Slug
	cases := []struct {
		name string
		form url.Values
		code int
	}{
		{"bad: too long", url.Values{"id_U2": {strings.Repeat("x", polls.MaxIKMLabelRunes+1)}}, http.StatusBadRequest},
		{"labels saved", url.Values{"id_U1": {"Syarat layanan <b>"}, "en_U1": {"Service requirements"}, "id_U9": {"Ruang tunggu"}}, http.StatusSeeOther},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.form.Set("csrf", csrf)
			if code, body := ps.post(t, ac, unitURL, tc.form); code != tc.code {
				t.Fatalf("POST labels: %d, want %d\n%s", code, tc.code, body)
			}
		})
	}
	if _, page := pollGet(t, ac, unitURL); !strings.Contains(page, `value="Syarat layanan &lt;b&gt;"`) || !strings.Contains(page, "U9") {
		t.Fatal("admin page does not show the saved label")
	}
	if _, form := pollGet(t, pollClient(t), ps.url+"/ikm/"+u.Slug); !strings.Contains(form, "Syarat layanan &lt;b&gt;") ||
		!strings.Contains(form, "Ruang tunggu") || strings.Contains(form, ">Persyaratan<") || !strings.Contains(form, `name="u1"`) {
		t.Fatal("IKM form does not use the unit's labels under code u1")
	}
	// A web answer, then the report and the API.
	c := pollClient(t)
	_, form := pollGet(t, c, ps.url+"/ikm/"+u.Slug)
	answer := url.Values{"csrf": {csrfRE.FindStringSubmatch(form)[1]}}
	for i := 1; i <= ikm.NumElements; i++ {
		answer.Set("u"+string(rune('0'+i)), "4")
	}
	if code, body := ps.post(t, c, ps.url+"/ikm/"+u.Slug, answer); code != http.StatusSeeOther {
		t.Fatalf("IKM answer: %d\n%s", code, body)
	}
	if _, rep := pollGet(t, c, ps.url+"/ikm/"+u.Slug+"/2025-12"); !strings.Contains(rep, "Syarat layanan &lt;b&gt;") {
		t.Fatal("report does not use the unit's labels")
	}
	var api struct {
		NRR      []float64 `json:"nrr"`
		Elements []struct {
			Code    string `json:"code"`
			Label   string `json:"label"`
			LabelID string `json:"label_id"`
			LabelEN string `json:"label_en"`
		} `json:"elements"`
	}
	_, body := pollGet(t, pollClient(t), ps.url+"/api/v1/ikm/"+u.Slug+"/2025-12?lang=en")
	if err := json.Unmarshal([]byte(body), &api); err != nil {
		t.Fatal(err)
	}
	if len(api.Elements) != 9 || len(api.NRR) != 9 || api.Elements[0].Code != "U1" || api.Elements[0].Label != "Service requirements" ||
		api.Elements[0].LabelID != "Syarat layanan <b>" || api.Elements[8].Code != "U9" || api.Elements[8].LabelEN != "Facilities and infrastructure" {
		t.Fatalf("API elements %+v", api.Elements)
	}
}
