package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
)

// A proposal may carry one image, as on CONSUL and Decidim: a photo of the
// place or a sketch, chosen by its author when submitting it. It is a PNG
// or JPEG of at most MaxProposalImageBytes (a phone camera's photo),
// checked by CheckUpload as every upload is. It lives in the database with
// its card image (ThumbSize, made at upload so that a list never decodes a
// photo), so every node serves it. Whoever may read the proposal may see
// its image (ProposalImageData asks Can through ProposalFor); anyone else
// gets errs.ErrNotFound, as for a proposal without one.

// FileProposalImage is the upload kind of a proposal's image (CheckUpload).
const FileProposalImage = "proposal_image"

// MaxProposalImageBytes is the largest proposal image, in bytes: a phone
// camera's JPEG, as for a complaint's photo.
const MaxProposalImageBytes = 5 << 20

// MaxProposalImagePixels bounds a proposal image's area (24 megapixels, a
// 6000×4000 photo; phone cameras save 12): anyone signed in may upload
// one, and making its card image decodes it whole.
const MaxProposalImagePixels = 24_000_000

// ProposalImage is a proposal's image: the cleaned Name, the ContentType
// CheckUpload decided, Size in bytes, SHA256 (hex), Width and
// Height in pixels, and Alt, the author's description for screen readers
// ("" means the proposal's title). Data and Thumb (the card image, a JPEG)
// are read only by ProposalImageData.
type ProposalImage struct {
	bun.BaseModel `bun:"table:proposal_images"`

	ID          int64     `bun:"id,pk,autoincrement" json:"-"`
	ProposalID  int64     `bun:"proposal_id,notnull" json:"-"`
	Name        string    `bun:"name,notnull" json:"name"`
	ContentType string    `bun:"content_type,notnull" json:"content_type"`
	Size        int64     `bun:"size,notnull" json:"size"`
	SHA256      string    `bun:"sha256,notnull" json:"-"`
	Width       int       `bun:"width,notnull" json:"width"`
	Height      int       `bun:"height,notnull" json:"height"`
	Alt         string    `bun:"alt,notnull" json:"alt,omitempty"`
	CreatedAt   time.Time `bun:"created_at,notnull" json:"-"`
	Data        []byte    `bun:"data" json:"-"`
	Thumb       []byte    `bun:"thumb" json:"-"`
}

// ImageInput is an uploaded image: the client's file Name, the Alt text
// and the content. An input without Data means no image.
type ImageInput struct {
	Name, Alt string
	Data      []byte
}

// checkProposalImage checks in and makes the stored image with its card
// image; nil (and no error) when in is nil or has no data. Errors
// (errs.Invalid): CheckUpload's for FileProposalImage,
// "error.proposal_image_type" (not PNG or JPEG), "error.proposal_image_pixels"
// (over MaxProposalImagePixels), "error.length_alt", and
// "error.file_type" for an image whose header reads but whose content
// does not decode.
func checkProposalImage(in *ImageInput, now time.Time) (*ProposalImage, error) {
	if in == nil || len(in.Data) == 0 {
		return nil, nil
	}
	up, err := CheckUpload(FileProposalImage, in.Name, in.Data)
	if e := errs.As(err); e != nil && e.Key == "error.file_type" {
		// CheckUpload's message lists every document type; an image
		// here may be a PNG or JPEG only.
		return nil, errs.E(errs.Invalid, "error.proposal_image_type", nil)
	}
	if err != nil {
		return nil, err
	}
	if !up.Type.Image {
		return nil, errs.E(errs.Invalid, "error.proposal_image_type", nil)
	}
	if up.Width*up.Height > MaxProposalImagePixels {
		return nil, errs.E(errs.Invalid, "error.proposal_image_pixels", nil)
	}
	alt, err := plainText(in.Alt, "alt", 0, MaxAltRunes)
	if err != nil {
		return nil, err
	}
	thumb, err := makeThumb(in.Data)
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, "error.file_type", err)
	}
	return &ProposalImage{Name: up.Name, ContentType: up.Type.MIME, Size: up.Size, SHA256: up.SHA256,
		Width: up.Width, Height: up.Height, Alt: alt, CreatedAt: now, Data: in.Data, Thumb: thumb}, nil
}

