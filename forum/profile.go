package forum

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Time zones a user may choose (IANA names) with their Indonesian
// abbreviations: WIB is the default.
var timeZones = []struct{ Name, Abbr string }{
	{"Asia/Jakarta", "WIB"}, {"Asia/Makassar", "WITA"}, {"Asia/Jayapura", "WIT"},
}

// TimeZones returns the selectable time zones as (IANA name, abbreviation)
// pairs, WIB first.
func TimeZones() [][2]string {
	out := make([][2]string, len(timeZones))
	for i, z := range timeZones {
		out[i] = [2]string{z.Name, z.Abbr}
	}
	return out
}

// Languages a user may prefer (ISO 639-1).
var userLangs = []string{"id", "en"}

// MaxDisplayNameRunes bounds a display name, in characters.
const MaxDisplayNameRunes = 80

// UpdateProfile saves u's display name, language and time zone (the other
// fields are left alone) for v, who must be u, with an audit row
// ("profile_update") in the same transaction. Names are trimmed; a blank or
// too long name, or a language or time zone outside the lists, is an
// errs.Invalid error; someone else's profile is errs.Forbidden.
func (s *Store) UpdateProfile(ctx context.Context, v Viewer, u *User) error {
	if v.User == nil || v.User.ID != u.ID {
		return errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	n := utf8.RuneCountInString(u.DisplayName)
	if n == 0 || n > MaxDisplayNameRunes {
		return errs.E(errs.Invalid, "error.display_name", map[string]any{"Max": MaxDisplayNameRunes})
	}
	if !slices.Contains(userLangs, u.Lang) {
		return errs.E(errs.Invalid, "error.lang_invalid", nil)
	}
	if !slices.ContainsFunc(timeZones, func(z struct{ Name, Abbr string }) bool { return z.Name == u.TimeZone }) {
		return errs.E(errs.Invalid, "error.time_zone_invalid", nil)
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		_, err := tx.NewUpdate().Model(u).Column("display_name", "lang", "time_zone").WherePK().Exec(ctx)
		if err != nil {
			return fmt.Errorf("update profile of %d: %w", u.ID, err)
		}
		return audit(ctx, tx, v, "profile_update", "user", u.ID, 0, "", now)
	})
}

// Consent purposes: each optional profile answer is kept only under an
// active consent for its purpose (UU 27/2022 on personal data protection,
// art. 20-22: consent is explicit, per purpose, recorded and withdrawable).
const (
	// ConsentRegion allows keeping the user's kecamatan and kelurahan to
	// break results down by area.
	ConsentRegion = "region_statistics"
	// ConsentDemographics allows keeping the user's age group and gender
	// to break results down by group.
	ConsentDemographics = "demographic_statistics"
)

// ProfileQuestion is an optional profile question: Key names the answer,
// Purpose the consent it needs, and Options the allowed coded answers
// (empty for a free-text answer of at most MaxProfileAnswerRunes characters).
type ProfileQuestion struct {
	Key     string
	Purpose string
	Options []string
}

// MaxProfileAnswerRunes bounds a free-text profile answer, in characters.
const MaxProfileAnswerRunes = 100

// ProfileQuestions returns the optional profile questions in display order.
func ProfileQuestions() []ProfileQuestion {
	return []ProfileQuestion{
		{Key: "kecamatan", Purpose: ConsentRegion},
		{Key: "kelurahan", Purpose: ConsentRegion},
		{Key: "age_group", Purpose: ConsentDemographics, Options: []string{"under_18", "18_24", "25_34", "35_44", "45_59", "60_plus"}},
		{Key: "gender", Purpose: ConsentDemographics, Options: []string{"female", "male"}},
	}
}

// Consent is one grant of consent for a purpose, with the time it was given
// and, once withdrawn, the time it was withdrawn. Withdrawn grants stay as
// the record of what was allowed when.
type Consent struct {
	bun.BaseModel `bun:"table:consents"`

	ID          int64     `bun:"id,pk,autoincrement" json:"-"`
	UserID      int64     `bun:"user_id,notnull" json:"-"`
	Purpose     string    `bun:"purpose,notnull" json:"purpose"`
	GrantedAt   time.Time `bun:"granted_at,notnull" json:"granted_at"`
	WithdrawnAt time.Time `bun:"withdrawn_at,nullzero" json:"withdrawn_at,omitzero"`
}

func validPurpose(p string) bool { return p == ConsentRegion || p == ConsentDemographics }

// GrantConsent records user userID's consent for purpose, unless one is
// already active. An unknown purpose is an errs.Invalid error.
func (s *Store) GrantConsent(ctx context.Context, userID int64, purpose string) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		return grantConsent(ctx, tx, userID, purpose, now)
	})
}

// grantConsent is GrantConsent's statements, in the caller's transaction.
func grantConsent(ctx context.Context, db bun.Tx, userID int64, purpose string, now time.Time) error {
	if !validPurpose(purpose) {
		return errs.E(errs.Invalid, "error.consent_purpose", nil)
	}
	n, err := db.NewSelect().Model((*Consent)(nil)).
		Where("user_id = ? AND purpose = ? AND withdrawn_at IS NULL", userID, purpose).Count(ctx)
	if err != nil || n > 0 {
		return err
	}
	_, err = db.NewInsert().Model(&Consent{UserID: userID, Purpose: purpose, GrantedAt: now}).Exec(ctx)
	return err
}

