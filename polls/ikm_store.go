package polls

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/polls/ikm"
	"github.com/uptrace/bun"
)

// ikmMigration creates the IKM tables. A response covers a time range: an
// imported paper response covers its whole import period, a web response the
// microsecond it was sent, and a report for a period counts the responses
// whose range lies inside it. A web respondent answers a unit once per month
// (unique key); an identical file cannot be imported twice for a unit.
var ikmMigration = storage.Migration{
	Name: "20261129020200", Comment: "create_ikm",
	Up: []string{
		`CREATE TABLE ikm_units (
			id {{id}},
			slug VARCHAR(200) NOT NULL,
			name TEXT NOT NULL,
			created_at {{time}} NOT NULL)`,
		`CREATE UNIQUE INDEX ikm_units_slug ON ikm_units (slug)`,
		`CREATE TABLE ikm_imports (
			id {{id}},
			unit_id BIGINT NOT NULL REFERENCES ikm_units (id) ON DELETE CASCADE,
			period VARCHAR(10) NOT NULL,
			digest VARCHAR(64) NOT NULL,
			responses INTEGER NOT NULL,
			imported_at {{time}} NOT NULL)`,
		`CREATE UNIQUE INDEX ikm_imports_digest ON ikm_imports (unit_id, digest)`,
		`CREATE TABLE ikm_responses (
			id {{id}},
			unit_id BIGINT NOT NULL REFERENCES ikm_units (id) ON DELETE CASCADE,
			import_id BIGINT REFERENCES ikm_imports (id) ON DELETE CASCADE,
			participant_id BIGINT REFERENCES participants (id) ON DELETE SET NULL,
			period_key VARCHAR(10) NOT NULL,
			starts_at {{time}} NOT NULL,
			ends_at {{time}} NOT NULL,
			u1 SMALLINT NOT NULL CHECK (u1 BETWEEN 0 AND 4), u2 SMALLINT NOT NULL CHECK (u2 BETWEEN 0 AND 4),
			u3 SMALLINT NOT NULL CHECK (u3 BETWEEN 0 AND 4), u4 SMALLINT NOT NULL CHECK (u4 BETWEEN 0 AND 4),
			u5 SMALLINT NOT NULL CHECK (u5 BETWEEN 0 AND 4), u6 SMALLINT NOT NULL CHECK (u6 BETWEEN 0 AND 4),
			u7 SMALLINT NOT NULL CHECK (u7 BETWEEN 0 AND 4), u8 SMALLINT NOT NULL CHECK (u8 BETWEEN 0 AND 4),
			u9 SMALLINT NOT NULL CHECK (u9 BETWEEN 0 AND 4),
			age_band VARCHAR(20) NOT NULL, sex VARCHAR(20) NOT NULL,
			education VARCHAR(20) NOT NULL, occupation VARCHAR(20) NOT NULL)`,
		`CREATE INDEX ikm_responses_unit ON ikm_responses (unit_id, starts_at)`,
		`CREATE UNIQUE INDEX ikm_responses_participant ON ikm_responses (unit_id, participant_id, period_key)`,
	},
	Down: []string{`DROP TABLE ikm_responses`, `DROP TABLE ikm_imports`, `DROP TABLE ikm_units`},
}

// IKMUnit is a service unit (unit penyelenggara pelayanan) whose IKM is
// measured, e.g. "Dinas Kependudukan dan Pencatatan Sipil".
type IKMUnit struct {
	bun.BaseModel `bun:"table:ikm_units"`

	ID        int64     `bun:"id,pk,autoincrement" json:"-"`
	Slug      string    `bun:"slug,notnull" json:"slug"`
	Name      string    `bun:"name,notnull" json:"name"`
	CreatedAt time.Time `bun:"created_at,notnull" json:"-"`
}

type ikmImport struct {
	bun.BaseModel `bun:"table:ikm_imports"`

	ID         int64     `bun:"id,pk,autoincrement"`
	UnitID     int64     `bun:"unit_id,notnull"`
	Period     string    `bun:"period,notnull"`
	Digest     string    `bun:"digest,notnull"`
	Responses  int       `bun:"responses,notnull"`
	ImportedAt time.Time `bun:"imported_at,notnull"`
}

type ikmRow struct {
	bun.BaseModel `bun:"table:ikm_responses"`

	ID            int64     `bun:"id,pk,autoincrement"`
	UnitID        int64     `bun:"unit_id,notnull"`
	ImportID      int64     `bun:"import_id,nullzero"`
	ParticipantID int64     `bun:"participant_id,nullzero"`
	PeriodKey     string    `bun:"period_key,notnull"`
	StartsAt      time.Time `bun:"starts_at,notnull"`
	EndsAt        time.Time `bun:"ends_at,notnull"`
	U1            int       `bun:"u1,notnull"`
	U2            int       `bun:"u2,notnull"`
	U3            int       `bun:"u3,notnull"`
	U4            int       `bun:"u4,notnull"`
	U5            int       `bun:"u5,notnull"`
	U6            int       `bun:"u6,notnull"`
	U7            int       `bun:"u7,notnull"`
	U8            int       `bun:"u8,notnull"`
	U9            int       `bun:"u9,notnull"`
	AgeBand       string    `bun:"age_band,notnull"`
	Sex           string    `bun:"sex,notnull"`
	Education     string    `bun:"education,notnull"`
	Occupation    string    `bun:"occupation,notnull"`
	// An assisted answer (forum.Assistance); AssistedAt nil for
	// self-service and imported paper answers.
	AssistedBy    int64      `bun:"assisted_by,nullzero"`
	AssistedAt    *time.Time `bun:"assisted_at"`
	AssistConsent string     `bun:"assist_consent,notnull"`
}

