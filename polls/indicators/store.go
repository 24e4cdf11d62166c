package indicators

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

// Store owns the indicator tables (indicator_costs, indicator_settings,
// heartbeats, incidents). Every exported write runs in one transaction
// with its audit row; admins only (KindForbidden otherwise), bad input is
// KindInvalid with a translation key.
type Store struct {
	db  *bun.DB
	now func() time.Time
}

// NewStore returns a Store over db with clock now (time.Now when nil).
func NewStore(db *bun.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

// Cost categories.
const (
	CostHosting  = "hosting"
	CostStaff    = "staff"
	CostTraining = "training"
	CostOther    = "other"
)

// CostItem is an operational cost an admin entered for one month
// ("2026-11"): Amount in whole rupiah; Hours is staff time (0 when not
// staff); Note says what it was.
type CostItem struct {
	bun.BaseModel `bun:"table:indicator_costs"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	Month     string    `bun:"month,notnull" json:"month"`
	Category  string    `bun:"category,notnull" json:"category"`
	Amount    int64     `bun:"amount,notnull" json:"amount_idr"`
	Hours     float64   `bun:"hours,notnull" json:"hours"`
	Note      string    `bun:"note,notnull" json:"note"`
	CreatedBy int64     `bun:"created_by,notnull" json:"-"`
	CreatedAt time.Time `bun:"created_at,notnull" json:"-"`
}

// Incident is a technical problem an admin recorded: when it started and
// ended (nil while ongoing), its cause and its fix.
type Incident struct {
	bun.BaseModel `bun:"table:incidents"`

	ID        int64      `bun:"id,pk,autoincrement" json:"id"`
	StartedAt time.Time  `bun:"started_at,notnull" json:"started_at"`
	EndedAt   *time.Time `bun:"ended_at" json:"ended_at"`
	Cause     string     `bun:"cause,notnull" json:"cause"`
	Fix       string     `bun:"fix,notnull" json:"fix"`
	CreatedBy int64      `bun:"created_by,notnull" json:"-"`
	CreatedAt time.Time  `bun:"created_at,notnull" json:"-"`
}

func admin(v forum.Viewer) error {
	if v.User == nil || v.User.Role != forum.RoleAdmin {
		return errs.E(errs.Forbidden, "error.forbidden", nil)
	}
	return nil
}

func (s *Store) write(ctx context.Context, v forum.Viewer, action string, fn func(tx bun.Tx, now time.Time) (int64, string, error)) error {
	if err := admin(v); err != nil {
		return err
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		id, reason, err := fn(tx, now)
		if err != nil {
			return err
		}
		return forum.Audit(ctx, tx, v, action, "indicators", id, 0, reason, now)
	})
}

// AddCost stores c (Month "YYYY-MM", Category one of the Cost constants,
// Amount ≥ 0 rupiah, Hours ≥ 0, Note up to 500 characters) and sets c.ID.
func (s *Store) AddCost(ctx context.Context, v forum.Viewer, c *CostItem) error {
	if err := checkCost(c); err != nil {
		return err
	}
	return s.write(ctx, v, "cost_add", func(tx bun.Tx, now time.Time) (int64, string, error) {
		c.CreatedBy, c.CreatedAt = v.User.ID, now
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			return 0, "", fmt.Errorf("add cost: %w", err)
		}
		return c.ID, c.Month + " " + c.Category + " " + strconv.FormatInt(c.Amount, 10), nil
	})
}

// UpdateCost replaces cost item c.ID's month, category, amount, hours and
// note (checked as AddCost does); errs.ErrNotFound when there is none.
func (s *Store) UpdateCost(ctx context.Context, v forum.Viewer, c *CostItem) error {
	if err := checkCost(c); err != nil {
		return err
	}
	return s.write(ctx, v, "cost_update", func(tx bun.Tx, now time.Time) (int64, string, error) {
		res, err := tx.NewUpdate().Model(c).Column("month", "category", "amount", "hours", "note").WherePK().Exec(ctx)
		if err != nil {
			return 0, "", fmt.Errorf("update cost %d: %w", c.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return 0, "", errs.ErrNotFound
		}
		return c.ID, c.Month + " " + c.Category + " " + strconv.FormatInt(c.Amount, 10), nil
	})
}

// DeleteCost removes cost item id; errs.ErrNotFound when there is none.
func (s *Store) DeleteCost(ctx context.Context, v forum.Viewer, id int64) error {
	return s.write(ctx, v, "cost_delete", func(tx bun.Tx, now time.Time) (int64, string, error) {
		return deleteRow(ctx, tx, (*CostItem)(nil), id)
	})
}

// deleteRow deletes row id of model's table, errs.ErrNotFound when absent.
func deleteRow(ctx context.Context, tx bun.Tx, model any, id int64) (int64, string, error) {
	res, err := tx.NewDelete().Model(model).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return 0, "", fmt.Errorf("delete %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, "", errs.ErrNotFound
	}
	return id, "", nil
}

func checkCost(c *CostItem) error {
	c.Note = strings.TrimSpace(c.Note)
	if _, err := time.Parse("2006-01", c.Month); err != nil || len(c.Month) != 7 {
		return errs.E(errs.Invalid, "indicators.error.month", map[string]any{"Value": c.Month})
	}
	switch c.Category {
	case CostHosting, CostStaff, CostTraining, CostOther:
	default:
		return errs.E(errs.Invalid, "indicators.error.category", map[string]any{"Value": c.Category})
	}
	if c.Amount < 0 || c.Hours < 0 || utf8.RuneCountInString(c.Note) > 500 {
		return errs.E(errs.Invalid, "indicators.error.amount", nil)
	}
	return nil
}

// AddIncident stores in (cause required, cause and fix up to 2000
// characters, EndedAt not before StartedAt) and sets in.ID.
func (s *Store) AddIncident(ctx context.Context, v forum.Viewer, in *Incident) error {
	if err := checkIncident(in); err != nil {
		return err
	}
	return s.write(ctx, v, "incident_add", func(tx bun.Tx, now time.Time) (int64, string, error) {
		in.CreatedBy, in.CreatedAt, in.StartedAt = v.User.ID, now, in.StartedAt.UTC()
		if _, err := tx.NewInsert().Model(in).Exec(ctx); err != nil {
			return 0, "", fmt.Errorf("add incident: %w", err)
		}
		return in.ID, in.Cause, nil
	})
}

// UpdateIncident replaces incident in.ID's start, end, cause and fix
// (checked as AddIncident does): how an admin records that an ongoing
// incident ended and how it was fixed. errs.ErrNotFound when there is none.
func (s *Store) UpdateIncident(ctx context.Context, v forum.Viewer, in *Incident) error {
	if err := checkIncident(in); err != nil {
		return err
	}
	return s.write(ctx, v, "incident_update", func(tx bun.Tx, now time.Time) (int64, string, error) {
		in.StartedAt = in.StartedAt.UTC()
		res, err := tx.NewUpdate().Model(in).Column("started_at", "ended_at", "cause", "fix").WherePK().Exec(ctx)
		if err != nil {
			return 0, "", fmt.Errorf("update incident %d: %w", in.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return 0, "", errs.ErrNotFound
		}
		return in.ID, in.Cause, nil
	})
}

// DeleteIncident removes incident id; errs.ErrNotFound when there is none.
func (s *Store) DeleteIncident(ctx context.Context, v forum.Viewer, id int64) error {
	return s.write(ctx, v, "incident_delete", func(tx bun.Tx, now time.Time) (int64, string, error) {
		return deleteRow(ctx, tx, (*Incident)(nil), id)
	})
}

func checkIncident(in *Incident) error {
	in.Cause, in.Fix = strings.TrimSpace(in.Cause), strings.TrimSpace(in.Fix)
	if in.Cause == "" || utf8.RuneCountInString(in.Cause) > 2000 || utf8.RuneCountInString(in.Fix) > 2000 ||
		in.StartedAt.IsZero() || in.EndedAt != nil && in.EndedAt.Before(in.StartedAt) {
		return errs.E(errs.Invalid, "indicators.error.incident", nil)
	}
	return nil
}

// Settings are the figures only the pemda knows, in whole rupiah, and the
// availability target in percent (default DefaultTarget).
type Settings struct {
	SMSPrice         int64   `json:"sms_price_idr"`
	WhatsAppPrice    int64   `json:"whatsapp_price_idr"`
	TraditionalCost  int64   `json:"traditional_cost_idr"`
	AvailabilityGoal float64 `json:"availability_target"`
	// Public lists the sections shown to everyone (/dasbor and the API
	// without a staff session), among Sections.
	Public []string `json:"public"`
}

// DefaultTarget is the monthly availability target, in percent.
const DefaultTarget = 99.5

var settingNames = []string{"sms_price", "whatsapp_price", "traditional_cost", "availability_target", "public"}

// LoadSettings reads the settings, defaults where unset.
func LoadSettings(ctx context.Context, db bun.IDB) (Settings, error) {
	var rows []struct {
		Name  string `bun:"name"`
		Value string `bun:"value"`
	}
	if err := db.NewRaw(`SELECT name, value FROM indicator_settings`).Scan(ctx, &rows); err != nil {
		return Settings{}, fmt.Errorf("indicator settings: %w", err)
	}
	st := Settings{AvailabilityGoal: DefaultTarget}
	for _, r := range rows {
		switch r.Name {
		case "sms_price":
			st.SMSPrice, _ = strconv.ParseInt(r.Value, 10, 64)
		case "whatsapp_price":
			st.WhatsAppPrice, _ = strconv.ParseInt(r.Value, 10, 64)
		case "traditional_cost":
			st.TraditionalCost, _ = strconv.ParseInt(r.Value, 10, 64)
		case "availability_target":
			st.AvailabilityGoal, _ = strconv.ParseFloat(r.Value, 64)
		case "public":
			st.Public = strings.Fields(r.Value)
		}
	}
	return st, nil
}

// SaveSettings stores st: prices and cost ≥ 0, target in (0, 100].
func (s *Store) SaveSettings(ctx context.Context, v forum.Viewer, st Settings) error {
	if st.SMSPrice < 0 || st.WhatsAppPrice < 0 || st.TraditionalCost < 0 || st.AvailabilityGoal <= 0 || st.AvailabilityGoal > 100 {
		return errs.E(errs.Invalid, "indicators.error.settings", nil)
	}
	for _, p := range st.Public {
		if !slices.Contains(Sections, p) {
			return errs.E(errs.Invalid, "indicators.error.section", map[string]any{"Value": p})
		}
	}
	vals := []string{strconv.FormatInt(st.SMSPrice, 10), strconv.FormatInt(st.WhatsAppPrice, 10),
		strconv.FormatInt(st.TraditionalCost, 10), strconv.FormatFloat(st.AvailabilityGoal, 'f', -1, 64), strings.Join(st.Public, " ")}
	return s.write(ctx, v, "settings_save", func(tx bun.Tx, now time.Time) (int64, string, error) {
		for i, n := range settingNames {
			_, err := tx.NewRaw(`INSERT INTO indicator_settings (name, value) VALUES (?, ?)
				ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`, n, vals[i]).Exec(ctx)
			if err != nil {
				return 0, "", fmt.Errorf("save setting %s: %w", n, err)
			}
		}
		return 0, strings.Join(vals, " "), nil
	})
}

// RecentCosts returns the latest n cost items, newest month first.
func RecentCosts(ctx context.Context, db bun.IDB, n int) ([]CostItem, error) {
	var out []CostItem
	if err := db.NewSelect().Model(&out).OrderExpr("month DESC, id DESC").Limit(int64(n)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("recent costs: %w", err)
	}
	return out, nil
}

// RecentIncidents returns the latest n incidents, newest first.
func RecentIncidents(ctx context.Context, db bun.IDB, n int) ([]Incident, error) {
	var out []Incident
	if err := db.NewSelect().Model(&out).OrderExpr("started_at DESC, id DESC").Limit(int64(n)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("recent incidents: %w", err)
	}
	return out, nil
}
