package evaluation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls/indicators"
	"github.com/uptrace/bun"
)

// Store owns the evaluation tables. Every exported write asks forum.Can
// (forum.ItemEvaluation, ActAdminister: admins) and runs in one
// transaction with its audit row; bad input is errs.Invalid with a
// translation key ("eval.error.*"), a missing cycle errs.ErrNotFound.
type Store struct {
	db  *bun.DB
	src indicators.Source
}

// NewStore returns a Store over db; src computes a closing cycle's
// snapshot (its DB should be db) and its Now is the Store's clock.
func NewStore(db *bun.DB, src indicators.Source) *Store {
	if src.Now == nil {
		src.Now = time.Now
	}
	return &Store{db: db, src: src}
}

func (s *Store) now() time.Time { return s.src.Now().UTC().Truncate(time.Microsecond) }

// inTx runs fn in one transaction; forum.Can called with fn's ctx reads
// the viewer's role again inside it (forum.InTx), so each write checks
// admin again there on fresh facts.
func (s *Store) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	now := s.now()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(forum.InTx(ctx, tx, now), tx)
	})
}

func admin(ctx context.Context, v forum.Viewer, c *Cycle) error {
	return forum.Can(ctx, v, forum.ActAdminister, forum.Item{Kind: forum.ItemEvaluation, Published: c != nil && c.Published()})
}

func invalid(key string) error { return errs.E(errs.Invalid, key, nil) }

func longer(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// Open plans a new cycle c: Name 1–200 characters, From before To and at
// most 400 days apart, Plan up to 20,000 characters, targets by Metric
// key, each finite and in 0–Metric.MaxTarget (KindInvalid
// eval.error.target_percent for a score or percentage outside 0–100,
// eval.error.target_range for another). It sets c's ID, status (open) and
// creation fields.
func (s *Store) Open(ctx context.Context, v forum.Viewer, c *Cycle, targets map[string]float64) error {
	if err := admin(ctx, v, nil); err != nil {
		return err
	}
	c.Name, c.Plan = strings.TrimSpace(c.Name), strings.TrimSpace(c.Plan)
	switch {
	case c.Name == "" || longer(c.Name, 200):
		return invalid("eval.error.name")
	case c.From.IsZero() || !c.From.Before(c.To) || c.To.Sub(c.From) > 400*24*time.Hour:
		return invalid("eval.error.period")
	case longer(c.Plan, 20000):
		return invalid("eval.error.plan")
	}
	for k, t := range targets {
		m, ok := MetricByKey(k)
		if !ok {
			return invalid("eval.error.target")
		}
		if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 || t > m.MaxTarget() {
			if m.MaxTarget() == 100 {
				return invalid("eval.error.target_percent")
			}
			return invalid("eval.error.target_range")
		}
	}
	b, _ := json.Marshal(targets)
	now := s.now()
	c.TargetsJSON, c.Status, c.CreatedBy, c.CreatedAt = string(b), StatusOpen, v.User.ID, now
	c.From, c.To, c.Snapshot, c.ClosedAt, c.PublishedAt = c.From.UTC(), c.To.UTC(), nil, nil, nil
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := admin(ctx, v, nil); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			return fmt.Errorf("open cycle: %w", err)
		}
		return forum.Audit(ctx, tx, v, "evaluation_open", "evaluation", c.ID, 0, c.Name, now)
	})
}

