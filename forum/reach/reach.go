// Package reach counts how people arrive at a consultation from links
// shared on social media: a shared link carries a campaign tag (?src=wa,
// fb, x, tg) and each arrival with a known tag adds one to the count of
// its channel, consultation and day (in the installation's zone,
// forum/tz). Nothing about the person is stored — no cookie, address or
// account — so the counts say which channels bring people without
// tracking anyone. Counts are raised by one upsert statement, safe for
// concurrent use on SQLite and PostgreSQL.
package reach

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/forum/tz"
)

// Channels are the campaign tags shared links carry, in display order:
// WhatsApp, Facebook, X and Telegram.
var Channels = []string{"wa", "fb", "x", "tg"}

// MigrationSet names the package's migrations in the database.
const MigrationSet = "reach"

// Migrations are the counting table's schema steps, oldest first.
var Migrations = []storage.Migration{{
	Name: "20261202161000", Comment: "create_share_arrivals",
	Up: []string{`CREATE TABLE share_arrivals (
		day VARCHAR(10) NOT NULL,
		channel VARCHAR(10) NOT NULL,
		consultation_id BIGINT NOT NULL,
		arrivals BIGINT NOT NULL,
		PRIMARY KEY (consultation_id, channel, day))`},
	Down: []string{`DROP TABLE share_arrivals`},
}}

// Migrate applies the package's unapplied migrations.
func Migrate(ctx context.Context, db *bun.DB) error {
	return storage.Migrate(ctx, db, MigrationSet, Migrations)
}

// Record adds one arrival through channel src to consultation id on the
// day of now (installation's zone). An unknown src is ignored (false): a
// tag nobody shared is not a channel.
func Record(ctx context.Context, db bun.IDB, src string, id int64, now time.Time) (bool, error) {
	if !slices.Contains(Channels, src) {
		return false, nil
	}
	day := now.In(tz.Default().Loc).Format(time.DateOnly)
	if _, err := db.ExecContext(ctx, `INSERT INTO share_arrivals (day, channel, consultation_id, arrivals) VALUES (?, ?, ?, 1)
		ON CONFLICT (consultation_id, channel, day) DO UPDATE SET arrivals = share_arrivals.arrivals + 1`, day, src, id); err != nil {
		return false, fmt.Errorf("share arrival %s %d: %w", src, id, err)
	}
	return true, nil
}

// ByChannel returns the arrivals at consultation id per channel between
// the days from and to (inclusive, "2006-01-02" in the installation's
// zone); channels without arrivals are absent.
func ByChannel(ctx context.Context, db bun.IDB, id int64, from, to string) (map[string]int64, error) {
	return sums(ctx, db, from, to, id)
}

// Totals returns the arrivals at every consultation per channel between
// the days from and to (inclusive, "2006-01-02" in the installation's
// zone), in Channels order with zeros: the figure the service indicators
// show beside active users.
func Totals(ctx context.Context, db bun.IDB, from, to string) ([]ChannelCount, error) {
	n, err := sums(ctx, db, from, to, 0)
	if err != nil {
		return nil, err
	}
	out := make([]ChannelCount, len(Channels))
	for i, c := range Channels {
		out[i] = ChannelCount{Channel: c, Arrivals: n[c]}
	}
	return out, nil
}

// sums adds the arrivals per channel between the days from and to
// (inclusive) at consultation id, or at all consultations for id 0.
func sums(ctx context.Context, db bun.IDB, from, to string, id int64) (map[string]int64, error) {
	var rows []struct {
		Channel string `bun:"channel"`
		N       int64  `bun:"n"`
	}
	q := db.NewSelect().Table("share_arrivals").ColumnExpr("channel, SUM(arrivals) AS n").
		Where("day >= ? AND day <= ?", from, to).GroupExpr("channel")
	if id != 0 {
		q = q.Where("consultation_id = ?", id)
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("share arrivals %d %s..%s: %w", id, from, to, err)
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Channel] = r.N
	}
	return out, nil
}

// ChannelCount is the arrivals through one channel's shared links.
type ChannelCount struct {
	Channel  string
	Arrivals int64
}

// Link is one share link of a page: the channel's tag and the address of
// its share dialog, a plain link with no script of the network.
type Link struct {
	Channel string
	Href    string
}

// Links returns the share links of the page at pageURL (absolute) titled
// title: WhatsApp and Telegram send the title and the link, Facebook the
// link, X the title and the link. Each link shared carries ?src=<channel>.
func Links(pageURL, title string) []Link {
	tagged := func(src string) string {
		u, err := url.Parse(pageURL)
		if err != nil {
			return pageURL
		}
		q := u.Query()
		q.Set("src", src)
		u.RawQuery = q.Encode()
		return u.String()
	}
	e := url.QueryEscape
	return []Link{
		{"wa", "https://wa.me/?text=" + e(title+" "+tagged("wa"))},
		{"fb", "https://www.facebook.com/sharer/sharer.php?u=" + e(tagged("fb"))},
		{"x", "https://x.com/intent/post?text=" + e(title) + "&url=" + e(tagged("x"))},
		{"tg", "https://t.me/share/url?url=" + e(tagged("tg")) + "&text=" + e(title)},
	}
}