// insertProposalImage stores im (checkProposalImage's) for proposal
// proposalID in tx, nothing when im is nil; the bytes go through
// storage.SetBytes.
func insertProposalImage(ctx context.Context, tx bun.Tx, proposalID int64, im *ProposalImage) error {
	if im == nil {
		return nil
	}
	row := *im
	row.ProposalID, row.Data, row.Thumb = proposalID, []byte{}, []byte{}
	if _, err := tx.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert proposal image: %w", err)
	}
	if err := storage.SetBytes(ctx, tx, "proposal_images", "data", row.ID, im.Data); err != nil {
		return err
	}
	return storage.SetBytes(ctx, tx, "proposal_images", "thumb", row.ID, im.Thumb)
}

// ProposalImages returns the images (without content) of proposals ids, by
// proposal id. Callers show each only with a proposal the viewer may read.
func ProposalImages(ctx context.Context, db bun.IDB, ids []int64) (map[int64]ProposalImage, error) {
	out := map[int64]ProposalImage{}
	if len(ids) == 0 {
		return out, nil
	}
	var ims []ProposalImage
	err := db.NewSelect().Model(&ims).ExcludeColumn("data", "thumb").Where("proposal_id IN (?)", bun.In(ids)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("proposal images: %w", err)
	}
	for _, im := range ims {
		out[im.ProposalID] = im
	}
	return out, nil
}

// ProposalImageData returns proposal id's image with its content in Data,
// or only its card image in Thumb when thumb is set, with the proposal and
// its consultation, when v may read the proposal (ProposalFor);
// errs.ErrNotFound when it may not or the proposal has no image.
func ProposalImageData(ctx context.Context, db bun.IDB, v Viewer, id int64, thumb bool) (*ProposalImage, *Proposal, *Consultation, error) {
	p, c, err := ProposalFor(ctx, db, v, id)
	if err != nil {
		return nil, nil, nil, err
	}
	im := new(ProposalImage)
	q := db.NewSelect().Model(im).Where("proposal_id = ?", p.ID)
	if thumb {
		q = q.ExcludeColumn("data")
	} else {
		q = q.ExcludeColumn("thumb")
	}
	if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil, errs.ErrNotFound
	} else if err != nil {
		return nil, nil, nil, fmt.Errorf("image of proposal %d: %w", p.ID, err)
	}
	return im, p, c, nil
}

// AuditProposalImageRemove is the audit action of a moderator removing a
// proposal's image.
const AuditProposalImageRemove = "proposal_image_remove"

// RemoveProposalImage removes the image of proposal id, with its card
// image. Its author may (a photo they no longer want shown), and so may
// whoever moderates its consultation (an image against the rules on a
// proposal whose text is fine), with an audit row naming them and keeping
// the reason (AuditProposalImageRemove, the reason required; the author is
// not told). Removing an image that is already gone is a no-op. Errors: errs.ErrNotFound when v may not read
// the proposal; errs.Forbidden for anyone else who may;
// "error.reason_required" (errs.Invalid) for a moderator without a reason.
func (s *Store) RemoveProposalImage(ctx context.Context, v Viewer, id int64, reason string) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		p, c, err := ProposalFor(ctx, tx, v, id)
		if err != nil {
			return err
		}
		own := v.ParticipantID != 0 && p.AuthorID == v.ParticipantID
		if !own {
			if err := requireModerator(ctx, v, c.ID); err != nil {
				return err
			}
			if reason, err = longText(reason, "reason", 0, MaxReasonRunes); err != nil {
				return err
			}
			if reason == "" {
				return errs.E(errs.Invalid, "error.reason_required", nil)
			}
		}
		r, err := tx.NewDelete().Model((*ProposalImage)(nil)).Where("proposal_id = ?", p.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("remove image of proposal %d: %w", p.ID, err)
		}
		if n, _ := r.RowsAffected(); n == 0 || own {
			return nil
		}
		return audit(ctx, tx, v, AuditProposalImageRemove, TargetProposal, p.ID, c.ID, reason, now)
	})
}
