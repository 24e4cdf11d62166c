// Package storage opens rembug's database and runs the migrations that each
// domain package owns.
//
// rembug runs on SQLite by default (modernc.org/sqlite, pure Go, no cgo) and
// on PostgreSQL at scale (pgx through database/sql), both through bun. The
// same queries and the same tests run on both; the few places where the SQL
// dialects differ go through Dialect helpers here so that domain packages stay
// dialect-free.
//
// SQLite is opened in WAL mode with a busy timeout and immediate transactions,
// so concurrent writers queue instead of failing with "database is locked"
// (see CASES C23). A *bun.DB is safe for concurrent use.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Config says where the database is.
type Config struct {
	// URL is a PostgreSQL URL (postgres://user:pass@host/db?sslmode=disable).
	// When empty, a SQLite file named rembug.db in DataDir is used.
	URL string
	// DataDir holds the SQLite file; it is created if missing.
	DataDir string
	// MaxOpenConns bounds the pool; 0 means a default per dialect.
	MaxOpenConns int
}

// IsPostgres reports whether url names a PostgreSQL database.
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// Open connects to the database named by cfg and checks that it answers.
// It returns an error when the URL is neither empty nor PostgreSQL, when the
// data folder cannot be created, or when the server does not answer.
func Open(ctx context.Context, cfg Config) (*bun.DB, error) {
	var db *bun.DB
	switch {
	case IsPostgres(cfg.URL):
		sqldb, err := sql.Open("pgx", withConnectTimeout(cfg.URL))
		if err != nil {
			return nil, fmt.Errorf("storage: open postgres: %w", err)
		}
		n := cfg.MaxOpenConns
		if n == 0 {
			n = 20
		}
		sqldb.SetMaxOpenConns(n)
		sqldb.SetMaxIdleConns(n)
		db = bun.NewDB(sqldb, pgdialect.New())
	case cfg.URL == "":
		if cfg.DataDir == "" {
			return nil, errors.New("storage: no database URL and no data folder")
		}
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("storage: create data folder: %w", err)
		}
		path := filepath.Join(cfg.DataDir, "rembug.db")
		var err error
		db, err = OpenSQLite(path, cfg.MaxOpenConns)
		if err != nil {
			return nil, err
		}
		if err := withFileLockAt(path, func() error { return db.PingContext(ctx) }); err != nil {
			db.Close()
			return nil, fmt.Errorf("storage: ping: %w", err)
		}
		return db, nil
	default:
		return nil, fmt.Errorf("storage: unsupported database URL scheme in %q (want postgres:// or empty for SQLite)", redact(cfg.URL))
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("storage: ping: %w", err)
	}
	return db, nil
}

// connectTimeout bounds a new PostgreSQL connection when the URL does not
// set connect_timeout, so that a request fails fast (503) while the server
// is unreachable instead of hanging until the operating system gives up.
const connectTimeout = "5"

// withConnectTimeout adds connect_timeout=5 (seconds) to a PostgreSQL URL
// that has none.
func withConnectTimeout(url string) string {
	if strings.Contains(url, "connect_timeout=") {
		return url
	}
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "connect_timeout=" + connectTimeout
}

// OpenSQLite opens (creating if needed) the SQLite file at path with WAL,
// a 10 s busy timeout, foreign keys on and BEGIN IMMEDIATE transactions.
// maxConns of 0 means 8 connections: readers run in parallel under WAL, and
// writers serialize on SQLite's write lock.
func OpenSQLite(path string, maxConns int) (*bun.DB, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("storage: open sqlite %s: %w", path, err)
	}
	if maxConns == 0 {
		maxConns = 8
	}
	sqldb.SetMaxOpenConns(maxConns)
	sqldb.SetMaxIdleConns(maxConns)
	sqldb.SetConnMaxLifetime(0)
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// Postgres reports whether db speaks PostgreSQL's dialect.
func Postgres(db bun.IDB) bool {
	return db.Dialect().Name() == dialect.PG
}

// SetBytes writes data into column of the row id of table, through the
// driver's own parameter binding rather than bun's query text (which
// would spell the bytes out in hex): the one way file contents, logos and
// images are stored. db is a bun.Tx or a *bun.DB; table and column are
// the caller's constants, never user input.
func SetBytes(ctx context.Context, db bun.IDB, table, column string, id int64, data []byte) error {
	stmt := "UPDATE " + table + " SET " + column + " = ? WHERE id = ?"
	if Postgres(db) {
		stmt = "UPDATE " + table + " SET " + column + " = $1 WHERE id = $2"
	}
	var err error
	switch x := db.(type) {
	case bun.Tx:
		_, err = x.Tx.ExecContext(ctx, stmt, data, id)
	case *bun.DB:
		_, err = x.DB.ExecContext(ctx, stmt, data, id)
	default:
		return fmt.Errorf("store %s.%s of %d: unsupported handle %T", table, column, id, db)
	}
	if err != nil {
		return fmt.Errorf("store %s.%s of %d: %w", table, column, id, err)
	}
	return nil
}

func redact(url string) string {
	if i := strings.Index(url, "@"); i >= 0 {
		if j := strings.Index(url, "://"); j >= 0 && j < i {
			return url[:j+3] + "…" + url[i:]
		}
	}
	return url
}