func (r *ikmRow) scores() []*int {
	return []*int{&r.U1, &r.U2, &r.U3, &r.U4, &r.U5, &r.U6, &r.U7, &r.U8, &r.U9}
}

func rowOf(unit int64, resp ikm.Response, key string, start, end time.Time) ikmRow {
	r := ikmRow{UnitID: unit, PeriodKey: key, StartsAt: start.UTC(), EndsAt: end.UTC(),
		AgeBand: resp.Profile.AgeBand, Sex: resp.Profile.Sex, Education: resp.Profile.Education, Occupation: resp.Profile.Occupation}
	for i, p := range r.scores() {
		*p = resp.Scores[i]
	}
	return r
}

func (r *ikmRow) response() ikm.Response {
	var resp ikm.Response
	for i, p := range r.scores() {
		resp.Scores[i] = *p
	}
	resp.Profile = ikm.Profile{AgeBand: r.AgeBand, Sex: r.Sex, Education: r.Education, Occupation: r.Occupation}
	return resp
}

// ErrIKMDuplicateImport is returned when the same file was already imported
// for the unit.
var ErrIKMDuplicateImport = errs.E(errs.Conflict, "ikm.error.duplicate_import", nil)

// EnsureIKMUnit returns the unit named name (matched by its slug), creating
// it when missing, with v's audit log entry in the same transaction. The
// name must be 1–300 characters.
func (st *Store) EnsureIKMUnit(ctx context.Context, v forum.Viewer, name string) (*IKMUnit, error) {
	name = strings.TrimSpace(name)
	if err := checkText("unit", name, MaxTitleRunes, true); err != nil {
		return nil, err
	}
	var u *IKMUnit
	err := st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		var err error
		u, err = createIKMUnit(ctx, tx, v, name, now)
		if errors.Is(err, ErrIKMUnitExists) {
			u, err = IKMUnitByRef(ctx, tx, forum.Slugify(name, "unit"))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// IKMUnitByRef returns the unit with slug ref (or numeric id ref), or
// errs.ErrNotFound.
func IKMUnitByRef(ctx context.Context, db bun.IDB, ref string) (*IKMUnit, error) {
	u := new(IKMUnit)
	q := db.NewSelect().Model(u)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		q = q.Where("id = ? OR slug = ?", id, ref)
	} else {
		q = q.Where("slug = ?", ref)
	}
	err := q.Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("ikm unit %q: %w", ref, err)
	}
	return u, nil
}

// ImportIKM stores responses (from ikm.ReadCSV) as unit's paper responses
// for period p, all in one transaction: all of them or none. digest
// identifies the file (e.g. its SHA-256 in hex); importing the same digest
// twice for a unit returns ErrIKMDuplicateImport and stores nothing. v's
// audit log entry is written in the same transaction.
func (st *Store) ImportIKM(ctx context.Context, v forum.Viewer, unit int64, p ikm.Period, digest string, rs []ikm.Response) error {
	if len(rs) == 0 {
		return errs.E(errs.Invalid, "ikm.error.no_rows", nil)
	}
	return st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		imp := &ikmImport{UnitID: unit, Period: p.String(), Digest: digest, Responses: len(rs), ImportedAt: now.UTC()}
		res, err := tx.NewInsert().Model(imp).On("CONFLICT (unit_id, digest) DO NOTHING").Returning("id").Exec(ctx)
		if err != nil {
			return fmt.Errorf("record ikm import: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrIKMDuplicateImport
		}
		rows := make([]ikmRow, len(rs))
		for i, r := range rs {
			rows[i] = rowOf(unit, r, p.String(), p.Start, p.End)
			rows[i].ImportID = imp.ID
		}
		for start := 0; start < len(rows); start += 500 {
			chunk := rows[start:min(start+500, len(rows))]
			if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
				return fmt.Errorf("insert ikm responses: %w", err)
			}
		}
		return forum.Audit(ctx, tx, v, "ikm_import", "ikm_unit", unit, 0, fmt.Sprintf("%s: %d responses, %s", p, len(rs), digest), now)
	})
}

