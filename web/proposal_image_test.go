package web_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image/jpeg"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestProposalImage: a citizen submits a proposal with a photo from the
// form. A file that is not a PNG or JPEG, or over 5 MB, is refused with a
// message and stores no proposal. The photo shows on the proposal's page
// with its description and size, and as a small card image on the list;
// both are served to whoever may read the proposal and to nobody else (a
// focus group's proposal to an outsider, a hidden proposal to a guest).
func TestProposalImage(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	m := fpSignIn(t, f, "warga", forum.RoleParticipant)
	path := "/k/" + f.c.Slug + "/proposals"
	if _, form := get(t, m.c, f.url+path+"/new"); !strings.Contains(form, `enctype="multipart/form-data"`) || !strings.Contains(form, `name="image"`) {
		t.Fatalf("the new-proposal form offers no image:\n%s", form)
	}
	stored := func(title string) int64 {
		t.Helper()
		n, err := f.db.NewSelect().Model((*forum.Proposal)(nil)).Where("title = ?", title).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	fields := func(title string, more ...string) []string {
		return append([]string{"csrf", m.csrf, "title", title, "body", "Lapangan ini bisa jadi taman bermain."}, more...)
	}

	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	if code, _, page := uploadAs(t, m.c, f, path, fields("Taman bermain"), "image", "peta.png", svg); code != http.StatusBadRequest || !strings.Contains(page, "Gambar usulan harus berupa PNG atau JPEG") {
		t.Errorf("an SVG named .png: %d, want 400 with the type message\n%s", code, page)
	}
	big := append(testPNG(t, 10, 10), make([]byte, forum.MaxProposalImageBytes)...)
	if code, _, page := uploadAs(t, m.c, f, path+"?lang=en", fields("Taman bermain"), "image", "besar.png", big); code != http.StatusRequestEntityTooLarge || !strings.Contains(page, "at most 5 MB") {
		t.Errorf("a 5 MB+ image: %d, want 413 with the size message\n%s", code, page)
	}
	// A small file that claims 6000×4001 pixels: refused before it is
	// decoded (making its card image would take 96 MB). The message is in
	// English: the ?lang=en above set the language cookie.
	if code, _, page := uploadAs(t, m.c, f, path, fields("Taman bermain"), "image", "luas.png", pngClaiming(t, 6000, 4001)); code != http.StatusBadRequest || !strings.Contains(page, "at most 24 megapixels") {
		t.Errorf("a 24 MP+ image: %d, want 400 with the pixels message\n%s", code, page)
	}
	if n := stored("Taman bermain"); n != 0 {
		t.Fatalf("%d proposals stored from refused forms", n)
	}

	photo := testPNG(t, 1200, 900)
	code, loc, page := uploadAs(t, m.c, f, path, fields("Taman bermain", "image_alt", "Lapangan kosong di RW 3"), "image", "lapangan.png", photo)
	if code != http.StatusSeeOther {
		t.Fatalf("proposal with an image: %d\n%s", code, page)
	}
	ref := strings.TrimPrefix(loc, "/p/")
	guest := browser(t)
	_, page = get(t, guest, f.url+loc)
	if tag := `<img src="/p/` + ref + `/gambar" alt="Lapangan kosong di RW 3" width="1200" height="900"`; !strings.Contains(page, tag) {
		t.Errorf("proposal page lacks %s", tag)
	}
	res, body := fetch(t, guest, f.url+"/p/"+ref+"/gambar")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !bytes.Equal(body, photo) ||
		!strings.HasPrefix(res.Header.Get("Cache-Control"), "public") {
		t.Errorf("image: %d %v, %d bytes (want the %d uploaded)", res.StatusCode, res.Header, len(body), len(photo))
	}
	tw, th := forum.ThumbSize(1200, 900)
	_, list := get(t, guest, f.url+path)
	if tag := fmt.Sprintf(`<img class="card-cover" src="/p/%s/gambar/kartu" alt="Lapangan kosong di RW 3" width="%d" height="%d" loading="lazy"`, ref, tw, th); !strings.Contains(list, tag) {
		t.Errorf("proposal list lacks %s", tag)
	}
	res, body = fetch(t, guest, f.url+"/p/"+ref+"/gambar/kartu")
	if img, err := jpeg.Decode(bytes.NewReader(body)); res.StatusCode != 200 || err != nil || img.Bounds().Dx() != tw || img.Bounds().Dy() != th {
		t.Errorf("card image: %d %v, want a %d×%d JPEG", res.StatusCode, err, tw, th)
	}
	var api []struct {
		Title, Image string
	}
	fpJSON(t, guest, f.url+"/api/v1/consultations/"+f.c.Slug+"/proposals", &api)
	if len(api) != 1 || api[0].Image != "/p/"+ref+"/gambar" {
		t.Errorf("proposals API: %+v, want the image's path", api)
	}
	if res, _ := fetch(t, guest, f.url+"/p/"+ref+"/gambar/besar"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown size: %d, want 404", res.StatusCode)
	}

	// A focus group's proposal: its members see the image, nobody else.
	g := &forum.FocusGroup{ConsultationID: f.c.ID, Name: "Warga RW 3"}
	staff := f.staff(t)
	if err := f.store.CreateFocusGroup(ctx, staff, g); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetMember(ctx, staff, g, m.user.ID, forum.MemberRole); err != nil {
		t.Fatal(err)
	}
	code, loc, page = uploadAs(t, m.c, f, path, fields("Usulan kelompok", "group", fmt.Sprint(g.ID)), "image", "rw3.png", testPNG(t, 300, 200))
	if code != http.StatusSeeOther {
		t.Fatalf("group proposal with an image: %d\n%s", code, page)
	}
	groupRef := strings.TrimPrefix(loc, "/p/")
	outsider := fpSignIn(t, f, "tetangga", forum.RoleParticipant)
	for _, u := range []string{"/p/" + groupRef + "/gambar", "/p/" + groupRef + "/gambar/kartu"} {
		if res, _ := fetch(t, m.c, f.url+u); res.StatusCode != 200 || res.Header.Get("Cache-Control") != "private, no-cache" {
			t.Errorf("%s to a member: %d %q", u, res.StatusCode, res.Header.Get("Cache-Control"))
		}
		for name, c := range map[string]*http.Client{"outsider": outsider.c, "guest": guest} {
			if res, _ := fetch(t, c, f.url+u); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s to an %s: %d, want 404", u, name, res.StatusCode)
			}
		}
	}

	// Hidden by a moderator: gone for a guest, with its image.
	if _, err := f.db.NewUpdate().Model((*forum.Proposal)(nil)).Set("state = ?", forum.StateHidden).Where("title = ?", "Taman bermain").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if res, _ := fetch(t, guest, f.url+"/p/"+ref+"/gambar"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a hidden proposal's image to a guest: %d, want 404", res.StatusCode)
	}
}

