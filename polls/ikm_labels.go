package polls

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/polls/ikm"
	"github.com/uptrace/bun"
)

// ikmLabelsMigration stores a service unit's own labels for the nine IKM
// elements. Only labels that differ from the regulation's defaults have a
// row; codes U1..U9 never change (the CHECK keeps other codes out), so
// stored responses, CSV columns and the API keep their meaning when a label
// is edited.
var ikmLabelsMigration = storage.Migration{
	Name: "20261129080100", Comment: "ikm_element_labels",
	Up: []string{
		`CREATE TABLE ikm_labels (
			unit_id BIGINT NOT NULL REFERENCES ikm_units (id) ON DELETE CASCADE,
			code VARCHAR(2) NOT NULL CHECK (code IN ('U1','U2','U3','U4','U5','U6','U7','U8','U9')),
			label_id TEXT NOT NULL,
			label_en TEXT NOT NULL,
			updated_at {{time}} NOT NULL,
			PRIMARY KEY (unit_id, code))`,
	},
	Down: []string{`DROP TABLE ikm_labels`},
}

// MaxIKMLabelRunes bounds an element label, in characters.
const MaxIKMLabelRunes = 200

// IKMLabel is a unit's label for one element: Code is "U1".."U9"; a blank
// LabelID or LabelEN means the regulation's default label in that language.
type IKMLabel struct {
	bun.BaseModel `bun:"table:ikm_labels"`

	UnitID    int64     `bun:"unit_id,pk" json:"-"`
	Code      string    `bun:"code,pk" json:"code"`
	LabelID   string    `bun:"label_id,notnull" json:"label_id"`
	LabelEN   string    `bun:"label_en,notnull" json:"label_en"`
	UpdatedAt time.Time `bun:"updated_at,notnull" json:"-"`
}

// ErrIKMUnitExists is returned by CreateIKMUnit when a unit with the same
// slug exists.
var ErrIKMUnitExists = errs.E(errs.Conflict, "ikm.error.unit_exists", nil)

// CreateIKMUnit creates the service unit named name (1–300 characters,
// trimmed). A unit whose name makes the same slug already exists:
// ErrIKMUnitExists, decided by the unique key on the slug. v's audit log
// entry is written in the same transaction.
func (st *Store) CreateIKMUnit(ctx context.Context, v forum.Viewer, name string) (*IKMUnit, error) {
	name = strings.TrimSpace(name)
	if err := checkText("unit", name, MaxTitleRunes, true); err != nil {
		return nil, err
	}
	var u *IKMUnit
	err := st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		var err error
		u, err = createIKMUnit(ctx, tx, v, name, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// createIKMUnit inserts the unit named name (already checked) in tx with
// v's audit log entry; ErrIKMUnitExists when its slug is taken.
func createIKMUnit(ctx context.Context, tx bun.Tx, v forum.Viewer, name string, now time.Time) (*IKMUnit, error) {
	u := &IKMUnit{Slug: forum.Slugify(name, "unit"), Name: name, CreatedAt: now}
	res, err := tx.NewInsert().Model(u).On("CONFLICT (slug) DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("create ikm unit %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, ErrIKMUnitExists
	}
	if u, err = IKMUnitByRef(ctx, tx, u.Slug); err != nil {
		return nil, err
	}
	return u, forum.Audit(ctx, tx, v, "ikm_unit_create", "ikm_unit", u.ID, 0, name, now)
}

// IKMUnits lists every service unit by name.
func IKMUnits(ctx context.Context, db bun.IDB) ([]IKMUnit, error) {
	var us []IKMUnit
	if err := db.NewSelect().Model(&us).Order("name", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("ikm units: %w", err)
	}
	return us, nil
}

// IKMElements returns the nine elements U1..U9 of unit in the regulation's
// order, with the unit's own labels where it has set them (the answer
// labels stay the regulation's).
func IKMElements(ctx context.Context, db bun.IDB, unit int64) ([]ikm.Element, error) {
	var ls []IKMLabel
	if err := db.NewSelect().Model(&ls).Where("unit_id = ?", unit).Scan(ctx); err != nil {
		return nil, fmt.Errorf("ikm labels of unit %d: %w", unit, err)
	}
	return withLabels(ikm.Elements(), ls), nil
}

func withLabels(els []ikm.Element, ls []IKMLabel) []ikm.Element {
	for _, l := range ls {
		i := slices.IndexFunc(els, func(e ikm.Element) bool { return e.Code == l.Code })
		if i < 0 {
			continue
		}
		if l.LabelID != "" {
			els[i].LabelID = l.LabelID
		}
		if l.LabelEN != "" {
			els[i].LabelEN = l.LabelEN
		}
	}
	return els
}

// SetIKMLabels saves unit's labels, all in one transaction: each code must
// be one of U1..U9 (any case) and appear once, each label at most
// MaxIKMLabelRunes characters after trimming. A label equal to the default
// or blank is stored as the default, so a later change of the defaults
// reaches it. Codes not in ls keep their labels. Bad input is an errs.Invalid
// error and changes nothing. v's audit log entry is written in the same
// transaction.
func (st *Store) SetIKMLabels(ctx context.Context, v forum.Viewer, unit int64, ls []IKMLabel) error {
	now := st.now().UTC()
	defaults := ikm.Elements()
	seen := map[string]bool{}
	for i := range ls {
		l := &ls[i]
		l.Code = strings.ToUpper(strings.TrimSpace(l.Code))
		k := slices.IndexFunc(defaults, func(e ikm.Element) bool { return e.Code == l.Code })
		if k < 0 || seen[l.Code] {
			return errs.E(errs.Invalid, "ikm.error.bad_code", map[string]any{"Code": l.Code})
		}
		seen[l.Code] = true
		l.LabelID, l.LabelEN = strings.TrimSpace(l.LabelID), strings.TrimSpace(l.LabelEN)
		for _, s := range []string{l.LabelID, l.LabelEN} {
			if err := checkText(l.Code, s, MaxIKMLabelRunes, false); err != nil {
				return err
			}
		}
		if l.LabelID == defaults[k].LabelID {
			l.LabelID = ""
		}
		if l.LabelEN == defaults[k].LabelEN {
			l.LabelEN = ""
		}
		l.UnitID, l.UpdatedAt = unit, now.UTC()
	}
	return st.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for i := range ls {
			l := &ls[i]
			if _, err := tx.NewDelete().Model((*IKMLabel)(nil)).Where("unit_id = ? AND code = ?", unit, l.Code).Exec(ctx); err != nil {
				return fmt.Errorf("reset ikm label %s of unit %d: %w", l.Code, unit, err)
			}
			if l.LabelID == "" && l.LabelEN == "" {
				continue
			}
			if _, err := tx.NewInsert().Model(l).Exec(ctx); err != nil {
				return fmt.Errorf("save ikm label %s of unit %d: %w", l.Code, unit, err)
			}
		}
		return forum.Audit(ctx, tx, v, "ikm_labels", "ikm_unit", unit, 0, fmt.Sprintf("%d labels", len(ls)), now)
	})
}
