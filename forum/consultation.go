package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Consultation status values.
const (
	StatusDraft    = "draft"
	StatusOpen     = "open"
	StatusClosed   = "closed"
	StatusArchived = "archived"
)

// Consultation is a public consultation (konsultasi publik). Source and
// SourceKey identify where an imported consultation came from (e.g. "polis",
// "2rumnecbeh") so that importing it again updates instead of duplicating.
type Consultation struct {
	bun.BaseModel `bun:"table:consultations"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	Slug        string    `bun:"slug,notnull" json:"slug"`
	Title       string    `bun:"title,notnull" json:"title"`
	Description string    `bun:"description,notnull" json:"description"`
	Status      string    `bun:"status,notnull" json:"status"`
	Source      string    `bun:"source,notnull" json:"-"`
	SourceKey   string    `bun:"source_key,notnull" json:"-"`
	SourceURL   string    `bun:"source_url,notnull" json:"-"`
	CreatedAt   time.Time `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at,notnull" json:"updated_at"`

	// ReportPublished makes the consultation's report (/k/{slug}/report)
	// visible to everyone; set by the organizer (Store.PublishReport).
	ReportPublished bool `bun:"report_published,notnull" json:"report_published"`

	// Summary (plain text), Organizer (the organizing agency, OPD), Region
	// and Topics ("|a|b|", as proposals) are set in the admin pages
	// (consultation_admin.go); Description is the markdown body.
	Summary   string `bun:"summary,notnull" json:"summary"`
	Organizer string `bun:"organizer,notnull" json:"organizer"`
	Region    string `bun:"region,notnull" json:"region"`
	Topics    string `bun:"topics,notnull" json:"-"`

	// ContentLang is the language of the consultation's imported content
	// (its title and description, and the statements, proposals and
	// comments that came with the import), a BCP 47 tag such as "es";
	// "" when it is the installation's own language or unknown. Content
	// written on the site carries no tag (its writer's language is not
	// known). Pages mark imported content with it (WCAG 2.1 SC 3.1.2).
	ContentLang string `bun:"content_lang,notnull" json:"content_lang,omitempty"`
}

// Public reports whether anyone may see the consultation.
func (c *Consultation) Public() bool { return c.Status != StatusDraft }

// ConsultationByRef finds a consultation by its numeric id or its slug.
// Drafts are found too; callers decide who may see them. It returns
// ErrNotFound when there is none.
func ConsultationByRef(ctx context.Context, db bun.IDB, ref string) (*Consultation, error) {
	c := new(Consultation)
	q := db.NewSelect().Model(c)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		q = q.Where("id = ?", id)
	} else {
		q = q.Where("slug = ?", ref)
	}
	if err := q.Limit(1).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.ErrNotFound
		}
		return nil, fmt.Errorf("consultation %q: %w", ref, err)
	}
	return c, nil
}

// PublicConsultations lists the consultations that are not drafts, newest
// first.
func PublicConsultations(ctx context.Context, db bun.IDB) ([]Consultation, error) {
	var cs []Consultation
	err := db.NewSelect().Model(&cs).Where("status <> ?", StatusDraft).
		Order("created_at DESC", "id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list consultations: %w", err)
	}
	return cs, nil
}

// UpsertImportedConsultation creates the consultation identified by
// (c.Source, c.SourceKey) or updates its title, description and source URL,
// keeping its id and slug. It sets c.ID and c.Slug. A fresh slug is derived
// from the title and made unique.
func UpsertImportedConsultation(ctx context.Context, db bun.IDB, c *Consultation, now time.Time) error {
	existing := new(Consultation)
	err := db.NewSelect().Model(existing).
		Where("source = ? AND source_key = ?", c.Source, c.SourceKey).Limit(1).Scan(ctx)
	switch {
	case err == nil:
		c.ID, c.Slug, c.CreatedAt, c.Status = existing.ID, existing.Slug, existing.CreatedAt, existing.Status
		if existing.Title == c.Title && existing.Description == c.Description && existing.SourceURL == c.SourceURL &&
			existing.ContentLang == c.ContentLang {
			c.UpdatedAt = existing.UpdatedAt
			return nil
		}
		c.UpdatedAt = now
		_, err = db.NewUpdate().Model(c).Column("title", "description", "source_url", "content_lang", "updated_at").
			WherePK().Exec(ctx)
		return err
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("find consultation %s/%s: %w", c.Source, c.SourceKey, err)
	}
	if c.Status == "" {
		c.Status = StatusOpen
	}
	c.CreatedAt, c.UpdatedAt = now, now
	c.Slug, err = uniqueSlug(ctx, db, Slugify(c.Title, c.SourceKey))
	if err != nil {
		return err
	}
	if _, err := db.NewInsert().Model(c).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert consultation %s/%s: %w", c.Source, c.SourceKey, err)
	}
	return nil
}

func uniqueSlug(ctx context.Context, db bun.IDB, base string) (string, error) {
	slug := base
	for i := 2; ; i++ {
		n, err := db.NewSelect().Table("consultations").Where("slug = ?", slug).Count(ctx)
		if err != nil {
			return "", fmt.Errorf("check slug %q: %w", slug, err)
		}
		if n == 0 {
			return slug, nil
		}
		slug = base + "-" + strconv.Itoa(i)
	}
}