// pngClaiming returns a 1×1 PNG whose header says w×h: its header decodes
// (image.DecodeConfig) but its pixels do not.
func pngClaiming(t *testing.T, w, h int) []byte {
	t.Helper()
	b := testPNG(t, 1, 1)
	// The IHDR chunk follows the 8-byte signature: length (4), type (4),
	// width (4), height (4), 5 more bytes, then its CRC over type and data.
	binary.BigEndian.PutUint32(b[16:], uint32(w))
	binary.BigEndian.PutUint32(b[20:], uint32(h))
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// TestProposalImageRemove: an image can be taken down by its author (no
// reason asked, no audit) or by a moderator (a reason required, audited);
// anyone else who may read the proposal is refused, and the image stays.
func TestProposalImageRemove(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	author := fpSignIn(t, f, "warga", forum.RoleParticipant)
	path := "/k/" + f.c.Slug + "/proposals"
	create := func(title string) string {
		t.Helper()
		code, loc, page := uploadAs(t, author.c, f, path, []string{"csrf", author.csrf, "title", title, "body", "Lapangan ini bisa jadi taman."},
			"image", "foto.png", testPNG(t, 400, 300))
		if code != http.StatusSeeOther {
			t.Fatalf("proposal with an image: %d\n%s", code, page)
		}
		return loc
	}
	imageStatus := func(loc string) int {
		t.Helper()
		res, _ := fetch(t, browser(t), f.url+loc+"/gambar")
		return res.StatusCode
	}
	audited := func(loc string) (n int, reason string) {
		t.Helper()
		var es []forum.AuditEntry
		if err := f.db.NewSelect().Model(&es).Where("action = ?", "proposal_image_remove").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if "/p/"+fmt.Sprint(e.TargetID) == loc || strings.HasPrefix(loc, "/p/"+fmt.Sprint(e.TargetID)+"-") {
				n, reason = n+1, e.Reason
			}
		}
		return n, reason
	}
	mine, theirs := create("Taman di RW 3"), create("Taman di RW 5")

	// The author sees the button; a guest and another citizen do not.
	if _, page := get(t, author.c, f.url+mine); !strings.Contains(page, `action="`+mine+`/gambar/hapus"`) {
		t.Errorf("the author's page offers no removal:\n%s", page)
	}
	other := fpSignIn(t, f, "tetangga", forum.RoleParticipant)
	for name, c := range map[string]*http.Client{"guest": browser(t), "other citizen": other.c} {
		if _, page := get(t, c, f.url+mine); strings.Contains(page, "/gambar/hapus") {
			t.Errorf("a %s is offered the removal", name)
		}
	}
	if res, _ := post(t, other.c, f.url, mine, mine+"/gambar/hapus", url.Values{"reason": {"jelek"}}, ""); res.StatusCode != http.StatusForbidden {
		t.Errorf("another citizen removing the image: %d, want 403", res.StatusCode)
	}
	if s := imageStatus(mine); s != 200 {
		t.Fatalf("the image after a refused removal: %d", s)
	}

	// The author removes their own: gone from the page and its address,
	// and nothing audited (their own content, as deleting a comment).
	if res, page := post(t, author.c, f.url, mine, mine+"/gambar/hapus", url.Values{}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the author removing the image: %d\n%s", res.StatusCode, page)
	}
	if s := imageStatus(mine); s != http.StatusNotFound {
		t.Errorf("the removed image: %d, want 404", s)
	}
	if _, page := get(t, browser(t), f.url+mine); strings.Contains(page, "/gambar") {
		t.Errorf("the page still shows the removed image")
	}
	if n, _ := audited(mine); n != 0 {
		t.Errorf("the author's removal wrote %d audit rows", n)
	}
	if res, _ := post(t, author.c, f.url, mine, mine+"/gambar/hapus", url.Values{}, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("removing it again: %d, want 303 (nothing to do)", res.StatusCode)
	}

	// A moderator of another consultation is anyone else here.
	lain := &forum.Consultation{Title: "Konsultasi lain", Source: "test", SourceKey: "lain"}
	if err := forum.UpsertImportedConsultation(ctx, f.db, lain, now); err != nil {
		t.Fatal(err)
	}
	elsewhere := fpSignIn(t, f, "moderator-lain", forum.RoleParticipant)
	if err := f.store.AddModerator(ctx, lain.ID, elsewhere.user.ID); err != nil {
		t.Fatal(err)
	}
	if res, _ := post(t, elsewhere.c, f.url, theirs, theirs+"/gambar/hapus", url.Values{"reason": {"tidak pantas"}}, ""); res.StatusCode != http.StatusForbidden {
		t.Errorf("a moderator of another consultation removing the image: %d, want 403", res.StatusCode)
	}

	// A moderator: a reason is required, in the reader's language, and the
	// removal is audited with it.
	mod := fpSignIn(t, f, "moderator", forum.RoleAdmin)
	if _, page := get(t, mod.c, f.url+theirs); !strings.Contains(page, `id="image-remove-reason"`) {
		t.Errorf("the moderator's page offers no removal with a reason")
	}
	if res, page := post(t, mod.c, f.url, theirs, theirs+"/gambar/hapus", url.Values{}, ""); res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "beri alasan") {
		t.Errorf("a moderator's removal without a reason: %d, want 400 asking for one\n%s", res.StatusCode, page)
	}
	if s := imageStatus(theirs); s != 200 {
		t.Fatalf("the image after a removal without reason: %d", s)
	}
	if res, _ := post(t, mod.c, f.url, theirs, theirs+"/gambar/hapus", url.Values{"reason": {"Foto memuat wajah anak tanpa izin"}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a moderator's removal: %d", res.StatusCode)
	}
	if s := imageStatus(theirs); s != http.StatusNotFound {
		t.Errorf("the image a moderator removed: %d, want 404", s)
	}
	if n, reason := audited(theirs); n != 1 || reason != "Foto memuat wajah anak tanpa izin" {
		t.Errorf("audit: %d rows, reason %q; want 1 with the moderator's reason", n, reason)
	}
}
