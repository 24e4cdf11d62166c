package complaint

import (
	"context"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum/cursor"
	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

// Filter selects complaints for List. Zero fields do not filter. From and
// To are local dates (received in [From, To)).
type Filter struct {
	Status   Status
	AgencyID int64
	From, To time.Time
	Cursor   string // from the previous page's Next
	Limit    int    // 1–200, default 50
	// PublicOnly lists only public, non-confidential complaints (the
	// public list), whoever asks.
	PublicOnly bool
}

// Page is one page of List, newest first; Next is the cursor of the next
// page ("" at the end).
type Page struct {
	Items []*Presented
	Next  string
}

// List returns the complaints a may see that match f, newest received
// first, with a keyset cursor (received_at, id), so pages stay stable while
// complaints arrive. The scope comes from the actor: the complaint desk and
// analysts see every complaint, officers those routed to their agencies,
// citizens their own, and everyone the public ones; each item then passes
// through Present. errs.Invalid for a malformed cursor or status.
func (s *Store) List(ctx context.Context, a Actor, f Filter) (Page, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	q := s.db.NewSelect().Model((*Complaint)(nil)).Column("id").Order("received_at DESC", "id DESC").Limit(int64(f.Limit + 1))
	wide := a.System || a.Viewer.Analyst()
	switch {
	case f.PublicOnly || (!wide && a.User() == nil):
		q = q.Where("public AND NOT confidential AND status NOT IN (?, ?)", StatusRejected, StatusMerged)
	case !wide:
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.Where("reporter_user_id = ?", a.UserID())
			if ags := a.Viewer.Agencies(); len(ags) > 0 {
				q = q.WhereOr("id IN (SELECT complaint_id FROM complaint_routes WHERE agency_id IN (?))", bun.In(ags))
			}
			return q
		})
	}
	if f.Status != "" {
		ok := false
		for _, st := range Statuses {
			ok = ok || st == f.Status
		}
		if !ok {
			return Page{}, errs.E(errs.Invalid, "complaint.error.status", nil)
		}
		q = q.Where("status = ?", f.Status)
	}
	if f.AgencyID != 0 {
		q = q.Where("id IN (SELECT complaint_id FROM complaint_routes WHERE agency_id = ?)", f.AgencyID)
	}
	if !f.From.IsZero() {
		q = q.Where("received_at >= ?", s.localMidnight(f.From))
	}
	if !f.To.IsZero() {
		q = q.Where("received_at < ?", s.localMidnight(f.To))
	}
	if f.Cursor != "" {
		at, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return Page{}, err
		}
		q = q.Where("(received_at < ? OR (received_at = ? AND id < ?))", at, at, id)
	}
	var ids []int64
	if err := q.Scan(ctx, &ids); err != nil {
		return Page{}, fmt.Errorf("list complaints: %w", err)
	}
	var p Page
	if f.PublicOnly {
		a = Actor{} // the public list shows what the public may see
	}
	for i, id := range ids {
		if i == f.Limit {
			break
		}
		c, err := load(ctx, s.db, id)
		if err != nil {
			return Page{}, err
		}
		if i == f.Limit-1 && len(ids) > f.Limit {
			p.Next = encodeCursor(c.ReceivedAt, c.ID)
		}
		pr, err := s.Present(ctx, a, c, false)
		if errs.KindOf(err) == errs.NotFound {
			continue
		}
		if err != nil {
			return Page{}, err
		}
		p.Items = append(p.Items, pr)
	}
	return p, nil
}

func encodeCursor(at time.Time, id int64) string {
	return cursor.Encode(at.UnixMicro(), id)
}

func decodeCursor(c string) (time.Time, int64, error) {
	k, err := cursor.Decode(c, 2)
	if err != nil {
		return time.Time{}, 0, errs.E(errs.Invalid, "complaint.error.cursor", nil)
	}
	return time.UnixMicro(k[0]).UTC(), k[1], nil
}
