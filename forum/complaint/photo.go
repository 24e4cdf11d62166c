package complaint

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

// Limits on photos attached at intake.
const (
	// MaxPhotos is how many photos one complaint may carry.
	MaxPhotos = 3
	// MaxPhotoBytes is the largest photo, in bytes (a phone camera's JPEG).
	MaxPhotoBytes = 5 << 20
)

// PhotoInput is a photo as the citizen uploads it: the file's name (for
// its type) and content.
type PhotoInput struct {
	Name string
	Data []byte
}

// Photo is a photo attached to a complaint. Data is loaded only by
// PhotoData.
type Photo struct {
	bun.BaseModel `bun:"table:complaint_photos"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	ComplaintID int64     `bun:"complaint_id,notnull" json:"-"`
	Name        string    `bun:"name,notnull" json:"name"`
	ContentType string    `bun:"content_type,notnull" json:"content_type"`
	Size        int64     `bun:"size,notnull" json:"size"`
	Width       int       `bun:"width,notnull" json:"width"`
	Height      int       `bun:"height,notnull" json:"height"`
	SHA256      string    `bun:"sha256,notnull" json:"-"`
	CreatedAt   time.Time `bun:"created_at,notnull" json:"-"`
	Data        []byte    `bun:"data,notnull" json:"-"`
}

// checkPhotos checks the intake's photos: at most MaxPhotos, each at most
// MaxPhotoBytes and a PNG or JPEG whose content is what its name says
// (forum.CheckFile, the file uploads' check). It returns them ready to
// store, with their metadata stripped (StripMetadata). KindInvalid
// complaint.error.photos for too many, complaint.error.photo_size for one
// too big, complaint.error.photo_type for anything else.
func checkPhotos(in []PhotoInput) ([]Photo, error) {
	if len(in) > MaxPhotos {
		return nil, errs.E(errs.Invalid, "complaint.error.photos", map[string]any{"Max": MaxPhotos})
	}
	var out []Photo
	for _, p := range in {
		if len(p.Data) > MaxPhotoBytes {
			return nil, errs.E(errs.Invalid, "complaint.error.photo_size", map[string]any{"MB": MaxPhotoBytes >> 20})
		}
		ft, w, h, err := forum.CheckFile(p.Name, p.Data)
		if err != nil || !ft.Image {
			return nil, errs.E(errs.Invalid, "complaint.error.photo_type", nil)
		}
		data, err := StripMetadata(ft.MIME, p.Data)
		if err != nil {
			return nil, errs.E(errs.Invalid, "complaint.error.photo_type", nil)
		}
		sum := sha256.Sum256(data)
		out = append(out, Photo{Name: forum.CleanFileName(p.Name), ContentType: ft.MIME, Size: int64(len(data)),
			Width: w, Height: h, SHA256: hex.EncodeToString(sum[:]), Data: data})
	}
	return out, nil
}

// StripMetadata returns image data of type mime ("image/jpeg" or
// "image/png") without the metadata a phone writes into it: in a JPEG the
// APP1 (Exif, with the GPS position, and XMP), APP13 (IPTC) and COM
// segments, in a PNG the eXIf, tEXt, zTXt, iTXt and tIME chunks. Pixels
// are untouched (no re-encoding). An Exif orientation tag goes too, so a
// photo the camera stored sideways shows sideways. It fails on data that
// is not a well-formed image of that type.
func StripMetadata(mime string, data []byte) ([]byte, error) {
	switch mime {
	case "image/jpeg":
		return stripJPEG(data)
	case "image/png":
		return stripPNG(data)
	}
	return nil, fmt.Errorf("strip metadata: unsupported type %q", mime)
}

// stripJPEG copies the segments before the scan except APP1, APP13 and
// COM (ITU-T T.81 Annex B: a marker 0xFF xx, then for most a 2-byte
// big-endian length that counts itself), then the scan and the rest as is.
func stripJPEG(b []byte) ([]byte, error) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, errors.New("not a JPEG")
	}
	out := bytes.NewBuffer(make([]byte, 0, len(b)))
	out.Write(b[:2])
	i := 2
	for {
		if i+4 > len(b) || b[i] != 0xFF {
			return nil, errors.New("malformed JPEG")
		}
		marker := b[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xDA { // start of scan: the rest is image data
			out.Write(b[i:])
			return out.Bytes(), nil
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return nil, errors.New("malformed JPEG segment")
		}
		if marker != 0xE1 && marker != 0xED && marker != 0xFE {
			out.Write(b[i : i+2+n])
		}
		i += 2 + n
	}
}

// stripPNG copies the chunks except the metadata ones (PNG 3rd edition,
// section 5.3: length, type, data, CRC).
func stripPNG(b []byte) ([]byte, error) {
	const sig = "\x89PNG\r\n\x1a\n"
	if len(b) < len(sig) || string(b[:len(sig)]) != sig {
		return nil, errors.New("not a PNG")
	}
	out := bytes.NewBuffer(make([]byte, 0, len(b)))
	out.WriteString(sig)
	for i := len(sig); i < len(b); {
		if i+12 > len(b) {
			return nil, errors.New("malformed PNG")
		}
		n := int(binary.BigEndian.Uint32(b[i:]))
		end := i + 12 + n
		if n < 0 || end > len(b) {
			return nil, errors.New("malformed PNG chunk")
		}
		switch string(b[i+4 : i+8]) {
		case "eXIf", "tEXt", "zTXt", "iTXt", "tIME":
		default:
			out.Write(b[i:end])
		}
		i = end
	}
	return out.Bytes(), nil
}

// Photos returns complaint c's photos (without their data) for actor a:
// only to those who may read its text whole (the desk, its agencies'
// officers and the reporter), none to others.
func (s *Store) Photos(ctx context.Context, a Actor, c *Complaint) ([]Photo, error) {
	if !s.Access(a, c).Body {
		return nil, nil
	}
	var ps []Photo
	if err := s.db.NewSelect().Model(&ps).ExcludeColumn("data").Where("complaint_id = ?", c.ID).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("photos of %s: %w", c.Number, err)
	}
	return ps, nil
}

// PhotoData returns photo id of complaint c with its data, for actor a.
// errs.ErrNotFound when a may not read c's text whole or c has no such
// photo.
func (s *Store) PhotoData(ctx context.Context, a Actor, c *Complaint, id int64) (*Photo, error) {
	if !s.Access(a, c).Body {
		return nil, errs.ErrNotFound
	}
	p := new(Photo)
	err := s.db.NewSelect().Model(p).Where("id = ? AND complaint_id = ?", id, c.ID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("photo %d of %s: %w", id, c.Number, err)
	}
	return p, nil
}
