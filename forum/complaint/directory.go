package complaint

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint/workday"
	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

// Default service targets in working days (hari kerja): a complaint is
// verified and passed on within 3 working days and followed up within 5
// when it needs no inquiry, 14 when it does, and 60 when it needs a complex
// inquiry. These are the figures commonly given for the national
// complaint-handling guideline, PermenPANRB Nomor 62 Tahun 2018 tentang
// Pedoman Nasional Pengelolaan Pengaduan Pelayanan Publik; UU Nomor 25
// Tahun 2009 tentang Pelayanan Publik obliges every provider to handle
// complaints within a set time. Neither text was available to check them
// against, so no article is cited: they are placeholders, and the pemda
// sets each topic's targets (AddTopic) to its own rule, as README says.
const (
	DefaultTriageDays     = 3
	DefaultResponseDays   = 5
	DefaultResolutionDays = 14
	ComplexResolutionDays = 60
)

// ensureAgency returns the id of the agency named name, creating it.
func ensureAgency(ctx context.Context, tx bun.IDB, name string, now time.Time) (int64, error) {
	m := &Agency{Name: name, CreatedAt: now}
	return ensure(ctx, tx, "complaint_agencies", "name = ?", []any{name}, m, &m.ID)
}

// ensureTopic returns the id of the topic named name, creating it with the
// default targets.
func ensureTopic(ctx context.Context, tx bun.IDB, name string, now time.Time) (int64, error) {
	m := &Topic{Name: name, TriageDays: DefaultTriageDays, ResponseDays: DefaultResponseDays,
		ResolutionDays: DefaultResolutionDays, CreatedAt: now}
	return ensure(ctx, tx, "complaint_topics", "name = ?", []any{name}, m, &m.ID)
}

// ensureArea returns the id of area (kecamatan, kelurahan), creating it.
func ensureArea(ctx context.Context, tx bun.IDB, kec, kel string) (int64, error) {
	m := &Area{Kecamatan: kec, Kelurahan: kel}
	return ensure(ctx, tx, "complaint_areas", "kecamatan = ? AND kelurahan = ?", []any{kec, kel}, m, &m.ID)
}

func ensure(ctx context.Context, tx bun.IDB, table, where string, args []any, model any, newID *int64) (int64, error) {
	var id int64
	err := tx.NewSelect().Table(table).Column("id").Where(where, args...).Scan(ctx, &id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("%s lookup: %w", table, err)
	}
	if _, err := tx.NewInsert().Model(model).Exec(ctx); err != nil {
		return 0, fmt.Errorf("%s insert: %w", table, err)
	}
	return *newID, nil
}

// AddAgency creates (or finds) the agency named name. Admins only.
func (s *Store) AddAgency(ctx context.Context, a Actor, name string) (int64, error) {
	n, err := text(name, 300)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := administer(ctx, tx, a, s.now()); err != nil {
			return err
		}
		var err error
		if id, err = ensureAgency(ctx, tx, n, s.now()); err != nil {
			return err
		}
		return auditDirectory(ctx, tx, a, "complaint.agency_add", id, n, s.now())
	})
	return id, err
}

// AddTopic creates (or updates the targets of) the topic named name; zero
// targets take the defaults. Admins only.
func (s *Store) AddTopic(ctx context.Context, a Actor, name string, triage, response, resolution int) (int64, error) {
	n, err := text(name, 300)
	if err != nil {
		return 0, err
	}
	if triage < 0 || response < 0 || resolution < 0 || triage > 365 || response > 365 || resolution > 365 {
		return 0, errs.E(errs.Invalid, "complaint.error.targets", nil)
	}
	var id int64
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := administer(ctx, tx, a, s.now()); err != nil {
			return err
		}
		var err error
		if id, err = ensureTopic(ctx, tx, n, s.now()); err != nil {
			return err
		}
		t := Topic{TriageDays: or(triage, DefaultTriageDays), ResponseDays: or(response, DefaultResponseDays),
			ResolutionDays: or(resolution, DefaultResolutionDays)}
		if _, err := tx.NewUpdate().Model(&t).Column("triage_days", "response_days", "resolution_days").
			Where("id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("topic targets: %w", err)
		}
		return auditDirectory(ctx, tx, a, "complaint.topic_set", id, n, s.now())
	})
	return id, err
}

