package forum

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

// Statuses are the consultation statuses an admin may choose, in their
// usual order.
var Statuses = []string{StatusDraft, StatusOpen, StatusClosed, StatusArchived}

// Limits of the consultation fields an admin edits, in characters.
const (
	MaxSummaryRunes   = 500
	MaxOrganizerRunes = 200
	MaxRegionRunes    = 200
)

// ConsultationInput is what an admin submits for a consultation: Title,
// Summary, Organizer (OPD) and Region are plain text, Body is markdown,
// Topics are comma-separated (as a proposal's) and Status one of
// Statuses.
type ConsultationInput struct {
	Title, Summary, Body, Organizer, Region, Topics, Status string
}

// TopicList returns the consultation's topics.
func (c *Consultation) TopicList() []string {
	return strings.FieldsFunc(c.Topics, func(r rune) bool { return r == '|' })
}

// TopicsText returns the topics comma-separated, as the admin form shows
// them.
func (c *Consultation) TopicsText() string { return strings.Join(c.TopicList(), ", ") }

// requireAdmin is Can ActAdminister on the site: errs.Forbidden unless v
// is an admin (read again inside a write transaction, as Can does).
func requireAdmin(ctx context.Context, v Viewer) error {
	return Can(ctx, v, ActAdminister, Item{Kind: ItemSite})
}

// apply validates in into c's editable fields (errs.Invalid with a length
// key, "error.consultation_status" for an unknown status).
func (in ConsultationInput) apply(c *Consultation) error {
	var err error
	if c.Title, err = plainText(in.Title, "title", MinTitleRunes, MaxTitleRunes); err != nil {
		return err
	}
	if c.Summary, err = plainText(in.Summary, "summary", 0, MaxSummaryRunes); err != nil {
		return err
	}
	if c.Description, err = longText(in.Body, "body", 0, MaxBodyRunes); err != nil {
		return err
	}
	if c.Organizer, err = plainText(in.Organizer, "organizer", 0, MaxOrganizerRunes); err != nil {
		return err
	}
	if c.Region, err = plainText(in.Region, "region", 0, MaxRegionRunes); err != nil {
		return err
	}
	if _, c.Topics, err = topicList(in.Topics); err != nil {
		return err
	}
	if !contains(Statuses, in.Status) {
		return errs.E(errs.Invalid, "error.consultation_status", nil)
	}
	c.Status = in.Status
	return nil
}

// CreateConsultation stores a new consultation from in for admin v, with a
// unique slug derived from its title in any script, and writes the audit
// log in the same transaction. Non-admins get errs.Forbidden.
func (s *Store) CreateConsultation(ctx context.Context, v Viewer, in ConsultationInput) (*Consultation, error) {
	if err := requireAdmin(ctx, v); err != nil {
		return nil, err
	}
	c := &Consultation{}
	if err := in.apply(c); err != nil {
		return nil, err
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := requireAdmin(ctx, v); err != nil {
			return err
		}
		c.CreatedAt, c.UpdatedAt = now, now
		var err error
		if c.Slug, err = uniqueSlug(ctx, tx, Slugify(c.Title, "konsultasi")); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(c).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert consultation: %w", err)
		}
		return audit(ctx, tx, v, "consultation_create", "consultation", c.ID, c.ID, c.Status, now)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// UpdateConsultation replaces c's editable fields with in for admin v,
// keeping its id and slug (links stay valid), and writes the audit log in
// the same transaction. After the commit it runs the access-change hook
// (OnAccessChange): a new status can take readers away.
func (s *Store) UpdateConsultation(ctx context.Context, v Viewer, c *Consultation, in ConsultationInput) error {
	if err := requireAdmin(ctx, v); err != nil {
		return err
	}
	next := *c
	if err := in.apply(&next); err != nil {
		return err
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := requireAdmin(ctx, v); err != nil {
			return err
		}
		next.UpdatedAt = now
		_, err := tx.NewUpdate().Model(&next).Column("title", "summary", "description", "organizer", "region", "topics", "status", "updated_at").
			WherePK().Exec(ctx)
		if err != nil {
			return fmt.Errorf("update consultation %d: %w", c.ID, err)
		}
		return audit(ctx, tx, v, "consultation_update", "consultation", c.ID, c.ID, next.Status, now)
	})
	if err != nil {
		return err
	}
	*c = next
	s.accessChanged(ctx, c.ID)
	return nil
}

// AllConsultations lists every consultation, drafts included, newest
// first, for admin v.
func AllConsultations(ctx context.Context, db bun.IDB, v Viewer) ([]Consultation, error) {
	if err := requireAdmin(ctx, v); err != nil {
		return nil, err
	}
	var cs []Consultation
	if err := db.NewSelect().Model(&cs).Order("created_at DESC", "id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list consultations: %w", err)
	}
	return cs, nil
}

// ConfigureRules stores r for admin v (errs.Forbidden otherwise; negative
// numbers are errs.Invalid) in one transaction with its audit log entry.
func (s *Store) ConfigureRules(ctx context.Context, v Viewer, r *Rules) error {
	if err := requireAdmin(ctx, v); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := requireAdmin(ctx, v); err != nil {
			return err
		}
		if err := setRules(ctx, tx, r); err != nil {
			return err
		}
		return audit(ctx, tx, v, "rules_update", "consultation", r.ConsultationID, r.ConsultationID,
			fmt.Sprintf("limit %d, threshold %d, guests %t, premoderation %t, participant statements %t, auto-hide %d",
				r.SupportLimit, r.SupportThreshold, r.GuestSupports, r.Premoderation, r.ParticipantStatements, r.FlagThreshold), now)
	})
}

// SchedulePhase adds phase p for admin v (errs.Forbidden otherwise; an
// unknown kind or feature, or an end not after the start, is errs.Invalid)
// in one transaction with its audit log entry, and sets p.ID. After the
// commit it runs the access-change hook: a phase turns features off.
func (s *Store) SchedulePhase(ctx context.Context, v Viewer, p *Phase) error {
	if err := requireAdmin(ctx, v); err != nil {
		return err
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := requireAdmin(ctx, v); err != nil {
			return err
		}
		if err := addPhase(ctx, tx, p); err != nil {
			return err
		}
		return audit(ctx, tx, v, "phase_add", "phase", p.ID, p.ConsultationID, p.Kind+" "+p.Features, now)
	})
	if err != nil {
		p.ID = 0
		return err
	}
	s.accessChanged(ctx, p.ConsultationID)
	return nil
}

// RemovePhase deletes phase id of consultation cons for admin v, in one
// transaction with its audit log entry; a phase of another consultation is
// errs.NotFound. After the commit it runs the access-change hook.
func (s *Store) RemovePhase(ctx context.Context, v Viewer, cons, id int64) error {
	if err := requireAdmin(ctx, v); err != nil {
		return err
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := requireAdmin(ctx, v); err != nil {
			return err
		}
		r, err := tx.NewDelete().Model((*Phase)(nil)).Where("id = ? AND consultation_id = ?", id, cons).Exec(ctx)
		if err != nil {
			return fmt.Errorf("delete phase %d: %w", id, err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return errs.ErrNotFound
		}
		return audit(ctx, tx, v, "phase_remove", "phase", id, cons, "", now)
	})
	if err != nil {
		return err
	}
	s.accessChanged(ctx, cons)
	return nil
}
