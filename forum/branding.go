package forum

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
)

// Branding is the installation's identity, set by an admin and shown on
// every page: the pemda's Name (plain text; "" shows the product name),
// the primary Color ("#rrggbb"; "" keeps the default), the footer's
// Address, Contact and PrivacyURL, and the logo's type, digest (hex
// SHA-256, which names it on the content-hashed static path) and size in
// pixels. The logo's bytes are read by BrandingLogo only.
type Branding struct {
	bun.BaseModel `bun:"table:branding"`

	ID         int64     `bun:"id,pk"` // always 1: one row per installation
	Name       string    `bun:"name,notnull"`
	Color      string    `bun:"color,notnull"`
	Address    string    `bun:"address,notnull"`
	Contact    string    `bun:"contact,notnull"`
	PrivacyURL string    `bun:"privacy_url,notnull"`
	LogoType   string    `bun:"logo_type,notnull"`
	LogoSHA    string    `bun:"logo_sha256,notnull"`
	LogoWidth  int       `bun:"logo_width,notnull"`
	LogoHeight int       `bun:"logo_height,notnull"`
	UpdatedAt  time.Time `bun:"updated_at,notnull"`
}

// Branding limits: a logo is a PNG or JPEG of at most MaxLogoBytes (it is
// on every page, inside the 60 KiB first-page budget); texts are counted
// in characters.
const (
	MaxLogoBytes       = 24 << 10
	MaxBrandName       = 120
	MaxBrandAddress    = 300
	MaxBrandContact    = 200
	MaxBrandURL        = 500
	MinPrimaryContrast = 4.5 // WCAG 2.1 SC 1.4.3, normal text, level AA
)

// BrandingInput is an admin's branding form. Logo holds a new logo's bytes
// and LogoName its client file name (nil keeps the current logo);
// RemoveLogo drops it.
type BrandingInput struct {
	Name, Color, Address, Contact, PrivacyURL string
	LogoName                                  string
	Logo                                      []byte
	RemoveLogo                                bool
}

// LoadBranding returns the installation's branding; the zero Branding
// when no admin has set one.
func LoadBranding(ctx context.Context, db bun.IDB) (Branding, error) {
	var b Branding
	err := db.NewSelect().Model(&b).Where("id = 1").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Branding{}, nil
	}
	if err != nil {
		return Branding{}, fmt.Errorf("load branding: %w", err)
	}
	return b, nil
}

// BrandingLogo returns the logo's bytes and content type; errs.NotFound
// when there is none.
func BrandingLogo(ctx context.Context, db bun.IDB) ([]byte, string, error) {
	var row struct {
		Type string `bun:"logo_type"`
		Data []byte `bun:"logo"`
	}
	err := db.NewSelect().Table("branding").Column("logo_type", "logo").Where("id = 1").Scan(ctx, &row.Type, &row.Data)
	if errors.Is(err, sql.ErrNoRows) || err == nil && len(row.Data) == 0 {
		return nil, "", errs.E(errs.NotFound, "error.not_found", nil)
	}
	if err != nil {
		return nil, "", fmt.Errorf("load logo: %w", err)
	}
	return row.Data, row.Type, nil
}