// AddArea creates (or finds) the area (kecamatan, kelurahan). Admins only.
func (s *Store) AddArea(ctx context.Context, a Actor, kecamatan, kelurahan string) (int64, error) {
	kec, err := text(kecamatan, 200)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := administer(ctx, tx, a, s.now()); err != nil {
			return err
		}
		var err error
		if id, err = ensureArea(ctx, tx, kec, kelurahan); err != nil {
			return err
		}
		return auditDirectory(ctx, tx, a, "complaint.area_add", id, kec+"/"+kelurahan, s.now())
	})
	return id, err
}

// SetOfficer makes user an officer of agency (on) or removes them (off).
// Admins only.
func (s *Store) SetOfficer(ctx context.Context, a Actor, userID, agencyID int64, on bool) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := administer(ctx, tx, a, s.now()); err != nil {
			return err
		}
		var err error
		if on {
			_, err = tx.ExecContext(ctx, "INSERT INTO agency_officers (user_id, agency_id) VALUES (?, ?) ON CONFLICT DO NOTHING", userID, agencyID)
		} else {
			_, err = tx.ExecContext(ctx, "DELETE FROM agency_officers WHERE user_id = ? AND agency_id = ?", userID, agencyID)
		}
		if err != nil {
			return fmt.Errorf("officer %d of %d: %w", userID, agencyID, err)
		}
		return auditDirectory(ctx, tx, a, "complaint.officer_set", userID, fmt.Sprintf("agency %d on=%v", agencyID, on), s.now())
	})
}

// AddCanned stores a canned response (agency 0: for every agency, admins
// only; for one agency, whoever handles its complaints: the desk and that
// agency's officers, see mayAddCanned). errs.Forbidden otherwise.
func (s *Store) AddCanned(ctx context.Context, a Actor, agencyID int64, title, body string) (int64, error) {
	t, err := text(title, 200)
	if err != nil {
		return 0, err
	}
	b, err := text(body, 8000)
	if err != nil {
		return 0, err
	}
	c := &Canned{Title: t, Body: b, CreatedAt: s.now()}
	if agencyID != 0 {
		c.AgencyID = &agencyID
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := mayAddCanned(ctx, tx, a, agencyID, s.now()); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			return fmt.Errorf("canned response: %w", err)
		}
		return auditDirectory(ctx, tx, a, "complaint.canned_add", c.ID, t, s.now())
	})
	return c.ID, err
}

// CannedFor returns the canned responses an officer of agencies may use.
func (s *Store) CannedFor(ctx context.Context, agencies []int64) ([]Canned, error) {
	var cs []Canned
	q := s.db.NewSelect().Model(&cs).Order("title")
	if len(agencies) > 0 {
		q = q.Where("agency_id IS NULL OR agency_id IN (?)", bun.In(agencies))
	} else {
		q = q.Where("agency_id IS NULL")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("canned responses: %w", err)
	}
	return cs, nil
}

// AddHoliday adds a local holiday (YYYY-MM-DD) that deadlines skip. Admins
// only; KindInvalid for a malformed date.
func (s *Store) AddHoliday(ctx context.Context, a Actor, day, name string) error {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return errs.E(errs.Invalid, "complaint.error.date", nil)
	}
	n, err := text(name, 200)
	if err != nil {
		return err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := administer(ctx, tx, a, s.now()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO complaint_holidays (day, name) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET name = EXCLUDED.name", day, n); err != nil {
			return fmt.Errorf("local holiday: %w", err)
		}
		return auditDirectory(ctx, tx, a, "complaint.holiday_add", 0, day+" "+n, s.now())
	})
	if err != nil {
		return err
	}
	return s.reloadCalendar(ctx)
}

func (s *Store) reloadCalendar(ctx context.Context) error {
	var rows []struct {
		Day  string `bun:"day"`
		Name string `bun:"name"`
	}
	if err := s.db.NewSelect().Table("complaint_holidays").Column("day", "name").Scan(ctx, &rows); err != nil {
		return fmt.Errorf("local holidays: %w", err)
	}
	local := make([]workday.Holiday, len(rows))
	for i, r := range rows {
		local[i] = workday.Holiday{Date: r.Day, Name: r.Name}
	}
	cal, err := workday.New(s.cfg.Location, local)
	if err != nil {
		return err
	}
	s.calMu.Lock()
	s.cal = cal
	s.calMu.Unlock()
	return nil
}

// Agencies returns every agency by name.
func (s *Store) Agencies(ctx context.Context) ([]Agency, error) {
	var as []Agency
	if err := s.db.NewSelect().Model(&as).Order("name").Scan(ctx); err != nil {
		return nil, fmt.Errorf("agencies: %w", err)
	}
	return as, nil
}

