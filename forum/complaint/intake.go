package complaint

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// Limits on intake.
const (
	MinBodyRunes = 10
	MaxBodyRunes = 5000
)

// Intake is a new complaint as a channel hands it over.
type Intake struct {
	Channel Channel
	// IdemKey makes intake idempotent per channel: a provider retrying the
	// same message id (or a form submitted twice) gets the first complaint
	// back. Empty means no key.
	IdemKey string
	// IdemScope is who sent the key (a user, a token's user, a guest's
	// visitor cookie or address; empty for a provider's channel). A key is
	// only looked up among the sender's own keys, and a replay also needs
	// the same content (hashed into idem_hash): the same sender reusing a
	// key for different content gets KindUnprocessable complaint.error.idem_reused.
	IdemScope      string
	Body           string
	TopicID        *int64
	AreaID         *int64
	Latitude       *float64
	Longitude      *float64
	Public         bool
	Confidential   bool
	ReporterUserID *int64
	ReporterName   string
	ReporterPhone  string
	ReporterEmail  string
	LaporID        string
	// Kecamatan, when AreaID is nil, files the complaint against a
	// kecamatan of the area directory as a whole (its area with no
	// kelurahan, added in the intake's transaction when missing). KindInvalid
	// complaint.error.area for a kecamatan the directory does not have.
	Kecamatan string
	// Assisted is set when the acting viewer, an assisted-entry officer
	// (forum.Assist), records the complaint for a citizen at the desk;
	// Consent says the citizen agreed to the consent text read to them
	// (required then: errs.Invalid assist.error.consent_required). The
	// officer is not the reporter: ReporterUserID must be nil.
	Assisted bool
	Consent  bool
	// Photos are up to MaxPhotos PNG or JPEG photos (checkPhotos); their
	// metadata, the GPS position included, is stripped before storing.
	Photos []PhotoInput
	// PhotosLost counts the photos a channel message announced that could
	// not be downloaded from the provider (or were refused as no photo):
	// each leaves an internal timeline event "photo_missing" so officers
	// know to ask the citizen to send it again. 0 to 10.
	PhotosLost int
}

// Receipt is what the citizen gets back from intake: the complaint and,
// only the first time, the tracking secret (shown once, stored hashed).
type Receipt struct {
	Complaint *Complaint
	Secret    string
	Replayed  bool // the idempotency key matched an earlier complaint
}

