package complaint

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
)

// AgencyInput is what an admin types for an agency (instansi/OPD): its
// name (1–300 characters, unique), an optional short code (up to 40) and
// an optional public contact (up to 300). Surrounding spaces are trimmed.
type AgencyInput struct {
	Name    string
	Code    string
	Contact string
}

func (in AgencyInput) clean() (AgencyInput, error) {
	out := AgencyInput{Name: strings.TrimSpace(in.Name), Code: strings.TrimSpace(in.Code), Contact: strings.TrimSpace(in.Contact)}
	if out.Name == "" || utf8.RuneCountInString(out.Name) > 300 || !utf8.ValidString(out.Name) || strings.ContainsRune(out.Name, 0) {
		return out, errs.E(errs.Invalid, "complaint.error.agency_name", map[string]any{"Max": 300})
	}
	if utf8.RuneCountInString(out.Code) > 40 || utf8.RuneCountInString(out.Contact) > 300 ||
		!utf8.ValidString(out.Code+out.Contact) || strings.ContainsRune(out.Code+out.Contact, 0) {
		return out, errs.E(errs.Invalid, "complaint.error.agency_extra", nil)
	}
	return out, nil
}

// administer checks, in transaction tx (forum.InTx: a's role read again),
// that a may administer the site: the agency directory is an admin's.
func administer(ctx context.Context, tx bun.Tx, a Actor, now time.Time) error {
	if a.System {
		return nil
	}
	return forum.Can(forum.InTx(ctx, tx, now), a.Viewer, forum.ActAdminister, forum.Item{Kind: forum.ItemSite})
}

// nameTaken reports whether another agency than id (0: none) has name,
// compared without regard to case.
func nameTaken(ctx context.Context, tx bun.Tx, name string, id int64) error {
	n, err := tx.NewSelect().Table("complaint_agencies").Where("LOWER(name) = LOWER(?) AND id <> ?", name, id).Count(ctx)
	if err != nil {
		return fmt.Errorf("agency name lookup: %w", err)
	}
	if n > 0 {
		return errs.E(errs.Conflict, "complaint.error.agency_duplicate", map[string]any{"Name": name})
	}
	return nil
}

// CreateAgency creates an agency (instansi/OPD) from in and returns its
// id: it can be routed to at once and has no officers yet. Admins only
// (forum.Can ActAdminister on the site, checked in the transaction).
// Errors: KindInvalid (complaint.error.agency_name, agency_extra) for an
// empty or too long field, KindConflict (complaint.error.agency_duplicate)
// when an agency already has that name, compared without regard to case.
// Audited as complaint.agency_create.
func (s *Store) CreateAgency(ctx context.Context, a Actor, in AgencyInput) (int64, error) {
	in, err := in.clean()
	if err != nil {
		return 0, err
	}
	now := s.now()
	m := &Agency{Name: in.Name, Code: in.Code, Contact: in.Contact, CreatedAt: now}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := administer(ctx, tx, a, now); err != nil {
			return err
		}
		if err := nameTaken(ctx, tx, in.Name, 0); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
			if storage.IsUniqueViolation(err) { // a concurrent create of the same name won
				return errs.E(errs.Conflict, "complaint.error.agency_duplicate", map[string]any{"Name": in.Name})
			}
			return fmt.Errorf("create agency: %w", err)
		}
		return auditDirectory(ctx, tx, a, "complaint.agency_create", m.ID, in.Name, now)
	})
	if err != nil {
		return 0, err
	}
	return m.ID, nil
}

// UpdateAgency renames agency id and sets its code and contact from in.
// The routing model knows agencies by name: it is retrained from the
// history so suggestions name the agency by its new name. Admins only;
// errors as CreateAgency, errs.ErrNotFound for an unknown agency. Audited
// as complaint.agency_update with the old and new name.
func (s *Store) UpdateAgency(ctx context.Context, a Actor, id int64, in AgencyInput) error {
	in, err := in.clean()
	if err != nil {
		return err
	}
	now := s.now()
	renamed := false
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := administer(ctx, tx, a, now); err != nil {
			return err
		}
		var old string
		if err := tx.NewSelect().Table("complaint_agencies").Column("name").Where("id = ?", id).Scan(ctx, &old); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return errs.ErrNotFound
			}
			return fmt.Errorf("agency %d: %w", id, err)
		}
		if err := nameTaken(ctx, tx, in.Name, id); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Table("complaint_agencies").Set("name = ?, code = ?, contact = ?", in.Name, in.Code, in.Contact).
			Where("id = ?", id).Exec(ctx); err != nil {
			if storage.IsUniqueViolation(err) { // a concurrent rename to the same name won
				return errs.E(errs.Conflict, "complaint.error.agency_duplicate", map[string]any{"Name": in.Name})
			}
			return fmt.Errorf("update agency %d: %w", id, err)
		}
		renamed = old != in.Name
		return auditDirectory(ctx, tx, a, "complaint.agency_update", id, old+" -> "+in.Name, now)
	})
	if err == nil && renamed {
		_ = s.trainRouter(ctx) // on failure suggestions keep the old name until the next start
	}
	return err
}

// SetAgencyActive deactivates agency id (active false) or activates it
// again. A deactivated agency is refused as a new route (Route) or forward
// target (Forward), auto-routing included; the complaints already routed to
// it keep their routes, timeline and officers, and its figures stay in the
// statistics. Admins only; errs.ErrNotFound for an unknown agency.
// Audited as complaint.agency_deactivate or complaint.agency_activate.
func (s *Store) SetAgencyActive(ctx context.Context, a Actor, id int64, active bool) error {
	now := s.now()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := administer(ctx, tx, a, now); err != nil {
			return err
		}
		var at any = now.UTC()
		action := "complaint.agency_deactivate"
		if active {
			at, action = nil, "complaint.agency_activate"
		}
		res, err := tx.NewUpdate().Table("complaint_agencies").Set("deactivated_at = ?", at).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("agency %d active=%v: %w", id, active, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.ErrNotFound
		}
		return auditDirectory(ctx, tx, a, action, id, "", now)
	})
}
