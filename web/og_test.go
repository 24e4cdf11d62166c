package web_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

var ogImageRE = regexp.MustCompile(`<meta property="og:image" content="([^"]+)">`)

// TestShareImages: a consultation's and a public proposal's pages (in
// Indonesian, Chinese and Arabic) name a share image, title, description
// and summary_large_image card in their head; the image is a 1200×630 PNG
// served immutable with its key as ETag (304 on revalidation), and an old
// key redirects to the current one. A hidden proposal and a focus group's
// proposal have no og:image even for staff who read them, and their image
// URL is 404.
func TestShareImages(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	staff := fpSignIn(t, f, "Camat Tanjungsari", forum.RoleAdmin)
	author, err := forum.UserParticipant(ctx, f.db, staff.user, now)
	if err != nil {
		t.Fatal(err)
	}
	g := &forum.FocusGroup{ConsultationID: f.c.ID, Name: "Pedagang"}
	if err := f.store.CreateFocusGroup(ctx, f.staff(t), g); err != nil {
		t.Fatal(err)
	}
	prop := func(title, state string, group int64) *forum.Proposal {
		p := &forum.Proposal{ConsultationID: f.c.ID, FocusGroupID: group, AuthorID: author.ID, Title: title, Body: "Isi **usulan** " + title,
			State: state, CreatedAt: now, UpdatedAt: now}
		if _, err := f.db.NewInsert().Model(p).Returning("id").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		return p
	}
	guest := browser(t)
	image1200 := func(path string) (string, []byte) {
		t.Helper()
		res, body := do(t, guest, "GET", path, nil)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" ||
			!strings.Contains(res.Header.Get("Cache-Control"), "immutable") || res.Header.Get("ETag") == "" {
			t.Fatalf("%s: %d %v", path, res.StatusCode, res.Header)
		}
		img, err := png.Decode(bytes.NewReader([]byte(body)))
		if err != nil || img.Bounds() != image.Rect(0, 0, 1200, 630) {
			t.Fatalf("%s: %v %v", path, err, img)
		}
		return res.Header.Get("ETag"), []byte(body)
	}
	pageImage := func(path string) string {
		t.Helper()
		_, body := do(t, guest, "GET", f.url+path, nil)
		m := ogImageRE.FindStringSubmatch(body)
		if m == nil || !strings.Contains(body, `<meta name="twitter:card" content="summary_large_image">`) ||
			!strings.Contains(body, `<meta property="og:description" content="`) || !strings.Contains(body, `<meta property="og:title" content="`) {
			t.Fatalf("%s head lacks the share tags:\n%s", path, body[:min(len(body), 3000)])
		}
		return m[1]
	}
	cons := pageImage("/k/" + f.c.Slug)
	etag, _ := image1200(cons)
	req, _ := http.NewRequest("GET", cons, nil)
	req.Header.Set("If-None-Match", etag)
	if res, err := guest.Do(req); err != nil || res.StatusCode != http.StatusNotModified {
		t.Fatalf("revalidation: %v %v", res, err)
	}
	if res, _ := do(t, guest, "GET", f.url+"/og/k/"+f.c.Slug+"/0123.png", nil); res.StatusCode != http.StatusFound ||
		f.url+res.Header.Get("Location") != cons {
		t.Fatalf("old key: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	for _, title := range []string{"Bangku taman dari kayu daur ulang", "关于改善城市公园和公共交通的市民意见征集", "مشروع تحسين الحدائق العامة والنقل في المدينة"} {
		p := prop(title, forum.StatePublished, 0)
		img := pageImage("/p/" + p.Ref())
		if !strings.Contains(img, "/og/p/"+p.Ref()+"/") {
			t.Fatalf("proposal image URL %s", img)
		}
		image1200(img)
	}
	for _, p := range []*forum.Proposal{prop("Usulan tersembunyi", forum.StateHidden, 0), prop("Usulan kelompok", forum.StatePublished, g.ID)} {
		res, body := do(t, staff.c, "GET", f.url+"/p/"+p.Ref(), nil)
		if res.StatusCode != http.StatusOK || strings.Contains(body, "og:image") || strings.Contains(body, "twitter:card") {
			t.Fatalf("%s: %d, or share tags on a page guests may not read", p.Title, res.StatusCode)
		}
		for _, c := range []*http.Client{guest, staff.c} {
			if res, _ := do(t, c, "GET", f.url+"/og/p/"+p.Ref()+"/0123.png", nil); res.StatusCode != http.StatusNotFound {
				t.Fatalf("%s image: %d", p.Title, res.StatusCode)
			}
		}
	}
}