// Submit records a new complaint received now, allocating its tracking
// number, with its photos. A complaint received over WhatsApp or SMS gets its receipt
// (number and tracking secret) queued back in the same transaction. Errors: KindInvalid (translation keys complaint.error.*) for a
// body outside MinBodyRunes–MaxBodyRunes, a bad channel, email or
// coordinates.
func (s *Store) Submit(ctx context.Context, a Actor, in Intake) (Receipt, error) {
	if err := in.validate(); err != nil {
		return Receipt{}, err
	}
	photos, err := checkPhotos(in.Photos)
	if err != nil {
		return Receipt{}, err
	}
	var rec Receipt
	secret := newSecret()
	key, sum := in.scopedKey(), in.contentHash()
	err = s.write(ctx, a, func(ctx context.Context, tx bun.Tx, now time.Time) (*change, error) {
		if c, err := byIdemKey(ctx, tx, in.Channel, key, sum); err != nil || c != nil {
			rec = Receipt{Complaint: c, Replayed: true}
			return nil, err
		}
		if in.AreaID == nil && in.Kecamatan != "" {
			id, err := kecamatanArea(ctx, tx, in.Kecamatan)
			if err != nil {
				return nil, err
			}
			in.AreaID = &id
		}
		c := &Complaint{Status: StatusReceived, Channel: in.Channel, Body: strings.TrimSpace(in.Body),
			TopicID: in.TopicID, AreaID: in.AreaID, Latitude: in.Latitude, Longitude: in.Longitude,
			Public: in.Public, Confidential: in.Confidential, ReporterUserID: in.ReporterUserID,
			ReporterName: strings.TrimSpace(in.ReporterName), ReporterPhone: strings.TrimSpace(in.ReporterPhone),
			ReporterEmail: strings.TrimSpace(in.ReporterEmail), SecretHash: hashSecret(secret),
			LaporID: strings.TrimSpace(in.LaporID), ReceivedAt: now, UpdatedAt: now}
		if key != "" {
			k := key
			c.IdemKey, c.IdemHash = &k, sum
		}
		action := "complaint.receive"
		if in.Assisted {
			as, err := forum.Assist(ctx, a.Viewer, in.Consent, now)
			if err != nil {
				return nil, err
			}
			c.AssistedBy, c.AssistedAt, c.AssistConsent = &as.OfficerID, &as.At, as.ConsentVersion
			action = "complaint.receive_assisted"
		}
		if err := s.insert(ctx, tx, c); err != nil {
			return nil, err
		}
		if err := event(ctx, tx, c, "received", a, 0, "", false, now); err != nil {
			return nil, err
		}
		for i := 0; i < min(in.PhotosLost, 10); i++ {
			if err := event(ctx, tx, c, "photo_missing", a, 0, "", true, now); err != nil {
				return nil, err
			}
		}
		for i := range photos {
			photos[i].ComplaintID, photos[i].CreatedAt = c.ID, now
			if _, err := tx.NewInsert().Model(&photos[i]).Exec(ctx); err != nil {
				return nil, fmt.Errorf("photo of %s: %w", c.Number, err)
			}
		}
		rec = Receipt{Complaint: c, Secret: secret}
		return &change{action: action, notice: "complaint.receive", c: c, payload: map[string]any{"secret": secret},
			staff: []staffNotice{{kind: NotifyNew, desk: true}}}, nil
	})
	if err != nil && storage.IsUniqueViolation(err) && in.IdemKey != "" {
		// A concurrent delivery of the same message won the race: return it.
		c, err2 := byIdemKey(ctx, s.db, in.Channel, key, sum)
		if err2 != nil && errs.KindOf(err2) == errs.Unprocessable {
			return Receipt{}, err2
		}
		if err2 == nil && c != nil {
			return Receipt{Complaint: c, Replayed: true}, nil
		}
	}
	if err != nil {
		return Receipt{}, err
	}
	if !rec.Replayed {
		s.autoRoute(ctx, rec.Complaint)
	}
	return rec, nil
}

// insert allocates c's number from its received year and inserts it.
func (s *Store) insert(ctx context.Context, tx bun.IDB, c *Complaint) error {
	n, err := s.allocate(ctx, tx, c.ReceivedAt.In(s.cfg.Location).Year())
	if err != nil {
		return err
	}
	c.Number = n
	if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
		return fmt.Errorf("insert complaint: %w", err)
	}
	return nil
}

// allocate returns the next tracking number of year, ADU-YYYY-NNNNNN. The
// counter row is bumped inside the caller's transaction, so numbers are
// gapless (a rolled-back intake gives its number back) and unique (writers
// of one year serialize on the row, on SQLite and PostgreSQL alike).
func (s *Store) allocate(ctx context.Context, tx bun.IDB, year int) (string, error) {
	var last int64
	err := tx.QueryRowContext(ctx, `INSERT INTO complaint_counters (year, last) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET last = complaint_counters.last + 1 RETURNING last`, year).Scan(&last)
	if err != nil {
		return "", fmt.Errorf("allocate tracking number for %d: %w", year, err)
	}
	return FormatNumber(year, last), nil
}

// FormatNumber formats tracking number seq of year: ADU-2026-000123.
func FormatNumber(year int, seq int64) string {
	return fmt.Sprintf("ADU-%04d-%06d", year, seq)
}

// byIdemKey returns the complaint stored under the (scoped) key on ch, nil
// when there is none. KindUnprocessable complaint.error.idem_reused when its
// content hash is not sum (rows stored before content hashing have none
// and replay as before).
func byIdemKey(ctx context.Context, db bun.IDB, ch Channel, key, sum string) (*Complaint, error) {
	if key == "" {
		return nil, nil
	}
	var row struct {
		ID       int64  `bun:"id"`
		IdemHash string `bun:"idem_hash"`
	}
	err := db.NewSelect().Table("complaints").Column("id", "idem_hash").Where("channel = ? AND idem_key = ?", ch, key).Scan(ctx, &row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("complaint by key: %w", err)
	}
	if row.IdemHash != "" && row.IdemHash != sum {
		return nil, errs.E(errs.Unprocessable, "complaint.error.idem_reused", nil)
	}
	return load(ctx, db, row.ID)
}