// SubmitIKM stores participant pid's web answers to unit's survey at the
// Store's time, in one transaction; like other survey answers it is not
// audited.
// Every score must be 0..4 and the profile codes known (or blank); at least
// one element must be answered. A participant answers a unit once per
// calendar month (Asia/Jakarta): a second answer returns an errs.Conflict
// error, decided by a unique key.
func (st *Store) SubmitIKM(ctx context.Context, unit, pid int64, resp ikm.Response) error {
	if err := checkIKMResponse(resp); err != nil {
		return err
	}
	at := st.now().UTC().Truncate(time.Microsecond)
	key := at.In(ikm.Jakarta()).Format("2006-01")
	row := rowOf(unit, resp, key, at, at.Add(time.Microsecond))
	row.ParticipantID = pid
	return st.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewInsert().Model(&row).On("CONFLICT (unit_id, participant_id, period_key) DO NOTHING").Exec(ctx)
		if err != nil {
			return fmt.Errorf("store ikm response of %d: %w", pid, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.Conflict, "ikm.error.already_answered", nil)
		}
		return nil
	})
}

// ikmAssistedMigration adds the assisted-entry columns (forum.Assistance)
// to IKM responses.
var ikmAssistedMigration = storage.Migration{
	Name: "20261203100100", Comment: "ikm_responses_assisted",
	Up: []string{`ALTER TABLE ikm_responses ADD COLUMN assisted_by BIGINT REFERENCES users (id) ON DELETE SET NULL`,
		`ALTER TABLE ikm_responses ADD COLUMN assisted_at {{time}}`,
		`ALTER TABLE ikm_responses ADD COLUMN assist_consent VARCHAR(40) NOT NULL DEFAULT ''`},
	Down: []string{`ALTER TABLE ikm_responses DROP COLUMN assist_consent`, `ALTER TABLE ikm_responses DROP COLUMN assisted_at`,
		`ALTER TABLE ikm_responses DROP COLUMN assisted_by`},
}

// AuditIKMAssisted is the audit action of an IKM answer an officer
// recorded for a citizen at the desk (target: the unit).
const AuditIKMAssisted = "ikm_answer_assisted"

// SubmitIKMAssisted stores the answers of a citizen at the desk to unit's
// survey, typed by officer v (forum.Assist: an assisted-entry officer or
// admin, role read again in the transaction) after the citizen agreed to
// the consent text (consent), at the Store's time, in one transaction
// with its audit row (AuditIKMAssisted). The answer belongs to no
// participant, so the once-a-month rule of SubmitIKM does not apply: each
// person at the desk answers once, which the officer sees. The checks and
// errors of SubmitIKM, and those of forum.Assist.
func (st *Store) SubmitIKMAssisted(ctx context.Context, v forum.Viewer, unit int64, resp ikm.Response, consent bool) error {
	if err := checkIKMResponse(resp); err != nil {
		return err
	}
	return st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		as, err := forum.Assist(ctx, v, consent, now)
		if err != nil {
			return err
		}
		at := now.Truncate(time.Microsecond)
		row := rowOf(unit, resp, at.In(ikm.Jakarta()).Format("2006-01"), at, at.Add(time.Microsecond))
		row.AssistedBy, row.AssistedAt, row.AssistConsent = as.OfficerID, &as.At, as.ConsentVersion
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return fmt.Errorf("store assisted ikm response of unit %d: %w", unit, err)
		}
		return forum.Audit(ctx, tx, v, AuditIKMAssisted, "ikm_unit", unit, 0, as.ConsentVersion, now)
	})
}

// checkIKMResponse is the check of one web answer: every score 0..4, at
// least one element answered, profile codes known or blank.
func checkIKMResponse(resp ikm.Response) error {
	answered := false
	for _, s := range resp.Scores {
		if s < 0 || s > ikm.MaxScore {
			return errs.E(errs.Invalid, "ikm.error.bad_score", nil)
		}
		answered = answered || s > 0
	}
	if !answered {
		return errs.E(errs.Invalid, "ikm.error.no_answer", nil)
	}
	if !profileKnown(resp.Profile) {
		return errs.E(errs.Invalid, "ikm.error.bad_profile", nil)
	}
	return nil
}

// IKMResponses returns unit's responses that lie inside period p.
func IKMResponses(ctx context.Context, db bun.IDB, unit int64, p ikm.Period) ([]ikm.Response, error) {
	var rows []ikmRow
	err := db.NewSelect().Model(&rows).
		Where("unit_id = ? AND starts_at >= ? AND ends_at <= ?", unit, p.Start.UTC(), p.End.UTC()).
		Order("id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("ikm responses of unit %d in %s: %w", unit, p, err)
	}
	out := make([]ikm.Response, len(rows))
	for i := range rows {
		out[i] = rows[i].response()
	}
	return out, nil
}

func profileKnown(p ikm.Profile) bool {
	ok := func(code string, cs []ikm.Choice) bool {
		if code == "" {
			return true
		}
		for _, c := range cs {
			if c.Code == code {
				return true
			}
		}
		return false
	}
	return ok(p.AgeBand, ikm.AgeBands()) && ok(p.Sex, ikm.Sexes()) &&
		ok(p.Education, ikm.Educations()) && ok(p.Occupation, ikm.Occupations())
}