// SaveBranding stores in as the installation's branding for admin v, in
// one transaction with its audit entry (branding_save). Errors:
// errs.Forbidden for anyone who may not administer the site; errs.Invalid
// with "error.length_brand_*" (texts over their limits),
// "error.brand_color" (not "#rrggbb"), "error.brand_contrast" (the colour
// has less than MinPrimaryContrast against white, the page's background
// and the text on its buttons; Data Ratio and Min are float64s, the
// ratio rounded down to 2 decimals), "error.brand_url" (a
// privacy link that is neither http(s) nor a local path),
// "error.brand_logo_size" (over MaxLogoBytes), "error.brand_logo_type"
// (not a PNG or JPEG) or CheckFile's keys.
func (s *Store) SaveBranding(ctx context.Context, v Viewer, in BrandingInput) error {
	if err := Can(ctx, v, ActAdminister, Item{Kind: ItemSite}); err != nil {
		return err
	}
	b := Branding{ID: 1}
	var err error
	if b.Name, err = plainText(in.Name, "brand_name", 0, MaxBrandName); err != nil {
		return err
	}
	if b.Contact, err = plainText(in.Contact, "brand_contact", 0, MaxBrandContact); err != nil {
		return err
	}
	if b.Address, err = brandAddress(in.Address); err != nil {
		return err
	}
	if b.Color, err = checkPrimary(in.Color); err != nil {
		return err
	}
	if b.PrivacyURL, err = brandURL(in.PrivacyURL); err != nil {
		return err
	}
	if in.Logo != nil {
		if len(in.Logo) > MaxLogoBytes {
			return errs.E(errs.Invalid, "error.brand_logo_size", map[string]any{"Max": MaxLogoBytes >> 10})
		}
		ft, w, h, err := CheckFile(in.LogoName, in.Logo)
		if e := errs.As(err); e != nil && e.Key == "error.file_type" {
			// The general refusal lists documents too; a logo is PNG or JPEG only.
			return errs.E(errs.Invalid, "error.brand_logo_type", nil)
		}
		if err != nil {
			return err
		}
		if !ft.Image {
			return errs.E(errs.Invalid, "error.brand_logo_type", nil)
		}
		sum := sha256.Sum256(in.Logo)
		b.LogoType, b.LogoSHA, b.LogoWidth, b.LogoHeight = ft.MIME, hex.EncodeToString(sum[:]), w, h
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := Can(ctx, v, ActAdminister, Item{Kind: ItemSite}); err != nil {
			return err
		}
		b.UpdatedAt = now
		old, err := LoadBranding(ctx, tx)
		if err != nil {
			return err
		}
		if in.Logo == nil && !in.RemoveLogo {
			b.LogoType, b.LogoSHA, b.LogoWidth, b.LogoHeight = old.LogoType, old.LogoSHA, old.LogoWidth, old.LogoHeight
		}
		if _, err := tx.NewInsert().Model(&b).
			On("CONFLICT (id) DO UPDATE").
			Set("name = EXCLUDED.name, color = EXCLUDED.color, address = EXCLUDED.address, contact = EXCLUDED.contact").
			Set("privacy_url = EXCLUDED.privacy_url, logo_type = EXCLUDED.logo_type, logo_sha256 = EXCLUDED.logo_sha256").
			Set("logo_width = EXCLUDED.logo_width, logo_height = EXCLUDED.logo_height, updated_at = EXCLUDED.updated_at").
			Exec(ctx); err != nil {
			return fmt.Errorf("save branding: %w", err)
		}
		if in.Logo != nil || in.RemoveLogo {
			data := in.Logo
			if data == nil {
				data = []byte{}
			}
			if err := storage.SetBytes(ctx, tx, "branding", "logo", 1, data); err != nil {
				return err
			}
		}
		return audit(ctx, tx, v, "branding_save", "site", 0, 0, b.Name, now)
	})
}

// brandAddress keeps an address's line breaks (at most 6 lines), each
// line as plainText, MaxBrandAddress characters in all.
func brandAddress(s string) (string, error) {
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		l, err := plainText(l, "brand_address", 0, MaxBrandAddress)
		if err != nil {
			return "", err
		}
		if l != "" {
			lines = append(lines, l)
		}
	}
	out := strings.Join(lines, "\n")
	if len(lines) > 6 || len([]rune(out)) > MaxBrandAddress {
		return "", errs.E(errs.Invalid, "error.length_brand_address", map[string]any{"Min": 0, "Max": MaxBrandAddress})
	}
	return out, nil
}

// brandURL accepts "", an absolute http(s) URL or a local path ("/privasi").
func brandURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	bad := errs.E(errs.Invalid, "error.brand_url", nil)
	switch {
	case err != nil || len(s) > MaxBrandURL:
		return "", bad
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//"):
		return s, nil
	case (u.Scheme == "https" || u.Scheme == "http") && u.Host != "":
		return s, nil
	}
	return "", bad
}

// checkPrimary normalises a primary colour to "#rrggbb" and refuses one
// whose contrast against white is under MinPrimaryContrast. "" is allowed
// (the default colour).
func checkPrimary(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", nil
	}
	rgb, ok := ParseColor(s)
	if !ok {
		return "", errs.E(errs.Invalid, "error.brand_color", nil)
	}
	if r := ContrastRatio(rgb, [3]uint8{255, 255, 255}); r < MinPrimaryContrast {
		return "", errs.E(errs.Invalid, "error.brand_contrast", map[string]any{"Ratio": math.Floor(r*100) / 100, "Min": MinPrimaryContrast})
	}
	return s, nil
}

// ParseColor reads "#rrggbb" or "#rgb" (hex digits, either case).
func ParseColor(s string) ([3]uint8, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	n, err := strconv.ParseUint(s, 16, 32)
	if len(s) != 6 || err != nil {
		return [3]uint8{}, false
	}
	return [3]uint8{uint8(n >> 16), uint8(n >> 8), uint8(n)}, true
}

// RelativeLuminance is the relative luminance of an sRGB colour, 0 (black)
// to 1 (white), as WCAG 2.1 defines it (Understanding SC 1.4.3, "relative
// luminance"): each channel c/255 is linearised as c/12.92 when at most
// 0.04045, else ((c+0.055)/1.055)^2.4, and L = 0.2126 R + 0.7152 G +
// 0.0722 B. (WCAG 2.1 prints 0.03928 as the threshold; the sRGB standard's
// 0.04045 gives the same result for every 8-bit value.)
func RelativeLuminance(c [3]uint8) float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
}

// ContrastRatio is WCAG 2.1's contrast ratio of two colours, (L1 + 0.05) /
// (L2 + 0.05) with L1 the lighter: 1 (none) to 21 (black on white).
func ContrastRatio(a, b [3]uint8) float64 {
	la, lb := RelativeLuminance(a), RelativeLuminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
