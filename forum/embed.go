package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Embedding: the pemda's own websites may show a consultation's call to
// action in an iframe (/k/{ref}/widget) only when their origin is on the
// list an admin keeps; the widget's Content-Security-Policy frame-ancestors
// (CSP Level 2, W3C) names exactly these origins, and every other page
// stays 'none'.

// MaxEmbedOrigins bounds the list of origins that may embed the widget.
const MaxEmbedOrigins = 20

// EmbedOrigins is the list of origins ("https://host[:port]") that may
// frame the widget, as an admin last saved it; empty when none.
func EmbedOrigins(ctx context.Context, db bun.IDB) ([]string, error) {
	var v string
	err := db.NewSelect().Table("settings").Column("value").Where("name = ?", "embed_origins").Scan(ctx, &v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("embed origins: %w", err)
	}
	return strings.Fields(v), nil
}

// ParseEmbedOrigins reads one origin per line or separated by spaces:
// each an http(s) URL of a host with no path, query or user (a trailing
// "/" is dropped), normalised to lower-case "scheme://host[:port]",
// duplicates once. Errors: "error.embed_origin" (Data Origin, the bad
// entry), "error.embed_origins_many" (over MaxEmbedOrigins).
func ParseEmbedOrigins(text string) ([]string, error) {
	var out []string
	for _, f := range strings.Fields(text) {
		u, err := url.Parse(strings.TrimSuffix(f, "/"))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
			u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(u.Host, "*;'\",") {
			return nil, errs.E(errs.Invalid, "error.embed_origin", map[string]any{"Origin": f})
		}
		o := strings.ToLower(u.Scheme + "://" + u.Host)
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	if len(out) > MaxEmbedOrigins {
		return nil, errs.E(errs.Invalid, "error.embed_origins_many", map[string]any{"Max": MaxEmbedOrigins})
	}
	return out, nil
}

// SaveEmbedOrigins stores the origins in text (ParseEmbedOrigins) as the
// list that may frame the widget, for admin v (Can ActAdminister on
// ItemSite), with an "embed_origins_save" audit row whose reason is the
// list. Errors: forbidden, ParseEmbedOrigins's.
func (s *Store) SaveEmbedOrigins(ctx context.Context, v Viewer, text string) error {
	if err := Can(ctx, v, ActAdminister, Item{Kind: ItemSite}); err != nil {
		return err
	}
	os, err := ParseEmbedOrigins(text)
	if err != nil {
		return err
	}
	list := strings.Join(os, " ")
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := Can(ctx, v, ActAdminister, Item{Kind: ItemSite}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
			"embed_origins", list); err != nil {
			return fmt.Errorf("save embed origins: %w", err)
		}
		return audit(ctx, tx, v, "embed_origins_save", "site", 0, 0, list, now)
	})
}
