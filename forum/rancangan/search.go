package rancangan

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/search"
)

// Search documents: the units of each draft's current version
// (search.KindDraftUnit) and the citizens' inputs (search.KindDraftInput).
// The outbox triggers of searchMigration enqueue them in the writing
// transaction; a change of the draft itself (title, focus group, a new
// version) is the change notice KindDraftChange that both kinds follow,
// and a change of the consultation (made draft) reaches them through
// search.KindConsultation. Visibility is forum.SearchVisibility of the
// consultation and the draft's focus group; units of older versions and
// hidden inputs are "hidden" and leave the index.

// KindUnitDoc, KindInputDoc and KindDraftChange are the outbox kinds of
// the package's triggers.
const (
	KindUnitDoc     = search.KindDraftUnit
	KindInputDoc    = search.KindDraftInput
	KindDraftChange = "draft_text"
)

// Path is the page of draft d of the consultation with slug, at anchor
// ("" for the top).
func Path(slug string, draftID int64, anchor string) string {
	p := "/k/" + url.PathEscape(slug) + "/rancangan/" + strconv.FormatInt(draftID, 10)
	if anchor != "" {
		p += "#" + anchor
	}
	return p
}

type unitDoc struct {
	ID             int64     `bun:"id"`
	DraftID        int64     `bun:"draft_id"`
	ConsultationID int64     `bun:"consultation_id"`
	Group          int64     `bun:"focus_group_id"`
	Title          string    `bun:"title"`
	Anchor         string    `bun:"anchor"`
	Kind           string    `bun:"kind"`
	Number         string    `bun:"number"`
	Heading        string    `bun:"heading"`
	Body           string    `bun:"body"`
	Current        bool      `bun:"current"`
	Supports       int       `bun:"supports"`
	Stance         string    `bun:"stance"`
	Decision       string    `bun:"decision"`
	State          string    `bun:"state"`
	Created        time.Time `bun:"created_at"`
}

const unitSelect = `SELECT x.id, x.draft_id, d.consultation_id, d.focus_group_id, d.title, x.anchor, x.kind, x.number,
	x.heading, x.body, x.current, 0 AS supports, '' AS stance, '' AS decision, 'published' AS state, d.created_at
	FROM draft_units x JOIN draft_texts d ON d.id = x.draft_id WHERE `

const inputSelect = `SELECT x.id, x.draft_id, x.consultation_id, d.focus_group_id, d.title, x.anchor, '' AS kind, '' AS number,
	x.amendment AS heading, x.body, TRUE AS current, x.supports, x.stance, x.decision, x.state, x.created_at
	FROM draft_inputs x JOIN draft_texts d ON d.id = x.draft_id WHERE `

func docs(ctx context.Context, db bun.IDB, kind, sel, where string, args ...any) ([]search.Record, error) {
	var rows []unitDoc
	if err := db.NewRaw(sel+where, args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("rancangan: read %s documents: %w", kind, err)
	}
	return forum.ScopedRecords(ctx, db, rows, func(r unitDoc) int64 { return r.ConsultationID },
		func(r unitDoc, sc forum.SearchScope) search.Record {
			doc := search.Document{ID: search.DocID(kind, r.ID), Kind: kind, ConsultationID: r.ConsultationID,
				Visibility: forum.SearchVisibility(r.Current && r.State == forum.StatePublished, sc.Status, r.Group),
				Created:    r.Created.UTC(), Supports: r.Supports, Language: "id"}
			if kind == KindUnitDoc {
				u := Unit{Anchor: r.Anchor, Kind: r.Kind, Number: r.Number}
				doc.Title, doc.Body = r.Title+" — "+u.Label(), r.Heading+"\n"+r.Body
			} else {
				doc.Title, doc.Body, doc.Status = r.Title, r.Body+"\n"+r.Heading, r.Decision
				if doc.Status == "" {
					doc.Status = "unanswered"
				}
			}
			anchor := r.Anchor
			if kind == KindInputDoc {
				anchor = "m" + strconv.FormatInt(r.ID, 10)
			}
			return search.Record{Doc: doc, ConsultationSlug: sc.Slug, Path: Path(sc.Slug, r.DraftID, anchor)}
		})
}

// SearchSources returns the draft units' and inputs' document sources,
// for search.NewRegistry.
func SearchSources() []search.Source {
	source := func(kind, sel, table string) search.Source {
		follow := func(col string) func(context.Context, bun.IDB, []int64) ([]int64, error) {
			return func(ctx context.Context, db bun.IDB, ids []int64) ([]int64, error) {
				var out []int64
				if err := db.NewRaw("SELECT id FROM "+table+" WHERE "+col+" IN (?)", bun.In(ids)).Scan(ctx, &out); err != nil {
					return nil, fmt.Errorf("rancangan: %s to refresh: %w", kind, err)
				}
				return out, nil
			}
		}
		consultationCol := "draft_id IN (SELECT id FROM draft_texts WHERE consultation_id IN (?))"
		return search.Source{
			Kind: kind,
			Load: func(ctx context.Context, db bun.IDB, ids []int64) ([]search.Record, error) {
				return docs(ctx, db, kind, sel, "x.id IN (?)", bun.In(ids))
			},
			Scan: func(ctx context.Context, db bun.IDB, after int64, limit int) ([]search.Record, error) {
				return docs(ctx, db, kind, sel, "x.id > ? ORDER BY x.id LIMIT ?", after, limit)
			},
			Follows: map[string]func(context.Context, bun.IDB, []int64) ([]int64, error){
				KindDraftChange: follow("draft_id"),
				search.KindConsultation: func(ctx context.Context, db bun.IDB, ids []int64) ([]int64, error) {
					var out []int64
					if err := db.NewRaw("SELECT id FROM "+table+" WHERE "+consultationCol, bun.In(ids)).Scan(ctx, &out); err != nil {
						return nil, fmt.Errorf("rancangan: %s to refresh: %w", kind, err)
					}
					return out, nil
				},
			},
		}
	}
	return []search.Source{source(KindUnitDoc, unitSelect, "draft_units"), source(KindInputDoc, inputSelect, "draft_inputs")}
}
