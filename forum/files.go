package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
)

// File kinds: a consultation has at most one cover image and any number
// (up to MaxDocuments) of attached documents.
const (
	FileCover    = "cover"
	FileDocument = "document"
)

// ConsultationFile is a file attached to a consultation, stored in the
// database so that every node serves it. Name is the cleaned plain-text
// name (CleanFileName), ContentType the type CheckFile decided (never the
// client's), Size the length in bytes, SHA256 the hex digest of the content
// (the ETag), Width and Height an image's size in pixels (0 for other
// files), and Alt a cover's description for screen readers ("" means the
// consultation's title). Data is only filled by FileData.
type ConsultationFile struct {
	bun.BaseModel `bun:"table:consultation_files"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	ConsultationID int64     `bun:"consultation_id,notnull" json:"consultation_id"`
	Kind           string    `bun:"kind,notnull" json:"kind"`
	Name           string    `bun:"name,notnull" json:"name"`
	ContentType    string    `bun:"content_type,notnull" json:"content_type"`
	Size           int64     `bun:"size,notnull" json:"size"`
	SHA256         string    `bun:"sha256,notnull" json:"sha256"`
	Width          int       `bun:"width,notnull" json:"width,omitempty"`
	Height         int       `bun:"height,notnull" json:"height,omitempty"`
	Alt            string    `bun:"alt,notnull" json:"alt,omitempty"`
	CreatedAt      time.Time `bun:"created_at,notnull" json:"created_at"`
	Data           []byte    `bun:"data" json:"-"`
}

// Image reports whether f is a PNG or JPEG image.
func (f *ConsultationFile) Image() bool { return strings.HasPrefix(f.ContentType, "image/") }

// Label is f's short type for lists ("PDF", "DOCX", ...).
func (f *ConsultationFile) Label() string {
	ft, _ := fileTypeOf(strings.ToLower(path.Ext(f.Name)))
	return ft.Label
}

// FileInput is an upload: its Kind (FileCover or FileDocument), the
// client's file Name, the Alt text of a cover, and the content.
type FileInput struct {
	Kind, Name, Alt string
	Data            []byte
}

// AddFile stores in as a file of consultation c for admin v in one
// transaction with its audit entry (file_add). A new cover replaces the old one. Errors: errs.Forbidden for
// non-admins; errs.Invalid with "error.file_kind" (unknown kind),
// "error.file_empty", "error.file_too_big_cover" or
// "error.file_too_big_document" (over FileLimit), CheckFile's keys,
// "error.file_cover_type" (a cover that is not PNG or JPEG),
// "error.file_type" (a cover whose content does not decode),
// "error.length_alt" and "error.file_count" (over MaxDocuments).
func (s *Store) AddFile(ctx context.Context, v Viewer, c *Consultation, in FileInput) (*ConsultationFile, error) {
	now := s.now().UTC()
	if err := requireAdmin(ctx, v); err != nil {
		return nil, err
	}
	up, err := CheckUpload(in.Kind, in.Name, in.Data)
	if err != nil {
		return nil, err
	}
	if in.Kind == FileCover && !up.Type.Image {
		return nil, errs.E(errs.Invalid, "error.file_cover_type", nil)
	}
	alt, err := plainText(in.Alt, "alt", 0, MaxAltRunes)
	if err != nil {
		return nil, err
	}
	// A cover's card image (CoverThumb) is made here, at the admin's
	// upload, so that no reader's request decodes a large cover.
	var thumb []byte
	if in.Kind == FileCover {
		if thumb, err = makeThumb(in.Data); err != nil {
			return nil, errs.Wrap(errs.Invalid, "error.file_type", err)
		}
	}
	name := up.Name
	f := &ConsultationFile{ConsultationID: c.ID, Kind: in.Kind, Name: name, ContentType: up.Type.MIME, Size: up.Size,
		SHA256: up.SHA256, Width: up.Width, Height: up.Height, Alt: alt, CreatedAt: now, Data: []byte{}}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := requireAdmin(ctx, v); err != nil {
			return err
		}
		q := tx.NewDelete().Model((*ConsultationFile)(nil)).Where("consultation_id = ? AND kind = ?", c.ID, FileCover)
		if in.Kind == FileDocument {
			n, err := tx.NewSelect().Model((*ConsultationFile)(nil)).Where("consultation_id = ? AND kind = ?", c.ID, FileDocument).Count(ctx)
			if err != nil {
				return fmt.Errorf("count documents: %w", err)
			}
			if n >= MaxDocuments {
				return errs.E(errs.Invalid, "error.file_count", map[string]any{"Max": MaxDocuments})
			}
		} else if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("replace cover: %w", err)
		}
		if _, err := tx.NewInsert().Model(f).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert file: %w", err)
		}
		if err := storage.SetBytes(ctx, tx, "consultation_files", "data", f.ID, in.Data); err != nil {
			return err
		}
		if thumb != nil {
			if err := storage.SetBytes(ctx, tx, "consultation_files", "thumb", f.ID, thumb); err != nil {
				return err
			}
		}
		return audit(ctx, tx, v, "file_add", "file", f.ID, c.ID, in.Kind+" "+name, now)
	})
	if err != nil {
		return nil, err
	}
	f.Data = nil
	return f, nil
}

// DeleteFile removes file id of consultation cons for admin v in one
// transaction with its audit entry (file_remove); a file of another consultation is errs.NotFound.
func (s *Store) DeleteFile(ctx context.Context, v Viewer, cons, id int64) error {
	if err := requireAdmin(ctx, v); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := requireAdmin(ctx, v); err != nil {
			return err
		}
		f, err := fileOf(ctx, tx, cons, id)
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model(f).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("delete file %d: %w", id, err)
		}
		return audit(ctx, tx, v, "file_remove", "file", id, cons, f.Kind+" "+f.Name, now)
	})
}

// FilesOf lists consultation cons's files without their content, the
// cover first, then documents in upload order. Callers have checked that
// the viewer may read the consultation (Can).
func FilesOf(ctx context.Context, db bun.IDB, cons int64) ([]ConsultationFile, error) {
	var fs []ConsultationFile
	err := db.NewSelect().Model(&fs).ExcludeColumn("data").Where("consultation_id = ?", cons).
		OrderExpr("CASE WHEN kind = ? THEN 0 ELSE 1 END, id", FileCover).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("files of consultation %d: %w", cons, err)
	}
	return fs, nil
}

// OpenFile returns file id of consultation c, without its content, when v
// may read it (Can: drafts are for their moderators only); errs.ErrNotFound
// otherwise, so a hidden file cannot be told from a missing one.
func OpenFile(ctx context.Context, db bun.IDB, v Viewer, c *Consultation, id int64) (*ConsultationFile, error) {
	if err := Can(ctx, v, ActRead, Item{Kind: ItemFile, Consultation: c}); err != nil {
		return nil, err
	}
	return fileOf(ctx, db, c.ID, id)
}

// FileData returns the content of f (as returned by OpenFile).
func FileData(ctx context.Context, db bun.IDB, f *ConsultationFile) ([]byte, error) {
	var data []byte
	err := db.NewSelect().Model((*ConsultationFile)(nil)).Column("data").Where("id = ?", f.ID).Scan(ctx, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound // deleted since OpenFile
	}
	if err != nil {
		return nil, fmt.Errorf("file %d content: %w", f.ID, err)
	}
	return data, nil
}

func fileOf(ctx context.Context, db bun.IDB, cons, id int64) (*ConsultationFile, error) {
	f := new(ConsultationFile)
	err := db.NewSelect().Model(f).ExcludeColumn("data").Where("id = ? AND consultation_id = ?", id, cons).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("file %d: %w", id, err)
	}
	return f, nil
}
