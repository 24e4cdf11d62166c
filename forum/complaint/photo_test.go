package complaint

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/rembug/rembug/forum/errs"
)

// withExif returns a JPEG with an APP1 Exif segment carrying marker, and a
// comment segment.
func withExif(t *testing.T, marker string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 40, 30)), nil); err != nil {
		t.Fatal(err)
	}
	seg := func(m byte, payload string) []byte {
		out := []byte{0xFF, m, 0, 0}
		binary.BigEndian.PutUint16(out[2:], uint16(len(payload)+2))
		return append(out, payload...)
	}
	raw := b.Bytes()
	out := append([]byte{}, raw[:2]...)
	out = append(out, seg(0xE1, "Exif\x00\x00"+marker)...)
	out = append(out, seg(0xFE, "comment "+marker)...)
	return append(out, raw[2:]...)
}

// pngWithText returns a PNG with a tEXt chunk carrying marker.
func pngWithText(t *testing.T, marker string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 20, 10))); err != nil {
		t.Fatal(err)
	}
	raw := b.Bytes()
	data := "Comment\x00" + marker
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	chunk = append(chunk, "tEXt"+data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	ihdrEnd := 8 + 12 + 13
	return append(append(append([]byte{}, raw[:ihdrEnd]...), chunk...), raw[ihdrEnd:]...)
}

// Photos: up to three PNG or JPEG files, metadata (the GPS position)
// stripped, shown only to who may read the complaint's text, erased with
// the reporter's data.
func TestPhotos(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	const gps = "GPSLatitude-7.2575112.7521"
	jpg, pn := withExif(t, gps), pngWithText(t, gps)
	if _, _, err := image.Decode(bytes.NewReader(jpg)); err != nil {
		t.Fatalf("test JPEG: %v", err)
	}
	bad := []struct {
		name   string
		photos []PhotoInput
		key    string
	}{
		{"four photos", []PhotoInput{{"a.jpg", jpg}, {"b.jpg", jpg}, {"c.jpg", jpg}, {"d.jpg", jpg}}, "complaint.error.photos"},
		{"too big", []PhotoInput{{"a.jpg", append(append([]byte{}, jpg...), make([]byte, MaxPhotoBytes)...)}}, "complaint.error.photo_size"},
		{"a PDF", []PhotoInput{{"a.pdf", []byte("%PDF-1.4\n%%EOF")}}, "complaint.error.photo_type"},
		{"text named .jpg", []PhotoInput{{"a.jpg", []byte("bukan foto sama sekali")}}, "complaint.error.photo_type"},
		{"a PNG named .jpg", []PhotoInput{{"a.jpg", pn}}, "complaint.error.photo_type"},
	}
	for _, b := range bad {
		_, err := f.s.Submit(ctx, Actor{}, Intake{Channel: ChannelWeb, Body: "Jalan berlubang di depan pasar.", Photos: b.photos})
		if e := errs.As(err); e == nil || e.Kind != errs.Invalid || e.Key != b.key {
			t.Errorf("%s: %v, want %s", b.name, err, b.key)
		}
	}
	var n int
	must(0, f.s.db.NewSelect().Table("complaints").ColumnExpr("count(*)").Scan(ctx, &n))
	if n != 0 {
		t.Fatalf("%d complaints stored from refused intakes", n)
	}

	rec := f.submit(t, Intake{Photos: []PhotoInput{{"IMG_0001.JPG", jpg}, {"denah.png", pn}}})
	c := must(f.s.Route(ctx, f.admin, rec.Complaint.ID, []int64{f.agencyA}, ""))
	reporter := Actor{Secret: rec.Secret}
	ps := must(f.s.Photos(ctx, reporter, c))
	if len(ps) != 2 || ps[0].ContentType != "image/jpeg" || ps[0].Width != 40 || ps[1].ContentType != "image/png" || ps[0].Data != nil {
		t.Fatalf("photos: %+v", ps)
	}
	for _, p := range ps {
		d := must(f.s.PhotoData(ctx, f.officerA, c, p.ID))
		if bytes.Contains(d.Data, []byte(gps)) || int64(len(d.Data)) != d.Size {
			t.Errorf("%s keeps its metadata", p.Name)
		}
		if _, _, err := image.Decode(bytes.NewReader(d.Data)); err != nil {
			t.Errorf("%s no longer decodes: %v", p.Name, err)
		}
		for who, a := range map[string]Actor{"analyst": f.analyst, "officer B": f.officerB, "guest": {}} {
			if _, err := f.s.PhotoData(ctx, a, c, p.ID); errs.KindOf(err) != errs.NotFound {
				t.Errorf("%s reads photo %s: %v", who, p.Name, err)
			}
		}
	}
	if ps := must(f.s.Photos(ctx, f.analyst, c)); len(ps) != 0 {
		t.Errorf("an analyst lists photos: %d", len(ps))
	}

	// Closed and past retention: the photos are erased.
	must(f.s.Answer(ctx, f.officerA, c.ID, "Sudah ditambal."))
	must(f.s.Close(ctx, reporter, c.ID, 4, ""))
	f.clk.Set("2025-06-01 09:00")
	if n := must(f.s.EraseExpired(ctx)); n != 1 {
		t.Fatalf("erased %d", n)
	}
	must(0, f.s.db.NewSelect().Table("complaint_photos").ColumnExpr("count(*)").Scan(ctx, &n))
	if n != 0 {
		t.Fatalf("%d photos left after erasure", n)
	}
}
