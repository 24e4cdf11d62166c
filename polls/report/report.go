package report

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/opinion"
	"github.com/uptrace/bun"
)

// Report is everything the consultation report shows, in the shape of the
// JSON API (GET /api/v1/consultations/{id}/report). Slices are never nil
// and floats are finite shares in 0..1 unless documented otherwise.
type Report struct {
	Consultation Consultation `json:"consultation"`
	GeneratedAt  time.Time    `json:"generated_at"`
	// Counts are the statement-voting totals; Totals the whole public
	// activity.
	Counts polls.Counts `json:"counts"`
	Totals Totals       `json:"totals"`
	// Participation is per calendar day with any activity, oldest first.
	Participation []Day `json:"participation"`
	// Regions is participation by kecamatan (see Region); empty when no
	// participant's region is known.
	Regions []Region `json:"regions"`
	// Proposals are the most supported public proposals with their
	// official answers.
	Proposals Proposals `json:"proposals"`
	// Polls are the consultation's polls and surveys with their results.
	Polls   []Poll  `json:"polls"`
	Opinion Opinion `json:"opinion"`
	// Consensus lists up to 5 statements with the highest group-informed
	// consensus (every group tends to agree); empty without groups.
	Consensus []Highlight `json:"consensus"`
	// Majority lists statements most participants agree or disagree with.
	Majority []Highlight `json:"majority"`
	// Divisive lists up to 5 statements the groups disagree on most.
	Divisive []Highlight `json:"divisive"`
	// Statements lists every visible statement with its votes, in order.
	Statements []Statement `json:"statements"`
	// Origins counts the consultation's statements, hidden ones included,
	// by how they entered (polls.Origins order: seeded, submitted,
	// imported).
	Origins []OriginCount `json:"statement_origins"`
}

// OriginCount is the number of statements that entered one way
// (polls.OriginSeeded, OriginSubmitted or OriginImported).
type OriginCount struct {
	Origin string `json:"origin"`
	Count  int    `json:"count"`
}

// Consultation identifies the consultation a Report is about.
type Consultation struct {
	ID              int64  `json:"id"`
	Slug            string `json:"slug"`
	Title           string `json:"title"`
	Status          string `json:"status"`
	ReportPublished bool   `json:"report_published"`
}

// Opinion holds the opinion map and groups. Reason is empty when Groups
// holds at least two groups, otherwise one of opinion's Reason keys, e.g.
// "opinion.too_few_participants" ("belum cukup data").
type Opinion struct {
	Reason string `json:"reason,omitempty"`
	// Silhouette is the mean silhouette (−1..1) of the grouping.
	Silhouette   float64 `json:"silhouette"`
	Participants []Point `json:"participants"`
	Groups       []Group `json:"groups"`
}

// Point is one participant on the opinion map: X and Y are the projection
// on the first two principal components (dimensionless); Group indexes
// Opinion.Groups, -1 when the participant voted too little to be grouped.
type Point struct {
	Person
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	Votes int     `json:"votes"`
	Group int     `json:"group"`
}

// Group is one opinion group: its members, what sets it apart and the
// words of the statements it agrees with most.
type Group struct {
	ID             int        `json:"id"`
	Size           int        `json:"size"`
	Members        []Person   `json:"members"`
	Representative []Repr     `json:"representative"`
	KeyTerms       []Term     `json:"key_terms"`
	Center         [2]float64 `json:"center"`
}

// Repr is a representative statement of a group: the share of the group
// taking Direction ("agree" or "disagree") against the share of everyone
// else, and the smoothed agree shares in and out of the group.
type Repr struct {
	StatementID  int64   `json:"statement_id"`
	Text         string  `json:"text"`
	Direction    string  `json:"direction"`
	Count        int     `json:"count"`
	Seen         int     `json:"seen"`
	Share        float64 `json:"share"`
	ShareOutside float64 `json:"share_outside"`
	AgreeIn      float64 `json:"agree_in"`
	AgreeOut     float64 `json:"agree_out"`
}

// Highlight is a statement singled out by a score: the group-informed
// consensus (Consensus), the majority share (Majority, with Direction) or
// the spread of agree shares between groups (Divisive).
type Highlight struct {
	StatementID int64   `json:"statement_id"`
	Text        string  `json:"text"`
	Direction   string  `json:"direction,omitempty"`
	Score       float64 `json:"score"`
	// GroupAgree is each group's smoothed agree share, indexed like
	// Opinion.Groups.
	GroupAgree []float64 `json:"group_agree"`
}

// Statement is a visible statement with its votes overall and per group.
type Statement struct {
	ID       int64  `json:"id"`
	SourceID string `json:"source_id,omitempty"`
	Text     string `json:"text"`
	// Origin is how the statement entered (polls.OriginSeeded,
	// OriginSubmitted or OriginImported).
	Origin       string          `json:"origin"`
	All          opinion.Tally   `json:"all"`
	Groups       []opinion.Tally `json:"groups"`
	Consensus    float64         `json:"consensus"`
	Divisiveness float64         `json:"divisiveness"`
}

