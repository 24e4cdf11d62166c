package rancangan

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
)

// Row is one line of the participation matrix: an input, its author as
// shown, the unit it concerns and the answer.
type Row struct {
	Input
	Author forum.Author
	// Label names the unit ("Pasal 3 ayat (2)").
	Label string
}

// Filter narrows the matrix. Zero values do not filter.
type Filter struct {
	// Anchor keeps the inputs on one unit.
	Anchor string
	// Decision keeps one decision; Unanswered keeps those without one.
	Decision   string
	Unanswered bool
	// Mine keeps the viewer's own inputs.
	Mine bool
	// Limit and Offset page the rows (Limit 0 returns them all).
	Limit, Offset int
}

// Matrix returns the participation matrix (matriks tanggapan) of draft d
// as v may see it: every published input, and v's own hidden ones; for v
// who moderates d, hidden ones too. Rows are in the order of the units,
// then oldest first (Input.Seq, id). d must already have passed DraftFor.
func Matrix(ctx context.Context, db bun.IDB, v forum.Viewer, c *forum.Consultation, d *Draft, f Filter) ([]Row, error) {
	var ins []Input
	// Units of the current version in their order; inputs on units since
	// removed after them, each unit's oldest first.
	q := matrixQuery(ctx, db.NewSelect().Model(&ins), v, c, d, f).OrderExpr("i.seq, i.id")
	if f.Limit > 0 {
		q = q.Limit(int64(f.Limit)).Offset(int64(f.Offset))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("draft %d matrix: %w", d.ID, err)
	}
	pids := make([]int64, 0, len(ins))
	for _, in := range ins {
		pids = append(pids, in.AuthorID)
	}
	slices.Sort(pids)
	authors, err := forum.Authors(ctx, db, slices.Compact(pids))
	if err != nil {
		return nil, err
	}
	out := make([]Row, 0, len(ins))
	for _, in := range ins {
		if forum.Can(ctx, v, forum.ActRead, in.Item(c)) != nil {
			continue
		}
		out = append(out, Row{Input: in, Author: authors[in.AuthorID], Label: LabelOf(in.Anchor)})
	}
	return out, nil
}

// matrixQuery restricts q (over draft_inputs AS i) to d's inputs that v
// may see (Matrix) and that pass f.
func matrixQuery(ctx context.Context, q *bun.SelectQuery, v forum.Viewer, c *forum.Consultation, d *Draft, f Filter) *bun.SelectQuery {
	q = q.Where("i.draft_id = ?", d.ID)
	if forum.Can(ctx, v, forum.ActModerate, d.Item(c)) != nil {
		q = q.Where("(i.state = ? OR i.author_id = ?)", forum.StatePublished, max(v.ParticipantID, -1))
	}
	if f.Anchor != "" {
		q = q.Where("i.anchor = ?", f.Anchor)
	}
	switch {
	case f.Unanswered:
		q = q.Where("i.decision = ''")
	case f.Decision != "":
		q = q.Where("i.decision = ?", f.Decision)
	}
	if f.Mine {
		q = q.Where("i.author_id = ?", max(v.ParticipantID, -1))
	}
	return q
}

// MatrixCount returns how many rows Matrix gives v for f without paging,
// and how many of them are answered.
func MatrixCount(ctx context.Context, db bun.IDB, v forum.Viewer, c *forum.Consultation, d *Draft, f Filter) (total, answered int, err error) {
	var n struct {
		Total    int `bun:"total"`
		Answered int `bun:"answered"`
	}
	q := matrixQuery(ctx, db.NewSelect().TableExpr("draft_inputs AS i"), v, c, d, f).
		ColumnExpr("COUNT(*) AS total, COALESCE(SUM(CASE WHEN i.decision <> '' THEN 1 ELSE 0 END), 0) AS answered")
	if err := q.Scan(ctx, &n); err != nil {
		return 0, 0, fmt.Errorf("draft %d matrix count: %w", d.ID, err)
	}
	return n.Total, n.Answered, nil
}

// UnitReport is the report of one unit: counts by stance, answers, the
// most supported amendments and the change from the previous version.
type UnitReport struct {
	Anchor, Label string
	Kind          string
	Agree         int
	Disagree      int
	Amend         int
	Answered      int
	// ByDecision counts answered inputs by decision.
	ByDecision map[string]int
	// Top are the most supported amendments, most supported first (at most
	// three).
	Top []Input
	// Change is the unit's change kind from the previous version
	// (ChangeSame for version 1), and Words its word diff when changed.
	Change string
	Words  []Span
}

// Total is the number of inputs on the unit.
func (u UnitReport) Total() int { return u.Agree + u.Disagree + u.Amend }

