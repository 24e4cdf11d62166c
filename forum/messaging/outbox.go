package messaging

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// MigrationSet names messaging's migrations in the database.
const MigrationSet = "messaging"

// Migrations create message_outbox: one row per message, written by
// Enqueue in the transaction of the change that causes it. state is
// pending, sent or failed; not_before (Unix milliseconds) is when a pending
// row may next be tried: a retry time after a failure, or the end of the
// lease of the worker sending it; expires_at (Unix milliseconds, 0 for
// never) is when sending stops making sense.
var Migrations = []storage.Migration{{
	Name:    "20261202080000",
	Comment: "create_message_outbox",
	Up: []string{
		`CREATE TABLE message_outbox (
			id {{id}},
			channel VARCHAR(20) NOT NULL,
			recipient VARCHAR(320) NOT NULL,
			subject TEXT NOT NULL,
			body TEXT NOT NULL,
			code VARCHAR(20) NOT NULL,
			lang VARCHAR(10) NOT NULL,
			state VARCHAR(10) NOT NULL,
			created_at {{time}} NOT NULL,
			expires_at BIGINT NOT NULL,
			not_before BIGINT NOT NULL,
			attempts INTEGER NOT NULL DEFAULT 0,
			last_error TEXT NOT NULL DEFAULT '',
			finished_at {{time}})`,
		`CREATE INDEX message_outbox_due ON message_outbox (state, not_before, id)`,
	},
	Down: []string{`DROP TABLE message_outbox`},
}, {
	// The row a message is about, checked again at send time (Message.Ref).
	Name: "20261203074000", Comment: "message_outbox_ref",
	Up:   []string{`ALTER TABLE message_outbox ADD COLUMN ref VARCHAR(100) NOT NULL DEFAULT ''`},
	Down: []string{`ALTER TABLE message_outbox DROP COLUMN ref`},
}, {
	// A message whose body carries a bearer secret (an invitation link):
	// its body is erased once sent, as a code's is (Message.Secret).
	Name: "20261204001000", Comment: "message_outbox_secret",
	Up:   []string{`ALTER TABLE message_outbox ADD COLUMN secret BOOLEAN NOT NULL DEFAULT FALSE`},
	Down: []string{`ALTER TABLE message_outbox DROP COLUMN secret`},
}}

// Migrate applies Migrations to db.
func Migrate(ctx context.Context, db *bun.DB) error {
	return storage.Migrate(ctx, db, MigrationSet, Migrations)
}

// The states of an outbox row.
const (
	StatePending = "pending"
	StateSent    = "sent"
	StateFailed  = "failed"
)

// Record is one row of the outbox, as the staff outbox page lists it.
// Body and Code are empty once a real provider took a message that
// carried a code or a secret.
type Record struct {
	bun.BaseModel `bun:"table:message_outbox"`

	ID         int64     `bun:"id,pk,autoincrement"`
	Channel    Channel   `bun:"channel,notnull"`
	To         string    `bun:"recipient,notnull"`
	Subject    string    `bun:"subject,notnull"`
	Body       string    `bun:"body,notnull"`
	Code       string    `bun:"code,notnull"`
	Lang       string    `bun:"lang,notnull"`
	State      string    `bun:"state,notnull"`
	CreatedAt  time.Time `bun:"created_at,notnull"`
	ExpiresAt  int64     `bun:"expires_at,notnull"`
	NotBefore  int64     `bun:"not_before,notnull"`
	Attempts   int       `bun:"attempts,notnull"`
	LastError  string    `bun:"last_error,notnull"`
	Ref        string    `bun:"ref,notnull"`
	Secret     bool      `bun:"secret,notnull"`
	FinishedAt time.Time `bun:"finished_at,nullzero"`
}

// Message returns the message r holds.
func (r *Record) Message() Message {
	return Message{Channel: r.Channel, To: r.To, Subject: r.Subject, Body: r.Body, Code: r.Code, Lang: r.Lang, Ref: r.Ref, Secret: r.Secret}
}

// Enqueue writes msg to the outbox through db, which should be the
// caller's transaction, so that the message exists exactly when the change
// that causes it commits. The message is not sent after expires (zero
// means no limit: keep trying until the attempts run out). It returns the
// row's id, or an error wrapping ErrPermanent for an unknown channel, an
// empty recipient, or a message with neither body nor code.
func Enqueue(ctx context.Context, db bun.IDB, msg Message, expires, now time.Time) (int64, error) {
	msg.To = strings.TrimSpace(msg.To)
	if !msg.Channel.Valid() || msg.To == "" || (msg.Body == "" && msg.Code == "") {
		return 0, permanent("messaging: enqueue: channel %q, recipient %q: incomplete message", msg.Channel, msg.To)
	}
	r := &Record{Channel: msg.Channel, To: msg.To, Subject: msg.Subject, Body: msg.Body, Code: msg.Code, Lang: msg.Lang,
		Ref: msg.Ref, Secret: msg.Secret, State: StatePending, CreatedAt: now.UTC(), NotBefore: now.UnixMilli()}
	if !expires.IsZero() {
		r.ExpiresAt = expires.UnixMilli()
	}
	if _, err := db.NewInsert().Model(r).Returning("id").Exec(ctx); err != nil {
		return 0, fmt.Errorf("messaging: enqueue %s: %w", msg.Channel, err)
	}
	return r.ID, nil
}

// Recent returns the newest limit rows of the outbox, newest first.
func Recent(ctx context.Context, db bun.IDB, limit int) ([]Record, error) {
	var rows []Record
	if err := db.NewSelect().Model(&rows).Order("id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("messaging: recent: %w", err)
	}
	return rows, nil
}
