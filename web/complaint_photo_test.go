package web_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"image"
	"image/jpeg"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// exifJPEG is a small JPEG with an Exif segment carrying marker.
func exifJPEG(t *testing.T, marker string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 32, 24)), nil); err != nil {
		t.Fatal(err)
	}
	payload := "Exif\x00\x00" + marker
	seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(payload)+2))
	raw := b.Bytes()
	return append(append(append([]byte{}, raw[:2]...), append(seg, payload...)...), raw[2:]...)
}

// fileComplaint posts the intake form as a browser does with files: csrf
// first, then the text, then each photo.
func (w *complaintWorld) fileComplaint(t *testing.T, role, text string, photos ...[]byte) *http.Response {
	t.Helper()
	_, page := get(t, w.roles[role], w.url+"/pengaduan/baru")
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no csrf token on the intake form")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", m[1]) //nolint:errcheck // in memory
	mw.WriteField("text", text) //nolint:errcheck // in memory
	for i, p := range photos {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": "photo", "filename": "IMG_" + strconv.Itoa(i) + ".jpg"}))
		h.Set("Content-Type", "image/jpeg")
		pw, _ := mw.CreatePart(h)
		pw.Write(p) //nolint:errcheck // in memory
	}
	mw.Close()
	req, _ := http.NewRequest("POST", w.url+"/pengaduan", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", w.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := w.roles[role].Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body) //nolint:errcheck // drained
	res.Body.Close()
	return res
}

var photoRE = regexp.MustCompile(`<img src="(/pengaduan/[A-Z0-9-]+/foto/\d+)"`)

// TestComplaintPhotos: a guest attaches photos on the form; the EXIF
// position is gone from what is stored and served; the photo reaches the
// reporter, the desk and the routed agency's officer, and is 404 for a
// citizen and another agency's officer; too many or too large photos are
// refused with nothing stored.
func TestComplaintPhotos(t *testing.T) {
	w := newComplaintWorld(t)
	const gps = "GPSLatitude-7.2459,112.7378"
	if res := w.fileComplaint(t, "guest", "Pohon tumbang menutup Jalan Raya Darmo", exifJPEG(t, gps), exifJPEG(t, gps), exifJPEG(t, gps), exifJPEG(t, gps)); res.StatusCode != http.StatusBadRequest {
		t.Errorf("four photos: %d, want 400", res.StatusCode)
	}
	big := append(exifJPEG(t, gps), make([]byte, 5<<20)...)
	if res := w.fileComplaint(t, "guest", "Pohon tumbang menutup Jalan Raya Darmo", big); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 5 MB+ photo: %d, want 413", res.StatusCode)
	}
	var n int
	if err := w.db.NewSelect().Table("complaints").ColumnExpr("count(*)").Scan(t.Context(), &n); err != nil || n != 0 {
		t.Fatalf("complaints after refused forms: %d %v", n, err)
	}
	res := w.fileComplaint(t, "guest", "Pohon tumbang menutup Jalan Raya Darmo", exifJPEG(t, gps), exifJPEG(t, gps))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("form with two photos: %d", res.StatusCode)
	}
	page := strings.TrimSuffix(res.Header.Get("Location"), "?baru=1")
	_, body := get(t, w.roles["guest"], w.url+page)
	photos := photoRE.FindAllStringSubmatch(body, -1)
	if len(photos) != 2 {
		t.Fatalf("the reporter sees %d photos", len(photos))
	}
	w.act(t, "admin", page, "petugas", map[string][]string{"do": {"route"}, "agency": {strconv.FormatInt(w.agencyA, 10)}})
	photo := photos[0][1]
	for role, want := range map[string]int{"guest": 200, "admin": 200, "officer routed": 200, "other citizen": 404, "officer other": 404} {
		req, _ := http.NewRequest("GET", w.url+photo, nil)
		res, err := w.roles[role].Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%s: %d, want %d", role, res.StatusCode, want)
			continue
		}
		if want == 200 {
			if ct := res.Header.Get("Content-Type"); ct != "image/jpeg" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: served as %q", role, ct)
			}
			if bytes.Contains(b, []byte(gps)) {
				t.Errorf("%s: the served photo keeps its EXIF position", role)
			}
			if _, _, err := image.Decode(bytes.NewReader(b)); err != nil {
				t.Errorf("%s: the served photo does not decode: %v", role, err)
			}
		}
	}
	if _, body := get(t, w.roles["officer other"], w.url+page); strings.Contains(body, "/foto/") {
		t.Error("another agency's officer sees the photo links")
	}
}

