package web

import (
	"context"
	"strconv"

	"github.com/rembug/rembug/forum"
)

// featureChip is one thing the current phase lets people do, as a link to
// where they do it.
type featureChip struct {
	Key, URL string
}

// chipsAndPhases fills the consultation page's feature chips, its proposal
// count and its phase timeline. A feature is listed only when there is
// something to use it on: statements to rate, proposals to comment on or
// support, a survey, a live session; proposals can always be sent while
// the phase takes them.
func (s *Server) chipsAndPhases(ctx context.Context, c *forum.Consultation, d *consultationPage) error {
	pc, err := forum.ProposalCountsFor(ctx, s.db, []int64{c.ID})
	if err != nil {
		return err
	}
	d.Proposals = pc[c.ID].Proposals
	if d.Phases, err = forum.Phases(ctx, s.db, c.ID); err != nil {
		return err
	}
	k := "/k/" + c.Slug
	for _, f := range forum.AllFeatures {
		if !d.Stage.Features[f] {
			continue
		}
		url := ""
		switch f {
		case forum.FeatureProposals:
			url = k + "/proposals/new"
		case forum.FeatureComments, forum.FeatureSupports:
			if d.Proposals > 0 {
				url = k + "/proposals"
			}
		case forum.FeatureStatements:
			if d.Next != nil && !d.List {
				url = "#st"
			} else if d.Counts.Statements > 0 {
				url = k + "?view=list"
			}
		case forum.FeaturePolls:
			if len(d.Surveys) > 0 {
				url = "/survei/" + strconv.FormatInt(d.Surveys[0].ID, 10)
			}
		case forum.FeatureLive:
			if len(d.Live) > 0 {
				url = "/live/" + d.Live[0].Code
			}
		}
		if url != "" {
			d.Chips = append(d.Chips, featureChip{Key: "feature." + f, URL: url})
		}
	}
	return nil
}

// PhaseWhen says where phase p stands at the page's time: "past",
// "current" or "next".
func (d consultationPage) PhaseWhen(p forum.Phase) string {
	switch {
	case d.Stage.Phase != nil && d.Stage.Phase.ID == p.ID:
		return "current"
	case !p.EndsAt.After(d.now):
		return "past"
	}
	return "next"
}
