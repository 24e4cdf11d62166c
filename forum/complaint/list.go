package complaint

import (
	"context"
	"fmt"
	"strings"
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
	// TopicID lists only complaints of that topic (category); Kecamatan
	// only those whose area is in that kecamatan (exact name).
	TopicID   int64
	Kecamatan string
	From, To  time.Time
	Cursor    string // from the previous page's Next
	Limit     int    // 1–200, default 50
	// PublicOnly lists only public, non-confidential complaints (the
	// public list), whoever asks.
	PublicOnly bool
	// Overdue lists only open complaints past the target of the stage they
	// are in, as the deadline job (CheckDeadlines) last flagged them.
	Overdue bool
	// AssigneeID lists only complaints assigned to that user (an officer's
	// "assigned to me"), when not 0.
	AssigneeID int64
	// Query lists only complaints whose text, as the actor may see it
	// (masked unless they may read it whole), contains these words
	// (case-insensitive, each word anywhere; at most 10 words).
	Query string
	// IDs, when not nil, lists only these complaints (the site search's
	// matches for the inbox's words); an empty non-nil slice lists none.
	IDs []int64
}

// Page is one page of List, newest first; Next is the cursor of the next
// page ("" at the end).
type Page struct {
	Items []*Presented
	Next  string
}

// Narrowing is f's filters that the public counts and map share.
func (f Filter) Narrowing() MapFilter {
	return MapFilter{TopicID: f.TopicID, Status: f.Status, AgencyID: f.AgencyID, Kecamatan: f.Kecamatan, From: f.From, To: f.To}
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
		q = q.Where(publicWhere(""))
	case !wide:
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.Where("reporter_user_id = ?", a.UserID())
			if ags := a.Viewer.Agencies(); len(ags) > 0 {
				q = q.WhereOr("id IN (SELECT complaint_id FROM complaint_routes WHERE agency_id IN (?))", bun.In(ags))
			}
			return q
		})
	}
	if f.Overdue {
		q = q.Where("status IN (?)", bun.In(openStatuses)).Where(flaggedSQL("", "escalated_stage"))
	}
	words := queryWords(f.Query)
	for _, w := range words {
		q = q.Where("LOWER(body) LIKE ? ESCAPE '\\'", "%"+likeEscape(w)+"%")
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return Page{}, nil
		}
		q = q.Where("id IN (?)", bun.In(f.IDs))
	}
	if f.AssigneeID != 0 {
		q = q.Where("assignee_user_id = ?", f.AssigneeID)
	}
	cond, args, err := s.narrowSQL("", f.Narrowing())
	if err != nil {
		return Page{}, err
	}
	q = q.Where(cond, args...)
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
		if !matchesAll(pr.Text, words) {
			continue // the words match only what the actor may not see (masked)
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

// flaggedSQL is true for a complaint whose column col (escalated_stage or
// warned_stage) names the stage it is in now: triage until routed, first
// response until one is given, then resolution (ClockOf's stages). p
// prefixes the complaints table's columns ("" or "c.").
func flaggedSQL(p, col string) string {
	return p + col + " = CASE WHEN " + p + "routed_at IS NULL THEN 'triage' WHEN " + p +
		"first_response_at IS NULL THEN 'response' ELSE 'resolution' END"
}

// queryWords splits a search query into at most 10 lower-case words of at
// most 100 bytes each.
func queryWords(q string) []string {
	ws := strings.Fields(strings.ToLower(q))
	if len(ws) > 10 {
		ws = ws[:10]
	}
	out := ws[:0]
	for _, w := range ws {
		if len(w) <= 100 {
			out = append(out, w)
		}
	}
	return out
}

// likeEscape escapes LIKE's wildcards (with \ as the escape character).
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

func matchesAll(text string, words []string) bool {
	t := strings.ToLower(text)
	for _, w := range words {
		if !strings.Contains(t, w) {
			return false
		}
	}
	return true
}

// AgencySLA is one agency's line of the service-level view: its open
// complaints, how many are past WarnShare of their stage's target and how
// many are overdue (as the deadline job last flagged them).
type AgencySLA struct {
	AgencyID int64  `bun:"agency_id"`
	Agency   string `bun:"name"`
	Open     int    `bun:"open"`
	Warn     int    `bun:"warn"`
	Overdue  int    `bun:"overdue"`
}

// SLAView returns, per agency a handles complaints of (every agency for the
// complaint desk, their own for officers, none for others), the counts of
// open, warned and overdue complaints, agencies with most overdue first.
func (s *Store) SLAView(ctx context.Context, a Actor) ([]AgencySLA, error) {
	var out []AgencySLA
	q := s.db.NewSelect().TableExpr("complaint_routes AS r").
		Join("JOIN complaints AS c ON c.id = r.complaint_id").
		Join("JOIN complaint_agencies AS ag ON ag.id = r.agency_id").
		ColumnExpr("r.agency_id, ag.name").
		ColumnExpr("COUNT(*) AS open").
		ColumnExpr("SUM(CASE WHEN "+flaggedSQL("c.", "warned_stage")+" THEN 1 ELSE 0 END) AS warn").
		ColumnExpr("SUM(CASE WHEN "+flaggedSQL("c.", "escalated_stage")+" THEN 1 ELSE 0 END) AS overdue").
		Where("c.status IN (?)", bun.In(openStatuses)).
		GroupExpr("r.agency_id, ag.name").OrderExpr("overdue DESC, warn DESC, ag.name")
	if !a.System && !a.Viewer.ModeratesAll() {
		ags := a.Viewer.Agencies()
		if len(ags) == 0 {
			return nil, nil
		}
		q = q.Where("r.agency_id IN (?)", bun.In(ags))
	}
	if err := q.Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("service-level view: %w", err)
	}
	return out, nil
}