// scopedKey is the key as stored: the raw key for a channel without a
// sender scope, else "s:" and the hex SHA-256 of scope and key, so two
// senders never share a key. Empty without a key.
func (in *Intake) scopedKey() string {
	if in.IdemKey == "" || in.IdemScope == "" {
		return in.IdemKey
	}
	h := sha256.Sum256([]byte(in.IdemScope + "\x00" + in.IdemKey))
	return "s:" + hex.EncodeToString(h[:])
}

// contentHash is the hex SHA-256 of what the intake asks to store (text,
// place, flags, reporter, photos), compared on a replay.
func (in *Intake) contentHash() string {
	h := sha256.New()
	photos := make([][32]byte, len(in.Photos))
	for i, p := range in.Photos {
		photos[i] = sha256.Sum256(p.Data)
	}
	//nolint:errcheck // encoding plain values into a hash cannot fail
	json.NewEncoder(h).Encode([]any{strings.TrimSpace(in.Body), in.TopicID, in.AreaID, in.Kecamatan,
		in.Latitude, in.Longitude, in.Public, in.Confidential, in.ReporterUserID,
		strings.TrimSpace(in.ReporterName), strings.TrimSpace(in.ReporterPhone),
		strings.TrimSpace(in.ReporterEmail), strings.TrimSpace(in.LaporID), photos})
	return hex.EncodeToString(h.Sum(nil))
}

func (in *Intake) validate() error {
	if !in.Channel.valid() || (in.Assisted && in.ReporterUserID != nil) {
		return errs.E(errs.Invalid, "complaint.error.channel", nil)
	}
	if !utf8.ValidString(in.Body) || strings.ContainsRune(in.Body, 0) {
		// The same message the request check gives for invalid characters.
		return errs.E(errs.Invalid, "error.bad_input", nil)
	}
	n := utf8.RuneCountInString(strings.TrimSpace(in.Body))
	if n < MinBodyRunes || n > MaxBodyRunes {
		return errs.E(errs.Invalid, "complaint.error.body", map[string]any{"Min": MinBodyRunes, "Max": MaxBodyRunes})
	}
	if e := strings.TrimSpace(in.ReporterEmail); e != "" {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			return errs.E(errs.Invalid, "complaint.error.email", nil)
		}
	}
	if p := strings.TrimSpace(in.ReporterPhone); p != "" && !validPhone(p) {
		return errs.E(errs.Invalid, "complaint.error.phone", nil)
	}
	if (in.Latitude == nil) != (in.Longitude == nil) ||
		in.Latitude != nil && (*in.Latitude < -90 || *in.Latitude > 90 || *in.Longitude < -180 || *in.Longitude > 180) {
		return errs.E(errs.Invalid, "complaint.error.coordinates", nil)
	}
	if len(in.IdemKey) > 200 || utf8.RuneCountInString(in.ReporterName) > 200 || len(in.LaporID) > 60 {
		return errs.E(errs.Invalid, "complaint.error.too_long", nil)
	}
	return nil
}

// validPhone accepts an Indonesian or international number: an optional +,
// then 8 to 15 digits, spaces and dashes allowed between them.
func validPhone(p string) bool {
	digits := 0
	for i, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-':
		default:
			return false
		}
	}
	return digits >= 8 && digits <= 15
}

func newSecret() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// kecamatanArea returns the area of kecamatan kec as a whole, adding it when
// the directory knows kec only with its kelurahan. KindInvalid
// complaint.error.area for a kecamatan it does not know.
func kecamatanArea(ctx context.Context, tx bun.IDB, kec string) (int64, error) {
	n, err := tx.NewSelect().Table("complaint_areas").Where("kecamatan = ?", kec).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("kecamatan %q: %w", kec, err)
	}
	if n == 0 {
		return 0, errs.E(errs.Invalid, "complaint.error.area", nil)
	}
	return ensureArea(ctx, tx, kec, "")
}