// Report returns the per-unit report of draft d over its published inputs:
// every unit of the current version in order (removed units that received
// inputs at the end), with its counts, its top amendments and what changed
// since the previous version.
func Report(ctx context.Context, db bun.IDB, d *Draft) ([]UnitReport, error) {
	cur, err := DocumentOf(ctx, db, d, d.CurrentVersion)
	if err != nil {
		return nil, err
	}
	changes := map[string]Change{}
	if d.CurrentVersion > 1 {
		prev, err := DocumentOf(ctx, db, d, d.CurrentVersion-1)
		if err != nil {
			return nil, err
		}
		for _, ch := range Diff(prev, cur) {
			changes[ch.Anchor] = ch
		}
	}
	var counts []struct {
		Anchor   string `bun:"anchor"`
		Stance   string `bun:"stance"`
		Decision string `bun:"decision"`
		N        int    `bun:"n"`
	}
	if err := db.NewSelect().Model((*Input)(nil)).ColumnExpr("anchor, stance, decision, COUNT(*) AS n").
		Where("draft_id = ? AND state = ?", d.ID, forum.StatePublished).GroupExpr("anchor, stance, decision").
		Scan(ctx, &counts); err != nil {
		return nil, fmt.Errorf("draft %d report counts: %w", d.ID, err)
	}
	var top []Input
	if err := db.NewSelect().Model(&top).Where("draft_id = ? AND state = ? AND stance = ? AND supports > 0", d.ID, forum.StatePublished, StanceAmend).
		Order("supports DESC", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("draft %d top amendments: %w", d.ID, err)
	}
	idx := map[string]int{}
	var out []UnitReport
	add := func(u Unit) {
		idx[u.Anchor] = len(out)
		r := UnitReport{Anchor: u.Anchor, Label: u.Label(), Kind: u.Kind, Change: ChangeSame, ByDecision: map[string]int{}}
		if ch, ok := changes[u.Anchor]; ok {
			r.Change, r.Words = ch.Kind, ch.Words
		}
		out = append(out, r)
	}
	for _, u := range cur.Units {
		add(u)
	}
	for _, c := range counts {
		i, ok := idx[c.Anchor]
		if !ok {
			add(Unit{Anchor: c.Anchor})
			i = idx[c.Anchor]
			out[i].Label, out[i].Change = LabelOf(c.Anchor), ChangeRemoved
		}
		r := &out[i]
		switch c.Stance {
		case StanceAgree:
			r.Agree += c.N
		case StanceDisagree:
			r.Disagree += c.N
		case StanceAmend:
			r.Amend += c.N
		}
		if c.Decision != "" {
			r.Answered += c.N
			r.ByDecision[c.Decision] += c.N
		}
	}
	for _, in := range top {
		if r := &out[idx[in.Anchor]]; len(r.Top) < 3 {
			r.Top = append(r.Top, in)
		}
	}
	return out, nil
}

// StanceCount counts inputs by stance.
type StanceCount struct{ Agree, Disagree, Amend int }

// Total is the number of inputs counted.
func (s StanceCount) Total() int { return s.Agree + s.Disagree + s.Amend }

func (s *StanceCount) add(stance string, n int) {
	switch stance {
	case StanceAgree:
		s.Agree += n
	case StanceDisagree:
		s.Disagree += n
	case StanceAmend:
		s.Amend += n
	}
}

// GroupStances is how the opinion groups of a consultation's statement
// voters (polls/opinion, computed by the caller) gave input on draft d:
// ByUnit[anchor][g] and Total[g] count the published inputs of the
// participants in group g (0…groups−1) by stance; index groups counts
// the authors in no group (they voted on too few statements, or not at
// all). Authors counts the distinct authors per index the same way.
type GroupStances struct {
	ByUnit  map[string][]StanceCount
	Total   []StanceCount
	Authors []int
}

// StancesByGroup tallies draft d's published inputs by their author's
// opinion group: groupOf maps a participant id to its group index in
// [0, groups); participants it does not name count as "no group".
// One query over the inputs; the grouping is the caller's, so this
// package stays independent of polls.
func StancesByGroup(ctx context.Context, db bun.IDB, d *Draft, groupOf map[int64]int, groups int) (GroupStances, error) {
	var rows []struct {
		AuthorID int64  `bun:"author_id"`
		Anchor   string `bun:"anchor"`
		Stance   string `bun:"stance"`
		N        int    `bun:"n"`
	}
	if err := db.NewSelect().Model((*Input)(nil)).ColumnExpr("author_id, anchor, stance, COUNT(*) AS n").
		Where("draft_id = ? AND state = ?", d.ID, forum.StatePublished).GroupExpr("author_id, anchor, stance").
		Scan(ctx, &rows); err != nil {
		return GroupStances{}, fmt.Errorf("draft %d stances by author: %w", d.ID, err)
	}
	out := GroupStances{ByUnit: map[string][]StanceCount{}, Total: make([]StanceCount, groups+1), Authors: make([]int, groups+1)}
	seen := map[int64]bool{}
	for _, r := range rows {
		g, ok := groupOf[r.AuthorID]
		if !ok || g < 0 || g >= groups {
			g = groups
		}
		u := out.ByUnit[r.Anchor]
		if u == nil {
			u = make([]StanceCount, groups+1)
			out.ByUnit[r.Anchor] = u
		}
		u[g].add(r.Stance, r.N)
		out.Total[g].add(r.Stance, r.N)
		if !seen[r.AuthorID] {
			seen[r.AuthorID] = true
			out.Authors[g]++
		}
	}
	return out, nil
}
