package evaluation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

// Get returns cycle id, errs.ErrNotFound when there is none. It does not
// check who asks: callers ask forum.Can with forum.ItemEvaluation.
func Get(ctx context.Context, db bun.IDB, id int64) (*Cycle, error) {
	var c Cycle
	err := db.NewSelect().Model(&c).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("cycle %d: %w", id, err)
	}
	return &c, nil
}

// Cycles returns the cycles, newest period first; only the published ones
// when published is set.
func Cycles(ctx context.Context, db bun.IDB, published bool) ([]Cycle, error) {
	var out []Cycle
	q := db.NewSelect().Model(&out).OrderExpr("to_at DESC, id DESC")
	if published {
		q = q.Where("published_at IS NOT NULL")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("cycles: %w", err)
	}
	return out, nil
}

// Previous returns the closed cycle that ended last before c ends (other
// than c), nil when there is none: the cycle c is compared with and whose
// recommendations c's report follows up.
func Previous(ctx context.Context, db bun.IDB, c *Cycle) (*Cycle, error) {
	var out []Cycle
	err := db.NewSelect().Model(&out).Where("status = ? AND id <> ? AND to_at <= ?", StatusClosed, c.ID, c.From).
		OrderExpr("to_at DESC, id DESC").Limit(1).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("cycle before %d: %w", c.ID, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return &out[0], nil
}

// Findings returns cycle id's findings, oldest first.
func Findings(ctx context.Context, db bun.IDB, id int64) ([]Finding, error) {
	out := []Finding{}
	if err := db.NewSelect().Model(&out).Where("cycle_id = ?", id).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("findings of cycle %d: %w", id, err)
	}
	return out, nil
}

// Recommendations returns cycle id's recommendations, oldest first, each
// with its progress updates.
func Recommendations(ctx context.Context, db bun.IDB, id int64) ([]Recommendation, error) {
	out := []Recommendation{}
	if err := db.NewSelect().Model(&out).Where("cycle_id = ?", id).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("recommendations of cycle %d: %w", id, err)
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	at := map[int64]int{}
	for i, r := range out {
		ids[i], at[r.ID] = r.ID, i
	}
	var us []Update
	if err := db.NewSelect().Model(&us).Where("recommendation_id IN (?)", bun.In(ids)).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("progress of cycle %d: %w", id, err)
	}
	for _, u := range us {
		r := &out[at[u.RecommendationID]]
		r.Updates = append(r.Updates, u)
	}
	return out, ownerNames(ctx, db, out)
}

// ownerNames sets each linked recommendation's Owner to its agency's
// current name (a renamed agency shows its new name; a deleted one keeps
// the name last saved).
func ownerNames(ctx context.Context, db bun.IDB, recs []Recommendation) error {
	var ids []int64
	for _, r := range recs {
		if r.OwnerAgencyID != nil {
			ids = append(ids, *r.OwnerAgencyID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
	}
	if err := db.NewSelect().Table("complaint_agencies").Column("id", "name").Where("id IN (?)", bun.In(ids)).Scan(ctx, &rows); err != nil {
		return fmt.Errorf("owners of recommendations: %w", err)
	}
	name := map[int64]string{}
	for _, a := range rows {
		name[a.ID] = a.Name
	}
	for i := range recs {
		if a := recs[i].OwnerAgencyID; a != nil && name[*a] != "" {
			recs[i].Owner = name[*a]
		}
	}
	return nil
}

// agencyName returns the name of agency id in complaint_agencies, "" when
// there is none.
func agencyName(ctx context.Context, db bun.IDB, id int64) (string, error) {
	var names []string
	if err := db.NewSelect().Table("complaint_agencies").Column("name").Where("id = ?", id).Scan(ctx, &names); err != nil {
		return "", fmt.Errorf("agency %d: %w", id, err)
	}
	if len(names) == 0 {
		return "", nil
	}
	return names[0], nil
}

// RecommendationOf returns recommendation id with its progress updates
// and its cycle; errs.ErrNotFound when there is none. Whether the viewer
// may read it is the caller's to ask (Recommendation.Item).
func RecommendationOf(ctx context.Context, db bun.IDB, id int64) (*Recommendation, *Cycle, error) {
	var r Recommendation
	if err := db.NewSelect().Model(&r).Where("id = ?", id).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errs.ErrNotFound
	} else if err != nil {
		return nil, nil, fmt.Errorf("recommendation %d: %w", id, err)
	}
	c, err := Get(ctx, db, r.CycleID)
	if err != nil {
		return nil, nil, err
	}
	recs, err := Recommendations(ctx, db, c.ID)
	if err != nil {
		return nil, nil, err
	}
	for i := range recs {
		if recs[i].ID == id {
			return &recs[i], c, nil
		}
	}
	return nil, nil, errs.ErrNotFound
}