// Close computes the five indicators over c's period and stores them as
// its snapshot, with the result of each linked survey (instrument), once:
// a closed cycle is errs.Conflict ("eval.error.closed"). Later changes to
// the data never reach the snapshot.
func (s *Store) Close(ctx context.Context, v forum.Viewer, id int64) error {
	c, err := Get(ctx, s.db, id)
	if err != nil {
		return err
	}
	if err := admin(ctx, v, c); err != nil {
		return err
	}
	if c.Status != StatusOpen {
		return errs.E(errs.Conflict, "eval.error.closed", nil)
	}
	rep, err := indicators.Compute(ctx, s.src, indicators.Query{From: c.From, To: c.To})
	if err != nil {
		return err
	}
	b, err := json.Marshal(rep)
	if err != nil {
		return fmt.Errorf("snapshot of cycle %d: %w", id, err)
	}
	now := s.now()
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := admin(ctx, v, c); err != nil {
			return err
		}
		res, err := tx.NewRaw(`UPDATE evaluation_cycles SET status = ?, snapshot = ?, closed_at = ? WHERE id = ? AND status = ?`,
			StatusClosed, string(b), now, id, StatusOpen).Exec(ctx)
		if err != nil {
			return fmt.Errorf("close cycle %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 { // closed by someone else meanwhile
			return errs.E(errs.Conflict, "eval.error.closed", nil)
		}
		if err := freezeInstruments(ctx, tx, id, now); err != nil {
			return err
		}
		return forum.Audit(ctx, tx, v, "evaluation_close", "evaluation", id, 0, c.Name, now)
	})
}

// SetPublished publishes (or withdraws) closed cycle id's report; an open
// cycle is errs.Conflict ("eval.error.not_closed").
func (s *Store) SetPublished(ctx context.Context, v forum.Viewer, id int64, on bool) error {
	c, err := Get(ctx, s.db, id)
	if err != nil {
		return err
	}
	if err := admin(ctx, v, c); err != nil {
		return err
	}
	if c.Status != StatusClosed {
		return errs.E(errs.Conflict, "eval.error.not_closed", nil)
	}
	now := s.now()
	var at *time.Time
	if on {
		at = &now
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := admin(ctx, v, c); err != nil {
			return err
		}
		if _, err := tx.NewRaw(`UPDATE evaluation_cycles SET published_at = ? WHERE id = ?`, at, id).Exec(ctx); err != nil {
			return fmt.Errorf("publish cycle %d: %w", id, err)
		}
		if on {
			return forum.Audit(ctx, tx, v, "evaluation_publish", "evaluation", id, 0, c.Name, now)
		}
		return forum.Audit(ctx, tx, v, "evaluation_unpublish", "evaluation", id, 0, c.Name, now)
	})
}

// AddFinding records f (Body 1–5,000 characters, Section "" or one of
// indicators.Sections) on its cycle and sets its ID.
func (s *Store) AddFinding(ctx context.Context, v forum.Viewer, f *Finding) error {
	c, err := Get(ctx, s.db, f.CycleID)
	if err != nil {
		return err
	}
	if err := admin(ctx, v, c); err != nil {
		return err
	}
	if err := checkFinding(f); err != nil {
		return err
	}
	now := s.now()
	f.CreatedBy, f.CreatedAt = v.User.ID, now
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := admin(ctx, v, c); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(f).Exec(ctx); err != nil {
			return fmt.Errorf("add finding: %w", err)
		}
		return forum.Audit(ctx, tx, v, "evaluation_finding", "evaluation", c.ID, 0, f.Body, now)
	})
}

// checkFinding trims f and checks it: Body 1–5,000 characters, Section ""
// or one of indicators.Sections.
func checkFinding(f *Finding) error {
	f.Body = strings.TrimSpace(f.Body)
	if f.Body == "" || longer(f.Body, 5000) {
		return invalid("eval.error.finding")
	}
	if f.Section != "" && !slices.Contains(indicators.Sections, f.Section) {
		return invalid("eval.error.section")
	}
	return nil
}

// EditFinding replaces the section and text of finding id of cycle
// cycleID (checked as AddFinding); errs.ErrNotFound when the cycle has no
// such finding.
func (s *Store) EditFinding(ctx context.Context, v forum.Viewer, cycleID, id int64, section, body string) error {
	c, err := s.adminCycle(ctx, v, cycleID)
	if err != nil {
		return err
	}
	f := &Finding{Section: section, Body: body}
	if err := checkFinding(f); err != nil {
		return err
	}
	now := s.now()
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := admin(ctx, v, c); err != nil {
			return err
		}
		res, err := tx.NewRaw(`UPDATE evaluation_findings SET section = ?, body = ? WHERE id = ? AND cycle_id = ?`,
			f.Section, f.Body, id, cycleID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("edit finding %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.ErrNotFound
		}
		return forum.Audit(ctx, tx, v, "evaluation_finding_edit", "evaluation", c.ID, 0, f.Body, now)
	})
}

