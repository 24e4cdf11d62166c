package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
)

// TestComplaintAreaPicker: the form groups kelurahan under their
// kecamatan; a kelurahan with its own kecamatan, a kecamatan alone, or
// nothing are filed; a kelurahan of another kecamatan or an unknown
// kecamatan is 400 with nothing stored.
func TestComplaintAreaPicker(t *testing.T) {
	w := newComplaintWorld(t)
	ctx := context.Background()
	st, err := complaint.NewStore(ctx, w.db, complaint.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var adminUser forum.User
	if err := w.db.NewSelect().Model(&adminUser).Where("role = ?", forum.RoleAdmin).Limit(1).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	admin := st.Actor(ok(forum.LoadViewer(ctx, w.db, &adminUser, 0)), "")
	keputran := ok(st.AddArea(ctx, admin, "Tegalsari", "Keputran"))
	soetomo := ok(st.AddArea(ctx, admin, "Tegalsari", "Dr. Soetomo"))
	ok(st.AddArea(ctx, admin, "Genteng", "Embong Kaliasin"))

	_, body := get(t, w.roles["guest"], w.url+"/pengaduan/baru")
	if !strings.Contains(body, `<optgroup label="Tegalsari"><option value="`+strconv.FormatInt(soetomo, 10)+`">Dr. Soetomo</option><option value="`+strconv.FormatInt(keputran, 10)+`">Keputran</option></optgroup>`) ||
		!strings.Contains(body, `<option>Genteng</option>`) {
		t.Fatalf("picker:\n%s", body)
	}
	area := func(page string) string {
		_, b := get(t, w.roles["guest"], w.url+page)
		i := strings.Index(b, `<p class="note">`)
		return b[i : i+200]
	}
	text := url.Values{"text": {"Pedagang kaki lima menutup trotoar"}}
	with := func(kv ...string) url.Values {
		v := url.Values{}
		for k, x := range text {
			v[k] = x
		}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	page, _ := w.file(t, "guest", with("kecamatan", "Tegalsari", "kelurahan", strconv.FormatInt(keputran, 10)))
	if a := area(page); !strings.Contains(a, "Tegalsari, Keputran") {
		t.Errorf("kecamatan and kelurahan: %q", a)
	}
	page, _ = w.file(t, "guest", with("kelurahan", strconv.FormatInt(keputran, 10)))
	if a := area(page); !strings.Contains(a, "Tegalsari, Keputran") {
		t.Errorf("kelurahan alone: %q", a)
	}
	page, _ = w.file(t, "guest", with("kecamatan", "Genteng"))
	if a := area(page); !strings.Contains(a, "Genteng") || strings.Contains(a, "Genteng,") {
		t.Errorf("kecamatan alone: %q", a)
	}
	var before int
	if err := w.db.NewSelect().Table("complaints").ColumnExpr("count(*)").Scan(ctx, &before); err != nil {
		t.Fatal(err)
	}
	for name, form := range map[string]url.Values{
		"kelurahan of another kecamatan": with("kecamatan", "Genteng", "kelurahan", strconv.FormatInt(keputran, 10)),
		"unknown kecamatan":              with("kecamatan", "Atlantis"),
		"unknown kelurahan":              with("kelurahan", "99999"),
	} {
		res, body := post(t, w.roles["guest"], w.url, "/pengaduan/baru", "/pengaduan", form, "")
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, res.StatusCode)
		}
		if name == "kelurahan of another kecamatan" && !strings.Contains(body, "tidak berada di Kecamatan Genteng") {
			t.Errorf("%s: the message does not say why", name)
		}
	}
	var after int
	if err := w.db.NewSelect().Table("complaints").ColumnExpr("count(*)").Scan(ctx, &after); err != nil || after != before {
		t.Fatalf("refused forms stored complaints: %d → %d (%v)", before, after, err)
	}
}
