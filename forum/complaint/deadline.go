package complaint

import (
	"context"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum/complaint/workday"
	"github.com/uptrace/bun"
)

// Stages of a complaint's service clock.
const (
	StageTriage     = "triage"     // until routed to an agency
	StageResponse   = "response"   // until the first response to the citizen
	StageResolution = "resolution" // until the official answer
)

// WarnShare is the share of a target after which a complaint is flagged.
const WarnShare = 0.8

// Targets are a complaint's service targets in working days.
type Targets struct {
	Triage, Response, Resolution int
}

// SLA is where a complaint stands against its current target.
type SLA struct {
	Stage   string        // StageTriage, StageResponse, StageResolution, or "" when done
	Due     time.Time     // when the stage's target runs out (paused time added)
	Used    time.Duration // working time used, excluding pauses
	Target  time.Duration // the stage's target in working time
	Share   float64       // Used / Target
	Paused  bool          // waiting on the citizen
	Warn    bool          // Share ≥ WarnShare
	Overdue bool          // Share ≥ 1
}

// targets returns c's targets: its topic's, or the defaults; complex
// complaints get ComplexResolutionDays.
func (s *Store) targets(ctx context.Context, db bun.IDB, c *Complaint) (Targets, error) {
	t := Targets{DefaultTriageDays, DefaultResponseDays, DefaultResolutionDays}
	if c.TopicID != nil {
		var tp Topic
		if err := db.NewSelect().Model(&tp).Where("id = ?", *c.TopicID).Scan(ctx); err != nil {
			return t, fmt.Errorf("topic %d: %w", *c.TopicID, err)
		}
		t = Targets{tp.TriageDays, tp.ResponseDays, tp.ResolutionDays}
	}
	if c.Complex && t.Resolution < ComplexResolutionDays {
		t.Resolution = ComplexResolutionDays
	}
	return t, nil
}

// ClockOf computes c's SLA at now under targets t with calendar cal. The
// clock starts at the first working day after receipt and stops while the
// complaint waits on the citizen.
func ClockOf(cal *workday.Calendar, c *Complaint, t Targets, now time.Time) SLA {
	var sla SLA
	days := 0
	switch {
	case !c.Status.Open():
		return sla
	case c.RoutedAt == nil:
		sla.Stage, days = StageTriage, t.Triage
	case c.FirstResponse == nil:
		sla.Stage, days = StageResponse, t.Response
	default:
		sla.Stage, days = StageResolution, t.Resolution
	}
	start := cal.ClockStart(c.ReceivedAt)
	end := now
	paused := time.Duration(c.PausedNS)
	if c.PausedAt != nil {
		sla.Paused = true
		end = *c.PausedAt
	}
	sla.Target = time.Duration(days) * workday.Day
	sla.Used = max(cal.Working(start, end)-paused, 0)
	sla.Due = cal.Add(start, sla.Target+paused)
	if c.PausedAt != nil {
		// The deadline moves on while paused: what is left starts again now.
		sla.Due = cal.Add(now, sla.Target-sla.Used)
	}
	if sla.Target > 0 {
		sla.Share = float64(sla.Used) / float64(sla.Target)
	}
	sla.Warn = sla.Share >= WarnShare
	sla.Overdue = sla.Share >= 1
	return sla
}

// Clock returns c's SLA now.
func (s *Store) Clock(ctx context.Context, c *Complaint) (SLA, error) {
	t, err := s.targets(ctx, s.db, c)
	if err != nil {
		return SLA{}, err
	}
	return ClockOf(s.Calendar(), c, t, s.now()), nil
}

// DeadlineReport counts what one CheckDeadlines run did.
type DeadlineReport struct {
	Warned, Escalated int
}

// CheckDeadlines is the periodic deadline job: every open complaint past
// WarnShare of its current stage's target gets one "deadline_warning"
// event and outbox notice per stage, and every overdue one an
// "escalated" event and notice (to the agency's head and the complaint
// desk). Run it every few minutes; it is idempotent.
func (s *Store) CheckDeadlines(ctx context.Context) (DeadlineReport, error) {
	var rep DeadlineReport
	var ids []int64
	if err := s.db.NewSelect().Table("complaints").Column("id").
		Where("status IN (?)", bun.In(openStatuses)).Order("id").Scan(ctx, &ids); err != nil {
		return rep, fmt.Errorf("open complaints: %w", err)
	}
	for _, id := range ids {
		var warned, escalated bool
		err := s.write(ctx, SystemActor, func(ctx context.Context, tx bun.Tx, now time.Time) (*change, error) {
			c, err := lockComplaint(ctx, tx, id)
			if err != nil || !c.Status.Open() {
				return nil, err
			}
			t, err := s.targets(ctx, tx, c)
			if err != nil {
				return nil, err
			}
			sla := ClockOf(s.Calendar(), c, t, now)
			kind := ""
			switch {
			case sla.Overdue && c.EscalatedStage != sla.Stage:
				c.EscalatedStage, c.WarnedStage, kind, escalated = sla.Stage, sla.Stage, "escalated", true
			case sla.Warn && !sla.Overdue && c.WarnedStage != sla.Stage:
				c.WarnedStage, kind, warned = sla.Stage, "deadline_warning", true
			default:
				return nil, nil
			}
			if _, err := tx.NewUpdate().Model(c).Column("warned_stage", "escalated_stage").WherePK().Exec(ctx); err != nil {
				return nil, fmt.Errorf("flag complaint %s: %w", c.Number, err)
			}
			if err := event(ctx, tx, c, kind, SystemActor, 0, sla.Stage, true, now); err != nil {
				return nil, err
			}
			ch := &change{action: "complaint." + kind, c: c, reason: sla.Stage,
				payload: map[string]any{"stage": sla.Stage, "due": sla.Due, "agencies": c.Agencies}}
			if escalated {
				ch.staff = []staffNotice{{kind: NotifyOverdue, desk: true, agencies: c.Agencies}}
			}
			return ch, nil
		})
		if err != nil {
			return rep, err
		}
		if warned {
			rep.Warned++
		}
		if escalated {
			rep.Escalated++
		}
	}
	return rep, nil
}

// AutoClose closes answered complaints whose citizen has not confirmed
// within Config.AutoCloseDays of the answer; it returns how many.
func (s *Store) AutoClose(ctx context.Context) (int, error) {
	cutoff := s.now().AddDate(0, 0, -s.cfg.AutoCloseDays)
	var ids []int64
	if err := s.db.NewSelect().Table("complaints").Column("id").
		Where("status = ? AND answered_at <= ?", StatusAnswered, cutoff).Order("id").Scan(ctx, &ids); err != nil {
		return 0, fmt.Errorf("answered complaints: %w", err)
	}
	n := 0
	for _, id := range ids {
		_, err := s.run(ctx, SystemActor, id, step{action: "complaint.auto_close", need: func(View) bool { return true },
			from: []Status{StatusAnswered},
			apply: func(ctx context.Context, tx bun.Tx, c *Complaint, now time.Time) (map[string]any, error) {
				c.Status = StatusClosed
				c.ClosedAt = &now
				return nil, event(ctx, tx, c, "auto_closed", SystemActor, 0, "", false, now)
			}})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