// DeleteFinding deletes finding id of cycle cycleID; errs.ErrNotFound
// when the cycle has no such finding.
func (s *Store) DeleteFinding(ctx context.Context, v forum.Viewer, cycleID, id int64) error {
	c, err := s.adminCycle(ctx, v, cycleID)
	if err != nil {
		return err
	}
	now := s.now()
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := admin(ctx, v, c); err != nil {
			return err
		}
		var bodies []string
		if err := tx.NewRaw(`SELECT body FROM evaluation_findings WHERE id = ? AND cycle_id = ?`, id, cycleID).Scan(ctx, &bodies); err != nil {
			return fmt.Errorf("finding %d: %w", id, err)
		}
		if len(bodies) == 0 {
			return errs.ErrNotFound
		}
		if _, err := tx.NewRaw(`DELETE FROM evaluation_findings WHERE id = ?`, id).Exec(ctx); err != nil {
			return fmt.Errorf("delete finding %d: %w", id, err)
		}
		return forum.Audit(ctx, tx, v, "evaluation_finding_delete", "evaluation", c.ID, 0, bodies[0], now)
	})
}

// adminCycle reads cycle id and checks v administers it.
func (s *Store) adminCycle(ctx context.Context, v forum.Viewer, id int64) (*Cycle, error) {
	c, err := Get(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	return c, admin(ctx, v, c)
}

// checkRecommendation trims r and checks it: Body 1–5,000 characters, Due
// a date "YYYY-MM-DD".
func checkRecommendation(r *Recommendation) error {
	r.Body, r.Due = strings.TrimSpace(r.Body), strings.TrimSpace(r.Due)
	if r.Body == "" || longer(r.Body, 5000) {
		return invalid("eval.error.recommendation")
	}
	if _, err := time.Parse(time.DateOnly, r.Due); err != nil {
		return invalid("eval.error.due")
	}
	return nil
}

// owner sets r's Owner to the name of agency r.OwnerAgencyID, read in tx:
// errs.Invalid ("eval.error.owner") when there is no such agency.
func owner(ctx context.Context, tx bun.Tx, r *Recommendation) error {
	if r.OwnerAgencyID == nil {
		return invalid("eval.error.owner")
	}
	name, err := agencyName(ctx, tx, *r.OwnerAgencyID)
	if err != nil {
		return err
	}
	if name == "" {
		return invalid("eval.error.owner")
	}
	r.Owner = name
	return nil
}

// AddRecommendation records r (Body 1–5,000 characters, OwnerAgencyID an
// agency of complaint_agencies, Due a date "YYYY-MM-DD") on its cycle,
// planned, and sets its ID and Owner (the agency's name).
func (s *Store) AddRecommendation(ctx context.Context, v forum.Viewer, r *Recommendation) error {
	c, err := s.adminCycle(ctx, v, r.CycleID)
	if err != nil {
		return err
	}
	if err := checkRecommendation(r); err != nil {
		return err
	}
	now := s.now()
	r.Status, r.Reason, r.CreatedBy, r.CreatedAt, r.UpdatedAt = RecPlanned, "", v.User.ID, now, now
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := admin(ctx, v, c); err != nil {
			return err
		}
		if err := owner(ctx, tx, r); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return fmt.Errorf("add recommendation: %w", err)
		}
		return forum.Audit(ctx, tx, v, "evaluation_recommendation", "evaluation", c.ID, 0, r.Owner+": "+r.Body, now)
	})
}

