package complaint

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/search"
)

// Complaints in the site search (search.KindComplaint, "complaint:<id>").
// The document is the complaint's number (title), its text masked (Mask:
// phone numbers, emails and NIK/KK numbers are never indexed, so nobody
// finds a complaint by them), its topic and status. Who finds it is
// forum.ComplaintSearchAudience of its facts, the access rule's readers:
// the desk, analysts, officers of the agencies it is routed to and its
// signed-in reporter; never the public, whatever the listing. The outbox
// trigger of searchMigration enqueues it on every change of the row
// (updated_at moves with each workflow step, routing included).

type searchRow struct {
	ID        int64      `bun:"id"`
	Number    string     `bun:"number"`
	Status    string     `bun:"status"`
	Body      string     `bun:"body"`
	Topic     *string    `bun:"topic"`
	Reporter  *int64     `bun:"reporter_user_id"`
	Received  time.Time  `bun:"received_at"`
	ErasedAt  *time.Time `bun:"erased_at"`
	Confident bool       `bun:"confidential"`
}

const searchSelect = `SELECT c.id, c.number, c.status, c.body, tp.name AS topic, c.reporter_user_id, c.received_at,
	c.erased_at, c.confidential FROM complaints c LEFT JOIN complaint_topics tp ON tp.id = c.topic_id WHERE `

// searchRecords reads the documents of the complaints selected by where.
func searchRecords(ctx context.Context, db bun.IDB, where string, args ...any) ([]search.Record, error) {
	var rows []searchRow
	if err := db.NewRaw(searchSelect+where, args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("complaint: read search documents: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var routes []struct {
		Complaint int64 `bun:"complaint_id"`
		Agency    int64 `bun:"agency_id"`
	}
	if err := db.NewRaw("SELECT complaint_id, agency_id FROM complaint_routes WHERE complaint_id IN (?) ORDER BY agency_id",
		bun.In(ids)).Scan(ctx, &routes); err != nil {
		return nil, fmt.Errorf("complaint: read search routes: %w", err)
	}
	agencies := map[int64][]int64{}
	for _, r := range routes {
		agencies[r.Complaint] = append(agencies[r.Complaint], r.Agency)
	}
	out := make([]search.Record, 0, len(rows))
	for _, r := range rows {
		f := &forum.ComplaintFacts{Agencies: agencies[r.ID], Confidential: r.Confident, Erased: r.ErasedAt != nil}
		if r.Reporter != nil {
			f.ReporterUserID = *r.Reporter
		}
		vis, readers := forum.ComplaintSearchAudience(f)
		doc := search.Document{ID: search.DocID(search.KindComplaint, r.ID), Kind: search.KindComplaint, Title: r.Number,
			Body: Mask(r.Body), Status: r.Status, Visibility: vis, Readers: readers, Created: r.Received.UTC(), Language: "id"}
		if r.Topic != nil {
			doc.Topics = []string{*r.Topic}
		}
		out = append(out, search.Record{Doc: doc, Path: "/pengaduan/" + r.Number})
	}
	return out, nil
}

// SearchSource returns the complaints' document source, for
// search.NewRegistry.
func SearchSource() search.Source {
	return search.Source{
		Kind: search.KindComplaint,
		Load: func(ctx context.Context, db bun.IDB, ids []int64) ([]search.Record, error) {
			return searchRecords(ctx, db, "c.id IN (?)", bun.In(ids))
		},
		Scan: func(ctx context.Context, db bun.IDB, after int64, limit int) ([]search.Record, error) {
			return searchRecords(ctx, db, "c.id > ? ORDER BY c.id LIMIT ?", after, limit)
		},
	}
}