// WithdrawConsent withdraws user userID's active consent for purpose and
// deletes the answers it covered, in one transaction.
func (s *Store) WithdrawConsent(ctx context.Context, userID int64, purpose string) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		return withdrawConsent(ctx, tx, userID, purpose, now)
	})
}

// withdrawConsent is WithdrawConsent's statements, in the caller's
// transaction.
func withdrawConsent(ctx context.Context, tx bun.Tx, userID int64, purpose string, now time.Time) error {
	if !validPurpose(purpose) {
		return errs.E(errs.Invalid, "error.consent_purpose", nil)
	}
	var keys []string
	for _, q := range ProfileQuestions() {
		if q.Purpose == purpose {
			keys = append(keys, q.Key)
		}
	}
	_, err := tx.NewUpdate().Model((*Consent)(nil)).Set("withdrawn_at = ?", now).
		Where("user_id = ? AND purpose = ? AND withdrawn_at IS NULL", userID, purpose).Exec(ctx)
	if err != nil {
		return fmt.Errorf("withdraw %s of %d: %w", purpose, userID, err)
	}
	_, err = tx.NewRaw(`DELETE FROM profile_answers WHERE user_id = ? AND question IN (?)`, userID, bun.In(keys)).Exec(ctx)
	return err
}

// Consents lists every consent user userID gave, active or withdrawn,
// oldest first.
func Consents(ctx context.Context, db bun.IDB, userID int64) ([]Consent, error) {
	var cs []Consent
	err := db.NewSelect().Model(&cs).Where("user_id = ?", userID).Order("granted_at", "id").Scan(ctx)
	return cs, err
}

// ActiveConsents returns the purposes user userID currently consents to.
func ActiveConsents(ctx context.Context, db bun.IDB, userID int64) (map[string]bool, error) {
	cs, err := Consents(ctx, db, userID)
	if err != nil {
		return nil, err
	}
	m := map[string]bool{}
	for _, c := range cs {
		if c.WithdrawnAt.IsZero() {
			m[c.Purpose] = true
		}
	}
	return m, nil
}

// SetProfileAnswers saves user userID's answers (question key → answer; an
// empty answer deletes it) in one transaction. Every answer needs an active
// consent for its question's purpose, read in the same transaction:
// otherwise an errs.Forbidden error "error.consent_needed". Unknown
// questions or options are errs.Invalid; nothing is saved then.
func (s *Store) SetProfileAnswers(ctx context.Context, userID int64, answers map[string]string) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		return setProfileAnswers(ctx, tx, userID, answers, now)
	})
}

// SaveOptional is the account page's optional-data form in one
// transaction: for each purpose in consents, true records the consent
// (unless active) and false withdraws it and deletes its answers; then
// answers are saved as by SetProfileAnswers. An error leaves everything
// as it was.
func (s *Store) SaveOptional(ctx context.Context, userID int64, consents map[string]bool, answers map[string]string) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		for _, purpose := range []string{ConsentRegion, ConsentDemographics} {
			given, ok := consents[purpose]
			var err error
			switch {
			case !ok:
			case given:
				err = grantConsent(ctx, tx, userID, purpose, now)
			default:
				err = withdrawConsent(ctx, tx, userID, purpose, now)
			}
			if err != nil {
				return err
			}
		}
		return setProfileAnswers(ctx, tx, userID, answers, now)
	})
}

// setProfileAnswers is SetProfileAnswers' statements, in the caller's
// transaction.
func setProfileAnswers(ctx context.Context, db bun.Tx, userID int64, answers map[string]string, now time.Time) error {
	active, err := ActiveConsents(ctx, db, userID)
	if err != nil {
		return err
	}
	qs := ProfileQuestions()
	for key, a := range answers {
		a = strings.TrimSpace(a)
		i := slices.IndexFunc(qs, func(q ProfileQuestion) bool { return q.Key == key })
		if i < 0 {
			return errs.E(errs.Invalid, "error.answer_invalid", nil)
		}
		q := qs[i]
		if a == "" {
			if _, err := db.NewRaw(`DELETE FROM profile_answers WHERE user_id = ? AND question = ?`, userID, key).Exec(ctx); err != nil {
				return err
			}
			continue
		}
		if !active[q.Purpose] {
			return errs.E(errs.Forbidden, "error.consent_needed", nil)
		}
		if (len(q.Options) > 0 && !slices.Contains(q.Options, a)) || utf8.RuneCountInString(a) > MaxProfileAnswerRunes {
			return errs.E(errs.Invalid, "error.answer_invalid", nil)
		}
		_, err := db.NewRaw(`INSERT INTO profile_answers (user_id, question, answer, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, question) DO UPDATE SET answer = EXCLUDED.answer, updated_at = EXCLUDED.updated_at`,
			userID, key, a, now).Exec(ctx)
		if err != nil {
			return fmt.Errorf("save answer %s of %d: %w", key, userID, err)
		}
	}
	return nil
}

// ProfileAnswers returns user userID's answers by question key.
func ProfileAnswers(ctx context.Context, db bun.IDB, userID int64) (map[string]string, error) {
	var rows []struct {
		Question string `bun:"question"`
		Answer   string `bun:"answer"`
	}
	if err := db.NewSelect().Table("profile_answers").Column("question", "answer").
		Where("user_id = ?", userID).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("answers of %d: %w", userID, err)
	}
	m := make(map[string]string, len(rows))
	for _, r := range rows {
		m[r.Question] = r.Answer
	}
	return m, nil
}
