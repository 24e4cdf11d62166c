package forum

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // registers PNG for image.Decode

	"github.com/uptrace/bun"
	"golang.org/x/image/draw"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
)

// The card image of a consultation (home page) is its cover made small:
// at most ThumbMaxW×ThumbMaxH pixels, as a JPEG of quality thumbQuality,
// so that a card costs a phone a few tens of KiB, not the cover's up to
// 2 MiB, and the home page keeps its 60 KiB first-page budget.
const (
	ThumbMaxW    = 480
	ThumbMaxH    = 320
	thumbQuality = 65
)

// ThumbSize is the size in pixels of the card image of a w×h cover: scaled
// down, aspect kept, to fit ThumbMaxW×ThumbMaxH (never scaled up).
func ThumbSize(w, h int) (int, int) {
	if w <= 0 || h <= 0 {
		return 0, 0
	}
	tw, th := w, h
	if tw > ThumbMaxW {
		tw, th = ThumbMaxW, max(1, h*ThumbMaxW/w)
	}
	if th > ThumbMaxH {
		tw, th = max(1, tw*ThumbMaxH/th), ThumbMaxH
	}
	return tw, th
}

// Covers returns the covers (without content) of consultations ids, by
// consultation id. Callers show each only where its consultation may be
// read.
func Covers(ctx context.Context, db bun.IDB, ids []int64) (map[int64]ConsultationFile, error) {
	out := map[int64]ConsultationFile{}
	if len(ids) == 0 {
		return out, nil
	}
	var fs []ConsultationFile
	err := db.NewSelect().Model(&fs).ExcludeColumn("data").Where("kind = ? AND consultation_id IN (?)", FileCover, bun.In(ids)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("covers: %w", err)
	}
	for _, f := range fs {
		out[f.ConsultationID] = f
	}
	return out, nil
}

// CoverThumb returns consultation c's card image (a JPEG, ThumbSize of
// the cover) with its cover, when v may read c's files (Can, ItemFile);
// errs.ErrNotFound when c has no cover or v may not see it. AddFile makes
// it at upload and stores it beside the cover (consultation_files.thumb),
// so every node serves the same bytes; a cover uploaded before card images
// existed gets its own here, on first use.
func CoverThumb(ctx context.Context, db *bun.DB, v Viewer, c *Consultation) ([]byte, *ConsultationFile, error) {
	if err := Can(ctx, v, ActRead, Item{Kind: ItemFile, Consultation: c}); err != nil {
		return nil, nil, err
	}
	var f ConsultationFile
	err := db.NewSelect().Model(&f).ExcludeColumn("data").Where("consultation_id = ? AND kind = ?", c.ID, FileCover).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cover of consultation %d: %w", c.ID, err)
	}
	var thumb []byte
	if err := db.NewSelect().Model((*ConsultationFile)(nil)).ColumnExpr("thumb").Where("id = ?", f.ID).Scan(ctx, &thumb); err != nil {
		return nil, nil, fmt.Errorf("card image of file %d: %w", f.ID, err)
	}
	if len(thumb) > 0 {
		return thumb, &f, nil
	}
	data, err := FileData(ctx, db, &f)
	if err != nil {
		return nil, nil, err
	}
	if thumb, err = makeThumb(data); err != nil {
		return nil, nil, fmt.Errorf("card image of file %d: %w", f.ID, err)
	}
	// Two nodes making it at once write the same bytes.
	if err := storage.SetBytes(ctx, db, "consultation_files", "thumb", f.ID, thumb); err != nil {
		return nil, nil, err
	}
	return thumb, &f, nil
}

// thumbSlots bounds how many images a process decodes at once for card
// images: a decoded image takes up to 4 bytes a pixel (256 MB for an
// 8000×8000 PNG), so uploads arriving together wait rather than add up.
var thumbSlots = make(chan struct{}, 2)

// makeThumb decodes a PNG or JPEG image, scales it to ThumbSize with
// bilinear filtering over a white background (a transparent PNG), and
// encodes it as JPEG. At most cap(thumbSlots) run at once.
func makeThumb(data []byte) ([]byte, error) {
	thumbSlots <- struct{}{}
	defer func() { <-thumbSlots }()
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	w, h := ThumbSize(b.Dx(), b.Dy())
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), &image.Uniform{C: color.White}, image.Point{}, draw.Src)
	draw.BiLinear.Scale(dst, dst.Bounds(), src, b, draw.Over, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: thumbQuality}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
