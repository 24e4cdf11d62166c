package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Features a phase can turn on.
const (
	FeatureProposals  = "proposals"
	FeatureComments   = "comments"
	FeatureSupports   = "supports"
	FeatureStatements = "statements"
	FeaturePolls      = "polls"
	FeatureLive       = "live"
)

// AllFeatures lists every feature, in display order.
var AllFeatures = []string{FeatureProposals, FeatureComments, FeatureSupports, FeatureStatements, FeaturePolls, FeatureLive}

// Rules are a consultation's participation settings. A consultation with
// no row gets DefaultRules.
type Rules struct {
	bun.BaseModel `bun:"table:consultation_rules"`

	ConsultationID int64 `bun:"consultation_id,pk" json:"-"`
	// SupportLimit caps the supports one participant may give in the
	// consultation; 0 means no limit.
	SupportLimit int `bun:"support_limit,notnull" json:"support_limit"`
	// SupportThreshold is the support count (imported tally included) at
	// which a proposal is qualified; 0 means no threshold.
	SupportThreshold int `bun:"support_threshold,notnull" json:"support_threshold"`
	// GuestSupports lets guests (visitor cookie only) support proposals.
	// Proposals and comments always need a signed-in user.
	GuestSupports bool `bun:"guest_supports,notnull" json:"guest_supports"`
	// Premoderation holds new proposals, comments and participants'
	// statements for a moderator's approval; without it they are shown at
	// once and moderators hide what breaks the rules (post-moderation).
	Premoderation bool `bun:"premoderation,notnull" json:"premoderation"`
	// ParticipantStatements lets signed-in participants submit statements
	// for others to vote on, as Pol.is does; without it only staff add
	// statements (seeded). Premoderation decides whether they wait for
	// approval.
	ParticipantStatements bool `bun:"participant_statements,notnull" json:"participant_statements"`
	// FlagThreshold is the number of reports that hides content pending
	// review; 0 turns automatic hiding off.
	FlagThreshold int `bun:"flag_threshold,notnull" json:"flag_threshold"`
}

// DefaultFlagThreshold is the number of reports that hides content when a
// consultation does not say otherwise.
const DefaultFlagThreshold = 3

// RulesOf returns consultation id's rules, or the defaults.
func RulesOf(ctx context.Context, db bun.IDB, id int64) (*Rules, error) {
	r := &Rules{ConsultationID: id}
	err := db.NewSelect().Model(r).WherePK().Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return &Rules{ConsultationID: id, FlagThreshold: DefaultFlagThreshold}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("rules of consultation %d: %w", id, err)
	}
	return r, nil
}

// setRules stores r (insert or replace). Negative numbers are errs.Invalid.
func setRules(ctx context.Context, db bun.IDB, r *Rules) error {
	if r.SupportLimit < 0 || r.SupportThreshold < 0 || r.FlagThreshold < 0 {
		return errs.E(errs.Invalid, "error.rules_negative", nil)
	}
	_, err := db.NewInsert().Model(r).On("CONFLICT (consultation_id) DO UPDATE").
		Set("support_limit = EXCLUDED.support_limit, support_threshold = EXCLUDED.support_threshold, " +
			"guest_supports = EXCLUDED.guest_supports, premoderation = EXCLUDED.premoderation, " +
			"participant_statements = EXCLUDED.participant_statements, " +
			"flag_threshold = EXCLUDED.flag_threshold").Exec(ctx)
	if err != nil {
		return fmt.Errorf("set rules of consultation %d: %w", r.ConsultationID, err)
	}
	return nil
}

// Phase is one dated step of a consultation (information, proposals,
// deliberation, voting, results). Features is a comma-separated list of
// the features it turns on; the phase runs from StartsAt (inclusive) to
// EndsAt (exclusive).
type Phase struct {
	bun.BaseModel `bun:"table:phases"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	ConsultationID int64     `bun:"consultation_id,notnull" json:"-"`
	Kind           string    `bun:"kind,notnull" json:"kind"`
	Features       string    `bun:"features,notnull" json:"features"`
	StartsAt       time.Time `bun:"starts_at,notnull" json:"starts_at"`
	EndsAt         time.Time `bun:"ends_at,notnull" json:"ends_at"`
}

// Has reports whether the phase turns feature f on.
func (p *Phase) Has(f string) bool {
	for _, x := range strings.Split(p.Features, ",") {
		if strings.TrimSpace(x) == f {
			return true
		}
	}
	return false
}

// PhaseKinds are the phase kinds, in their usual order.
var PhaseKinds = []string{"information", "proposals", "deliberation", "voting", "results"}

// addPhase stores p after checking its kind, features and dates
// (errs.Invalid otherwise).
func addPhase(ctx context.Context, db bun.IDB, p *Phase) error {
	if !contains(PhaseKinds, p.Kind) {
		return errs.E(errs.Invalid, "error.phase_kind", nil)
	}
	for _, f := range strings.Split(p.Features, ",") {
		if f = strings.TrimSpace(f); f != "" && !contains(AllFeatures, f) {
			return errs.E(errs.Invalid, "error.phase_feature", nil)
		}
	}
	if !p.EndsAt.After(p.StartsAt) {
		return errs.E(errs.Invalid, "error.phase_dates", nil)
	}
	if _, err := db.NewInsert().Model(p).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("add phase: %w", err)
	}
	return nil
}

// Phases lists consultation id's phases by start time.
func Phases(ctx context.Context, db bun.IDB, id int64) ([]Phase, error) {
	var ps []Phase
	err := db.NewSelect().Model(&ps).Where("consultation_id = ?", id).Order("starts_at", "id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("phases of consultation %d: %w", id, err)
	}
	return ps, nil
}

// Stage is what a consultation allows now: its current phase (nil when it
// has no phases or is between them) and the features that are on.
type Stage struct {
	Phase    *Phase
	Features map[string]bool
}

// StageOf works out c's stage at now from its phases (StageAt).
func StageOf(ctx context.Context, db bun.IDB, c *Consultation, now time.Time) (Stage, error) {
	if c.Status != StatusOpen {
		return StageAt(c, nil, now), nil
	}
	ps, err := Phases(ctx, db, c.ID)
	if err != nil {
		return Stage{Features: map[string]bool{}}, err
	}
	return StageAt(c, ps, now), nil
}

// StageAt works out c's stage at now given its phases ps (as Phases
// returns them). A consultation that is not open allows nothing; an open
// one without phases allows every feature; an open one with phases allows
// what its current phase turns on (nothing between phases).
func StageAt(c *Consultation, ps []Phase, now time.Time) Stage {
	st := Stage{Features: map[string]bool{}}
	if c.Status != StatusOpen {
		return st
	}
	if len(ps) == 0 {
		for _, f := range AllFeatures {
			st.Features[f] = true
		}
		return st
	}
	for i := range ps {
		if !now.Before(ps[i].StartsAt) && now.Before(ps[i].EndsAt) {
			st.Phase = &ps[i]
			for _, f := range AllFeatures {
				st.Features[f] = ps[i].Has(f)
			}
		}
	}
	return st
}

// Require returns an errs.Forbidden error naming feature f when the stage
// does not allow it.
func (st Stage) Require(f string) error {
	if !st.Features[f] {
		return errs.E(errs.Forbidden, "error.feature_closed", map[string]any{"Feature": f})
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Any reports whether the stage allows anything at all.
func (st Stage) Any() bool {
	for _, on := range st.Features {
		if on {
			return true
		}
	}
	return false
}