// EditRecommendation replaces the text, owner and due date of
// recommendation id of cycle cycleID (checked as AddRecommendation;
// agency 0 keeps the current owner, so an old free-text owner stays until
// an agency is chosen). Its status and progress stay; a new due date gets
// its own reminders. errs.ErrNotFound when the cycle has no such
// recommendation.
func (s *Store) EditRecommendation(ctx context.Context, v forum.Viewer, cycleID, id int64, body string, agency int64, due string) error {
	c, err := s.adminCycle(ctx, v, cycleID)
	if err != nil {
		return err
	}
	in := &Recommendation{Body: body, Due: due}
	if err := checkRecommendation(in); err != nil {
		return err
	}
	now := s.now()
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := admin(ctx, v, c); err != nil {
			return err
		}
		var r Recommendation
		if err := tx.NewSelect().Model(&r).Where("id = ? AND cycle_id = ?", id, cycleID).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
			return errs.ErrNotFound
		} else if err != nil {
			return fmt.Errorf("recommendation %d: %w", id, err)
		}
		r.Body, r.Due, r.UpdatedAt = in.Body, in.Due, now
		if agency != 0 {
			r.OwnerAgencyID = &agency
			if err := owner(ctx, tx, &r); err != nil {
				return err
			}
		}
		if _, err := tx.NewUpdate().Model(&r).Column("body", "owner", "owner_agency_id", "due", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("edit recommendation %d: %w", id, err)
		}
		return forum.Audit(ctx, tx, v, "evaluation_recommendation_edit", "evaluation", c.ID, 0, r.Owner+": "+r.Body, now)
	})
}

// DeleteRecommendation deletes recommendation id of cycle cycleID with its
// progress updates and reminders; errs.ErrNotFound when the cycle has no
// such recommendation.
func (s *Store) DeleteRecommendation(ctx context.Context, v forum.Viewer, cycleID, id int64) error {
	c, err := s.adminCycle(ctx, v, cycleID)
	if err != nil {
		return err
	}
	now := s.now()
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := admin(ctx, v, c); err != nil {
			return err
		}
		var r Recommendation
		if err := tx.NewSelect().Model(&r).Where("id = ? AND cycle_id = ?", id, cycleID).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
			return errs.ErrNotFound
		} else if err != nil {
			return fmt.Errorf("recommendation %d: %w", id, err)
		}
		for _, q := range []string{`DELETE FROM evaluation_updates WHERE recommendation_id = ?`,
			`DELETE FROM evaluation_reminders WHERE recommendation_id = ?`, `DELETE FROM evaluation_recommendations WHERE id = ?`,
			`DELETE FROM notifications WHERE subject_kind = '` + SubjectRecommendation + `' AND subject_id = ?`} {
			if _, err := tx.NewRaw(q, id).Exec(ctx); err != nil {
				return fmt.Errorf("delete recommendation %d: %w", id, err)
			}
		}
		return forum.Audit(ctx, tx, v, "evaluation_recommendation_delete", "evaluation", c.ID, 0, r.Owner+": "+r.Body, now)
	})
}

// Progress records a progress update on recommendation id: its new status
// (one of RecStatuses) and a note (up to 5,000 characters; required, as
// the reason, when dropped).
func (s *Store) Progress(ctx context.Context, v forum.Viewer, id int64, status, note string) error {
	var r Recommendation
	if err := s.db.NewSelect().Model(&r).Where("id = ?", id).Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return errs.ErrNotFound
	} else if err != nil {
		return fmt.Errorf("recommendation %d: %w", id, err)
	}
	c, err := Get(ctx, s.db, r.CycleID)
	if err != nil {
		return err
	}
	if err := admin(ctx, v, c); err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if !slices.Contains(RecStatuses, status) {
		return invalid("eval.error.status")
	}
	if longer(note, 5000) || status == RecDropped && note == "" {
		return invalid("eval.error.reason")
	}
	reason := ""
	if status == RecDropped {
		reason = note
	}
	now := s.now()
	u := &Update{RecommendationID: id, Status: status, Note: note, CreatedBy: v.User.ID, CreatedAt: now}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := admin(ctx, v, c); err != nil {
			return err
		}
		if _, err := tx.NewRaw(`UPDATE evaluation_recommendations SET status = ?, reason = ?, updated_at = ? WHERE id = ?`,
			status, reason, now, id).Exec(ctx); err != nil {
			return fmt.Errorf("recommendation %d status: %w", id, err)
		}
		if _, err := tx.NewInsert().Model(u).Exec(ctx); err != nil {
			return fmt.Errorf("recommendation %d update: %w", id, err)
		}
		return forum.Audit(ctx, tx, v, "evaluation_progress", "evaluation", c.ID, 0, status+" "+note, now)
	})
}
