// Package storagetest gives tests a fresh, empty database: a SQLite file in a
// temporary folder, or, when REMBUG_TEST_DATABASE_URL names a PostgreSQL
// server, a fresh schema on it that is dropped when the test ends. The same
// store tests therefore run on both dialects.
package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// EnvURL is the variable that points the store tests at PostgreSQL.
const EnvURL = "REMBUG_TEST_DATABASE_URL"

// NewDB returns an empty database for tb, closed (and on PostgreSQL dropped)
// by tb.Cleanup. It fails tb when the database cannot be reached.
func NewDB(tb testing.TB) *bun.DB {
	tb.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		db, err := storage.OpenSQLite(filepath.Join(tb.TempDir(), "test.db"), 0)
		if err != nil {
			tb.Fatalf("open sqlite: %v", err)
		}
		tb.Cleanup(func() { db.Close() })
		return db
	}
	return newPostgres(tb, base)
}

// URL returns a database URL for a process under test (for example a second
// node): "" for SQLite in dir, or a fresh PostgreSQL schema when EnvURL is set.
func URL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		return ""
	}
	return schemaURL(tb, base)
}

func newPostgres(tb testing.TB, base string) *bun.DB {
	u := schemaURL(tb, base)
	db, err := storage.Open(context.Background(), storage.Config{URL: u, MaxOpenConns: 10})
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// schemaURL creates a fresh schema on base and returns base with its
// search_path set to it; the schema is dropped when tb ends.
func schemaURL(tb testing.TB, base string) string {
	tb.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatal(err)
	}
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE") //nolint:errcheck // cleanup
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