// Build assembles the Report of consultation c from its Analysis a and
// what it reads from db on every call (so it is never staler than the
// database): the visible statements, the public space's proposals,
// comments, supports and poll responses, and the polls' results. now
// stamps GeneratedAt and decides the polls' status.
func Build(ctx context.Context, db bun.IDB, c *forum.Consultation, a *Analysis, now time.Time) (*Report, error) {
	ts, err := polls.Tallies(ctx, db, c.ID)
	if err != nil {
		return nil, err
	}
	counts, err := polls.CountsFor(ctx, db, []int64{c.ID})
	if err != nil {
		return nil, err
	}
	evs, err := loadActivity(ctx, db, c.ID)
	if err != nil {
		return nil, err
	}
	regionOf, err := loadRegions(ctx, db)
	if err != nil {
		return nil, err
	}
	props, err := loadProposals(ctx, db, c)
	if err != nil {
		return nil, err
	}
	pls, err := loadPolls(ctx, db, c.ID, now, a.minCell)
	if err != nil {
		return nil, err
	}
	origins, err := polls.OriginCounts(ctx, db, c.ID)
	if err != nil {
		return nil, err
	}
	days, regs, totals := mergeActivity(a, evs, regionOf)
	res := a.Opinion
	r := &Report{
		Consultation: Consultation{ID: c.ID, Slug: c.Slug, Title: c.Title, Status: c.Status, ReportPublished: c.ReportPublished},
		GeneratedAt:  now.UTC(), Counts: counts[c.ID], Totals: totals, Participation: days, Regions: regs,
		Proposals: props, Polls: pls,
		Opinion:   Opinion{Reason: res.Reason, Silhouette: res.Silhouette, Participants: []Point{}, Groups: []Group{}},
		Consensus: []Highlight{}, Majority: []Highlight{}, Divisive: []Highlight{}, Statements: []Statement{},
	}
	for _, o := range polls.Origins {
		r.Origins = append(r.Origins, OriginCount{Origin: o, Count: origins[o]})
	}
	text := make(map[int64]string, len(ts))
	stats := make(map[int64]opinion.StatementStats, len(res.Statements))
	for _, s := range res.Statements {
		stats[s.ID] = s
	}
	for _, t := range ts {
		text[t.ID] = t.Text
		st := stats[t.ID]
		groups := st.PerGroup
		if groups == nil {
			groups = []opinion.Tally{}
		}
		r.Statements = append(r.Statements, Statement{ID: t.ID, SourceID: t.SourceKey, Text: t.Text, Origin: t.Origin,
			All: opinion.Tally{Agree: t.Agree, Disagree: t.Disagree, Pass: t.Pass}, Groups: groups,
			Consensus: st.Consensus, Divisiveness: st.Divisiveness})
	}
	for _, p := range res.Participants {
		r.Opinion.Participants = append(r.Opinion.Participants, Point{Person: a.People[p.ID], X: p.X, Y: p.Y, Votes: p.Votes, Group: p.Group})
	}
	for _, g := range res.Groups {
		grp := Group{ID: g.ID, Size: g.Size, Members: []Person{}, Representative: []Repr{}, KeyTerms: []Term{}, Center: [2]float64{g.X, g.Y}}
		for _, rp := range g.Representative {
			grp.Representative = append(grp.Representative, Repr{StatementID: rp.Statement, Text: text[rp.Statement],
				Direction: rp.Direction, Count: rp.Count, Seen: rp.Seen, Share: rp.Share, ShareOutside: rp.ShareOutside,
				AgreeIn: rp.AgreeIn, AgreeOut: rp.AgreeOut})
		}
		r.Opinion.Groups = append(r.Opinion.Groups, grp)
	}
	for _, p := range res.Participants {
		if p.Group >= 0 && p.Group < len(r.Opinion.Groups) {
			g := &r.Opinion.Groups[p.Group]
			g.Members = append(g.Members, a.People[p.ID])
		}
	}
	groupAgree := func(id int64) []float64 {
		out := []float64{}
		for _, t := range stats[id].PerGroup {
			out = append(out, smoothed(t.Agree, t.Seen()))
		}
		return out
	}
	for _, m := range res.Majority {
		r.Majority = append(r.Majority, Highlight{StatementID: m.Statement, Text: text[m.Statement], Direction: m.Direction,
			Score: m.Share, GroupAgree: groupAgree(m.Statement)})
	}
	for _, id := range res.Divisive {
		r.Divisive = append(r.Divisive, Highlight{StatementID: id, Text: text[id], Score: stats[id].Divisiveness, GroupAgree: groupAgree(id)})
	}
	if len(res.Groups) >= 2 {
		cons := slices.Clone(res.Statements)
		slices.SortStableFunc(cons, func(x, y opinion.StatementStats) int {
			return cmp.Or(cmp.Compare(y.Consensus, x.Consensus), cmp.Compare(x.ID, y.ID))
		})
		for _, s := range cons[:min(5, len(cons))] {
			r.Consensus = append(r.Consensus, Highlight{StatementID: s.ID, Text: text[s.ID], Score: s.Consensus, GroupAgree: groupAgree(s.ID)})
		}
	}
	keyTerms(r.Opinion.Groups, r.Statements)
	return r, nil
}

// smoothed is Pol.is's pseudocount share (n+1)/(seen+2), always finite.
func smoothed(n, seen int) float64 { return float64(n+1) / float64(seen+2) }
