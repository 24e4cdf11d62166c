package web

import (
	"context"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
)

// featureChip is one thing the current phase lets people do, as a link to
// where they do it.
type featureChip struct {
	Key, URL string
}

// chipsAndPhases fills the consultation page's feature chips, its proposal
// count and its phase timeline, from what the page already read.
func (s *Server) chipsAndPhases(ctx context.Context, c *forum.Consultation, d *consultationPage) error {
	pc, err := forum.ProposalCountsFor(ctx, s.db, []int64{c.ID})
	if err != nil {
		return err
	}
	d.Proposals = pc[c.ID].Proposals
	if d.Phases, err = forum.Phases(ctx, s.db, c.ID); err != nil {
		return err
	}
	f := chipFacts{proposals: d.Proposals, statements: d.Counts.Statements, card: d.Next != nil && !d.List}
	if len(d.Surveys) > 0 {
		f.survey = d.Surveys[0].ID
	}
	if len(d.Live) > 0 {
		f.live = d.Live[0].Code
	}
	d.Chips = featureChips(c, d.Stage, f)
	return nil
}

// chipFacts is what a consultation has for its features to be used on:
// proposals, visible statements (and whether the page shows the voting
// card), its first survey and its first open live session outside focus
// groups.
type chipFacts struct {
	proposals, statements int
	card                  bool
	survey                int64
	live                  string
}

// featureChips lists the features stage opens, each as a link to where it
// is used. A feature is listed only when there is something to use it on:
// statements to rate, proposals to comment on or support, a survey, a live
// session; proposals can always be sent while the phase takes them. This
// is the one list the consultation page and the proposal pages show.
func featureChips(c *forum.Consultation, stage forum.Stage, f chipFacts) []featureChip {
	k := "/k/" + c.Slug
	var out []featureChip
	for _, feat := range forum.AllFeatures {
		if !stage.Features[feat] {
			continue
		}
		url := ""
		switch feat {
		case forum.FeatureProposals:
			url = k + "/proposals/new"
		case forum.FeatureComments, forum.FeatureSupports:
			if f.proposals > 0 {
				url = k + "/proposals"
			}
		case forum.FeatureStatements:
			if f.card {
				url = "#st"
			} else if f.statements > 0 {
				url = k + "?view=list"
			}
		case forum.FeaturePolls:
			if f.survey != 0 {
				url = "/survei/" + strconv.FormatInt(f.survey, 10)
			}
		case forum.FeatureLive:
			if f.live != "" {
				url = "/live/" + f.live
			}
		}
		if url != "" {
			out = append(out, featureChip{Key: "feature." + feat, URL: url})
		}
	}
	return out
}

// stageChips is featureChips for a page other than the consultation's
// (the proposal list and a proposal): it reads the facts itself, each only
// when stage opens the feature it decides.
func (s *Server) stageChips(ctx context.Context, c *forum.Consultation, stage forum.Stage) ([]featureChip, error) {
	var f chipFacts
	if stage.Features[forum.FeatureComments] || stage.Features[forum.FeatureSupports] {
		pc, err := forum.ProposalCountsFor(ctx, s.db, []int64{c.ID})
		if err != nil {
			return nil, err
		}
		f.proposals = pc[c.ID].Proposals
	}
	if stage.Features[forum.FeatureStatements] {
		counts, err := polls.CountsFor(ctx, s.db, []int64{c.ID})
		if err != nil {
			return nil, err
		}
		f.statements = counts[c.ID].Statements
	}
	if stage.Features[forum.FeaturePolls] {
		surveys, err := polls.SurveysOf(ctx, s.db, c.ID)
		if err != nil {
			return nil, err
		}
		if len(surveys) > 0 {
			f.survey = surveys[0].ID
		}
	}
	if stage.Features[forum.FeatureLive] {
		sessions, err := s.openSessions(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		if len(sessions) > 0 {
			f.live = sessions[0].Code
		}
	}
	return featureChips(c, stage, f), nil
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