// postAPIComplaint posts the JSON intake as multipart: the JSON object in
// the field "complaint", then each file as a "photo" part.
func (w *complaintWorld) postAPIComplaint(t *testing.T, jsonBody string, files ...[]byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("complaint", jsonBody) //nolint:errcheck // in memory
	for i, p := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": "photo", "filename": "foto" + strconv.Itoa(i) + ".jpg"}))
		h.Set("Content-Type", "image/jpeg")
		pw, _ := mw.CreatePart(h)
		pw.Write(p) //nolint:errcheck // in memory
	}
	mw.Close()
	req, _ := http.NewRequest("POST", w.url+"/api/v1/complaints", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestComplaintAPIPhotos: the JSON intake takes up to three photos as
// multipart, with the form's checks (forum.CheckFile): a fourth photo, a
// file that is not a photo and an oversized photo are refused with
// nothing stored; accepted photos lose their EXIF position and reach the
// complaint desk.
func TestComplaintAPIPhotos(t *testing.T) {
	w := newComplaintWorld(t)
	const gps = "GPSLatitude-7.2459,112.7378"
	const js = `{"text":"Lampu jalan mati di Jalan Kenjeran sejak seminggu"}`
	p := exifJPEG(t, gps)
	for _, c := range []struct {
		name  string
		files [][]byte
		want  int
		code  string
	}{
		{"four photos", [][]byte{p, p, p, p}, http.StatusBadRequest, "complaint.error.photos"},
		{"not a photo", [][]byte{[]byte("%PDF-1.4 bukan foto")}, http.StatusBadRequest, "complaint.error.photo_type"},
		{"a 5 MB+ photo", [][]byte{append(exifJPEG(t, gps), make([]byte, 5<<20)...)}, http.StatusRequestEntityTooLarge, "complaint.error.photo_size"},
		{"bad JSON", [][]byte{p}, http.StatusBadRequest, "complaint.error.json"},
	} {
		body := js
		if c.name == "bad JSON" {
			body = `{"text":`
		}
		if code, b := w.postAPIComplaint(t, body, c.files...); code != c.want || !strings.Contains(b, c.code) {
			t.Errorf("%s: %d %s, want %d", c.name, code, b, c.want)
		}
	}
	var n int
	if err := w.db.NewSelect().Table("complaints").ColumnExpr("count(*)").Scan(t.Context(), &n); err != nil || n != 0 {
		t.Fatalf("complaints after refused intakes: %d %v", n, err)
	}
	code, b := w.postAPIComplaint(t, js, p, p, p)
	if code != http.StatusCreated {
		t.Fatalf("three photos: %d %s", code, b)
	}
	var out struct{ Number, Secret string }
	if err := json.Unmarshal([]byte(b), &out); err != nil {
		t.Fatal(err)
	}
	if err := w.db.NewSelect().Table("complaint_photos").ColumnExpr("count(*)").Scan(t.Context(), &n); err != nil || n != 3 {
		t.Fatalf("photos stored: %d %v", n, err)
	}
	_, page := get(t, w.roles["admin"], w.url+"/pengaduan/"+out.Number)
	photos := photoRE.FindAllStringSubmatch(page, -1)
	if len(photos) != 3 {
		t.Fatalf("the desk sees %d photos", len(photos))
	}
	_, served := get(t, w.roles["admin"], w.url+photos[0][1])
	if strings.Contains(served, gps) || !strings.HasPrefix(served, "\xff\xd8") {
		t.Error("the served photo keeps its EXIF position or is not a JPEG")
	}
}
