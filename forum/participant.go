package forum

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// Participant kinds.
const (
	// ParticipantGuest is a visitor known only by a signed cookie (as Pol.is
	// allows); SourceKey is the cookie's random visitor id.
	ParticipantGuest = "guest"
	// ParticipantImported is a pseudonymous participant brought in by an
	// import; Source names the import (e.g. "polis:2rumnecbeh") and SourceKey
	// the source's own participant id.
	ParticipantImported = "imported"
)

// Participant is anyone who takes part: a guest, an imported pseudonymous
// participant or (later) a signed-in user. PublicID is a random, stable,
// non-guessable id that reports and exports may show instead of the row id.
type Participant struct {
	bun.BaseModel `bun:"table:participants"`

	ID          int64     `bun:"id,pk,autoincrement" json:"-"`
	PublicID    string    `bun:"public_id,notnull" json:"public_id"`
	Kind        string    `bun:"kind,notnull" json:"kind"`
	Source      string    `bun:"source,notnull" json:"-"`
	SourceKey   string    `bun:"source_key,notnull" json:"-"`
	DisplayName string    `bun:"display_name,notnull" json:"display_name"`
	CreatedAt   time.Time `bun:"created_at,notnull" json:"-"`
}

// NewPublicID returns a random 16-character lowercase base32 id (80 bits).
func NewPublicID() string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("forum: crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// EnsureParticipant returns the participant identified by (source, key),
// creating it with kind if it does not exist. Concurrent calls for the same
// key return the same row: the unique index decides, and the loser reads the
// winner's row.
func EnsureParticipant(ctx context.Context, db bun.IDB, kind, source, key string, now time.Time) (*Participant, error) {
	p := &Participant{PublicID: NewPublicID(), Kind: kind, Source: source, SourceKey: key, CreatedAt: now}
	_, err := db.NewInsert().Model(p).On("CONFLICT (source, source_key) DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("ensure participant %s/%s: %w", source, key, err)
	}
	got := new(Participant)
	err = db.NewSelect().Model(got).Where("source = ? AND source_key = ?", source, key).Limit(1).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("read participant %s/%s: %w", source, key, err)
	}
	return got, nil
}

// FindParticipant returns the participant identified by (source, key), or
// ErrNotFound.
func FindParticipant(ctx context.Context, db bun.IDB, source, key string) (*Participant, error) {
	p := new(Participant)
	err := db.NewSelect().Model(p).Where("source = ? AND source_key = ?", source, key).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find participant %s/%s: %w", source, key, err)
	}
	return p, nil
}

// ParticipantsBySource maps the source keys of every participant of source to
// their row ids; an import uses it to resolve thousands of keys at once.
func ParticipantsBySource(ctx context.Context, db bun.IDB, source string) (map[string]int64, error) {
	var rows []Participant
	if err := db.NewSelect().Model(&rows).Column("id", "source_key").Where("source = ?", source).Scan(ctx); err != nil {
		return nil, fmt.Errorf("participants of %s: %w", source, err)
	}
	m := make(map[string]int64, len(rows))
	for _, r := range rows {
		m[r.SourceKey] = r.ID
	}
	return m, nil
}