// Topics returns every topic by name.
func (s *Store) Topics(ctx context.Context) ([]Topic, error) {
	var ts []Topic
	if err := s.db.NewSelect().Model(&ts).Order("name").Scan(ctx); err != nil {
		return nil, fmt.Errorf("topics: %w", err)
	}
	return ts, nil
}

// Areas returns every area by kecamatan and kelurahan.
func (s *Store) Areas(ctx context.Context) ([]Area, error) {
	var as []Area
	if err := s.db.NewSelect().Model(&as).Order("kecamatan", "kelurahan").Scan(ctx); err != nil {
		return nil, fmt.Errorf("areas: %w", err)
	}
	return as, nil
}

func auditDirectory(ctx context.Context, tx bun.IDB, a Actor, action string, id int64, reason string, now time.Time) error {
	e := &forum.AuditEntry{ActorUserID: a.UserID(), Action: action, TargetKind: "complaint_directory", TargetID: id, Reason: reason, CreatedAt: now}
	if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// mayAddCanned decides who may store a canned response: for every agency
// (agencyID 0) the admins, like the rest of the directory; for one agency
// whoever handles that agency's complaints (the desk and its officers), the
// access rule's ItemComplaintHandling. Asked inside the write's transaction
// so a right taken away after the page loaded refuses it.
func mayAddCanned(ctx context.Context, tx bun.Tx, a Actor, agencyID int64, now time.Time) error {
	if a.System || agencyID == 0 {
		return administer(ctx, tx, a, now)
	}
	it := forum.Item{Kind: forum.ItemComplaintHandling, Complaint: &forum.ComplaintFacts{Agencies: []int64{agencyID}}}
	err := forum.Can(forum.InTx(ctx, tx, now), a.Viewer, forum.ActWrite, it)
	if errors.Is(err, errs.ErrNotFound) {
		// Not a reader of that agency's complaints: a refusal, not a missing row.
		return errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	return err
}

func or(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// FindArea returns the id of area (kecamatan, kelurahan); kelurahan may be
// "". errs.Invalid (complaint.error.area) when there is no such area.
func (s *Store) FindArea(ctx context.Context, kecamatan, kelurahan string) (int64, error) {
	var id int64
	err := s.db.NewSelect().Table("complaint_areas").Column("id").
		Where("kecamatan = ? AND kelurahan = ?", kecamatan, kelurahan).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errs.E(errs.Invalid, "complaint.error.area", nil)
	}
	if err != nil {
		return 0, fmt.Errorf("area: %w", err)
	}
	return id, nil
}

// FindAgency returns the id of the agency named name (errs.Invalid
// complaint.error.agencies when there is none).
func (s *Store) FindAgency(ctx context.Context, name string) (int64, error) {
	var id int64
	err := s.db.NewSelect().Table("complaint_agencies").Column("id").Where("name = ?", name).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errs.E(errs.Invalid, "complaint.error.agencies", nil)
	}
	if err != nil {
		return 0, fmt.Errorf("agency: %w", err)
	}
	return id, nil
}

// FindTopic returns the id of the topic named name (errs.Invalid
// complaint.error.topic when there is none).
func (s *Store) FindTopic(ctx context.Context, name string) (int64, error) {
	var id int64
	err := s.db.NewSelect().Table("complaint_topics").Column("id").Where("name = ?", name).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errs.E(errs.Invalid, "complaint.error.topic", nil)
	}
	if err != nil {
		return 0, fmt.Errorf("topic: %w", err)
	}
	return id, nil
}

// Staff reports whether a works on complaints: the complaint desk,
// analysts, or an officer of some agency.
func (a Actor) Staff() bool { return a.System || a.Viewer.Analyst() || len(a.Viewer.Agencies()) > 0 }

// Officer is one officer of an agency as the agency admin page lists it.
type Officer struct {
	AgencyID int64  `bun:"agency_id"`
	UserID   int64  `bun:"user_id"`
	Name     string `bun:"display_name"`
	Email    string `bun:"email"`
}

// Officers returns every agency's officers (live users only), by agency then
// name. Callers check the viewer is an admin.
func (s *Store) Officers(ctx context.Context) ([]Officer, error) {
	var os []Officer
	err := s.db.NewSelect().TableExpr("agency_officers AS o").
		Join("JOIN users AS u ON u.id = o.user_id").
		ColumnExpr("o.agency_id, o.user_id, u.display_name, COALESCE(u.email, '') AS email").
		Where("u.deleted_at IS NULL").OrderExpr("o.agency_id, u.display_name, u.id").Scan(ctx, &os)
	if err != nil {
		return nil, fmt.Errorf("officers: %w", err)
	}
	return os, nil
}
