package forum

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
)

// Guides (panduan) are short plain-language pages for citizens, in
// Indonesian and English: how to take part, how personal data is
// protected (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi), how to
// give feedback that gets acted on. Each is markdown (rendered through
// forum/markup); the built-in text in guides/<slug>.<lang>.md applies
// until an admin saves their own, and saving an empty body returns to it.

//go:embed guides/*.md
var guideFS embed.FS

// GuideSlugs are the guides, in the order the guide index lists them.
var GuideSlugs = []string{"ikut-serta", "data-pribadi", "masukan"}

// MaxGuideBody bounds a guide's markdown, in characters: a guide prints
// on one A4 page.
const MaxGuideBody = 3000

// Guide is one guide in one language. Title is the text of the body's
// first "# " heading (the slug when there is none). Edited says an admin
// saved this text; else it is the built-in one.
type Guide struct {
	bun.BaseModel `bun:"table:guides"`
	Slug          string    `bun:"slug,pk"`
	Lang          string    `bun:"lang,pk"`
	Body          string    `bun:"body"`
	UpdatedBy     int64     `bun:"updated_by"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Edited        bool      `bun:"-"`
}

// Title is the guide's first level-one heading, else its slug.
func (g Guide) Title() string {
	for _, l := range strings.Split(g.Body, "\n") {
		if t, ok := strings.CutPrefix(strings.TrimSpace(l), "# "); ok {
			return strings.TrimSpace(t)
		}
	}
	return g.Slug
}

func guideKnown(slug, lang string) error {
	if !slices.Contains(GuideSlugs, slug) || (lang != "id" && lang != "en") {
		return errs.ErrNotFound
	}
	return nil
}

// DefaultGuide is the built-in text of slug in lang ("id" or "en");
// errs.ErrNotFound for another slug or language.
func DefaultGuide(slug, lang string) (Guide, error) {
	if err := guideKnown(slug, lang); err != nil {
		return Guide{}, err
	}
	b, err := guideFS.ReadFile("guides/" + slug + "." + lang + ".md")
	if err != nil {
		return Guide{}, errs.Internalf("guide %s.%s: %w", slug, lang, err)
	}
	return Guide{Slug: slug, Lang: lang, Body: string(b)}, nil
}

// LoadGuide is slug in lang as an admin last saved it, else the built-in
// text; errs.ErrNotFound for an unknown slug or language. Guides are
// public: anyone may read them.
func LoadGuide(ctx context.Context, db bun.IDB, slug, lang string) (Guide, error) {
	if err := guideKnown(slug, lang); err != nil {
		return Guide{}, err
	}
	var g Guide
	err := db.NewSelect().Model(&g).Where("slug = ? AND lang = ?", slug, lang).Scan(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return DefaultGuide(slug, lang)
	case err != nil:
		return Guide{}, fmt.Errorf("load guide: %w", err)
	}
	g.Edited = true
	return g, nil
}

// SaveGuide stores body as slug's text in lang for admin v (forum.Can
// ActAdminister on ItemSite), with a "guide_save" audit row whose reason
// is "<slug>.<lang>"; an empty body deletes the admin's text so the
// built-in one applies again. Errors: errs.ErrNotFound (unknown slug or
// language), forbidden, "error.utf8", "error.length_guide_body" (over
// MaxGuideBody characters).
func (s *Store) SaveGuide(ctx context.Context, v Viewer, slug, lang, body string) error {
	if err := Can(ctx, v, ActAdminister, Item{Kind: ItemSite}); err != nil {
		return err
	}
	if err := guideKnown(slug, lang); err != nil {
		return err
	}
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	if !utf8.ValidString(body) {
		return errs.E(errs.Invalid, "error.utf8", nil)
	}
	if n := utf8.RuneCountInString(body); n > MaxGuideBody {
		return errs.E(errs.Invalid, "error.length_guide_body", map[string]any{"Min": 0, "Max": MaxGuideBody})
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := Can(ctx, v, ActAdminister, Item{Kind: ItemSite}); err != nil {
			return err
		}
		if body == "" {
			if _, err := tx.NewDelete().Model((*Guide)(nil)).Where("slug = ? AND lang = ?", slug, lang).Exec(ctx); err != nil {
				return fmt.Errorf("reset guide: %w", err)
			}
		} else {
			g := Guide{Slug: slug, Lang: lang, Body: body + "\n", UpdatedAt: now}
			if v.User != nil {
				g.UpdatedBy = v.User.ID
			}
			if _, err := tx.NewInsert().Model(&g).On("CONFLICT (slug, lang) DO UPDATE").
				Set("body = EXCLUDED.body, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at").Exec(ctx); err != nil {
				return fmt.Errorf("save guide: %w", err)
			}
		}
		return audit(ctx, tx, v, "guide_save", "site", 0, 0, slug+"."+lang, now)
	})
}

// guideMigrations hold the admins' guide texts (Guide).
var guideMigrations = []storage.Migration{
	{
		Name: "20261203080500", Comment: "create_guides",
		Up: []string{
			`CREATE TABLE guides (
				slug VARCHAR(40) NOT NULL,
				lang VARCHAR(5) NOT NULL,
				body TEXT NOT NULL,
				updated_by BIGINT NOT NULL,
				updated_at {{time}} NOT NULL,
				PRIMARY KEY (slug, lang))`,
		},
		Down: []string{`DROP TABLE guides`},
	},
}
