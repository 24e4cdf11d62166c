package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/rancangan"
)

// TestSearchFindsDraftUnits: search finds an ayat of a public draft and
// links to it on the draft page; a focus group's draft
// is found by nobody outside the group.
func TestSearchFindsDraftUnits(t *testing.T) {
	w := newSearchWorld(t)
	u := &forum.User{DisplayName: "Penyusun", Email: "penyusun@contoh.test", Role: forum.RoleAdmin}
	if err := forumtest.CreateUser(w.ctx, w.db, u, now); err != nil {
		t.Fatal(err)
	}
	admin, err := forum.LoadViewer(w.ctx, w.db, u, 0)
	if err != nil {
		t.Fatal(err)
	}
	st := rancangan.NewStore(w.db, nil)
	d, err := st.Create(w.ctx, admin, w.c, 0, "", draftFixtureText(t, "raperda_sampah_v1.md"))
	if err != nil {
		t.Fatal(err)
	}
	var group int64
	if err := w.db.NewSelect().Table("focus_groups").Column("id").Limit(1).Scan(w.ctx, &group); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Create(w.ctx, admin, w.c, group, "Draf kelompok", "Pasal 1\nKetentuan khusus dermaga terapung."); err != nil {
		t.Fatal(err)
	}
	w.drain(t)
	res, err := http.Get(w.url + "/cari?q=anorganik")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 64<<10)
	for {
		n, err := res.Body.Read(buf)
		b.WriteString(string(buf[:n]))
		if err != nil {
			break
		}
	}
	if !strings.Contains(b.String(), "/rancangan/"+strconv.FormatInt(d.ID, 10)+"#pasal-3-ayat-2") {
		t.Errorf("search for a word of Pasal 3 ayat (2) does not link it")
	}
	_, page := get(t, browser(t), w.url+"/cari?q=terapung")
	if strings.Contains(page, "dermaga terapung") || strings.Contains(page, "Draf kelompok") {
		t.Error("a guest finds a focus group's draft")
	}
}
