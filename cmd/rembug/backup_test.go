package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/bleve"
)

// seedSQLite fills a SQLite data folder: an imported Pol.is conversation
// (consultation, statement, votes), a user with a session, and a file
// beside the database. It returns the session's clear token.
func seedSQLite(t *testing.T, data string) string {
	t.Helper()
	ctx := context.Background()
	var out bytes.Buffer
	export := writeExport(t, "timestamp,datetime,comment-id,voter-id,vote\n1600000010000,x,0,0,1\n1600000010000,x,0,1,-1\n")
	if err := run(ctx, []string{"import", "polis", "--data", data, export}, &out, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	db, err := storage.Open(ctx, storage.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u := &forum.User{DisplayName: "Warga", Email: "warga@contoh.test", Role: forum.RoleParticipant}
	if err := forumtest.CreateUser(ctx, db, u, time.Now()); err != nil {
		t.Fatal(err)
	}
	tok, err := forum.CreateSession(ctx, db, u.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(data, "extra"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "extra", "catatan.txt"), []byte("catatan operator"), 0o600); err != nil {
		t.Fatal(err)
	}
	return tok
}

func sqliteCounts(t *testing.T, data string) map[string]int64 {
	t.Helper()
	db, err := storage.OpenSQLite(filepath.Join(data, "rembug.db"), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := countTables(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBackupRestore backs up a SQLite data folder, checks that the archive
// holds the session only as a hash, restores it into an empty folder and
// compares every table's row count, the extra file and a search over the
// rebuilt index. Restoring over a database, or a truncated archive, is
// refused and leaves no database behind.
func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "pulih")
	tok := seedSQLite(t, src)
	archive := filepath.Join(t.TempDir(), "rembug-backup.tar.gz")
	var out bytes.Buffer
	if err := run(ctx, []string{"backup", "--data", src, "--out", archive}, &out, &out); err != nil {
		t.Fatalf("backup: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "backup written to") {
		t.Fatalf("backup output: %s", out.String())
	}
	names, body := readArchive(t, archive)
	for _, want := range []string{"MANIFEST.json", "rembug.db", "data/extra/catatan.txt"} {
		if !names[want] {
			t.Errorf("archive lacks %s (has %v)", want, names)
		}
	}
	if bytes.Contains(body, []byte(tok)) {
		t.Fatal("the archive holds a session token in clear")
	}

	out.Reset()
	if err := run(ctx, []string{"restore", archive, "--data", dst}, &out, &out); err != nil {
		t.Fatalf("restore: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "restored") {
		t.Fatalf("restore output: %s", out.String())
	}
	want, got := sqliteCounts(t, src), sqliteCounts(t, dst)
	for table, n := range want {
		if table == "search_cursors" {
			continue // the rebuilt index's own cursor (search/cursor.go)
		}
		if got[table] != n {
			t.Errorf("%s: %d rows after restore, %d before", table, got[table], n)
		}
	}
	if want["sessions"] != 1 || want["statement_votes"] == 0 {
		t.Fatalf("seed did not land: %v", want)
	}
	if b, err := os.ReadFile(filepath.Join(dst, "extra", "catatan.txt")); err != nil || string(b) != "catatan operator" {
		t.Fatalf("extra file: %q %v", b, err)
	}
	idx, err := bleve.Open(filepath.Join(dst, "search"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := idx.Search(ctx, search.Query{Text: "jalan desa"})
	idx.Close()
	if err != nil || res.Total == 0 {
		t.Fatalf("search after restore: %+v %v", res, err)
	}

	if err := run(ctx, []string{"restore", archive, "--data", dst}, &out, &out); err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Fatalf("restore over a database: %v", err)
	}
	raw, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.tar.gz")
	if err := os.WriteFile(cut, raw[:len(raw)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	if err := run(ctx, []string{"restore", cut, "--data", empty}, &out, &out); err == nil {
		t.Fatal("a truncated archive was restored")
	}
	if _, err := os.Stat(filepath.Join(empty, "rembug.db")); !os.IsNotExist(err) {
		t.Fatalf("a failed restore left a database: %v", err)
	}

	// A mistyped --data must fail, not back up a fresh empty database.
	typo := filepath.Join(t.TempDir(), "no-such-folder")
	if err := run(ctx, []string{"backup", "--data", typo, "--out", filepath.Join(t.TempDir(), "typo.tar.gz")}, &out, &out); err == nil || !strings.Contains(err.Error(), "no database") {
		t.Fatalf("backup of a missing data folder: %v", err)
	}
	if _, err := os.Stat(typo); !os.IsNotExist(err) {
		t.Fatalf("a backup of a missing folder created it: %v", err)
	}
}

// readArchive returns the names in a .tar.gz and all its bytes unpacked.
func readArchive(t *testing.T, path string) (map[string]bool, []byte) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	names := map[string]bool{}
	var all bytes.Buffer
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names[h.Name] = true
		io.Copy(&all, tr) //nolint:errcheck // a short read fails the checks
	}
	return names, all.Bytes()
}

// TestPostgresDumpRestore follows the README's PostgreSQL backup: pg_dump
// of a seeded database (here one schema), the schema dropped, pg_restore,
// and the same row count in every table. It skips, saying why, without
// PostgreSQL or without the pg_dump and pg_restore programs.
func TestPostgresDumpRestore(t *testing.T) {
	base := os.Getenv(storagetest.EnvURL)
	if base == "" {
		t.Skip("needs PostgreSQL: set " + storagetest.EnvURL)
	}
	for _, prog := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(prog); err != nil {
			t.Skipf("%s not installed (apt-get install postgresql-client)", prog)
		}
	}
	ctx := context.Background()
	args := dbArgs(t, t.TempDir())
	var out bytes.Buffer
	export := writeExport(t, "timestamp,datetime,comment-id,voter-id,vote\n1600000010000,x,0,0,1\n1600000010000,x,0,1,-1\n")
	if err := run(ctx, append(append([]string{"import", "polis"}, args...), export), &out, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	u, err := url.Parse(args[len(args)-1])
	if err != nil {
		t.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	before := pgCounts(t, admin, schema)
	if before["statement_votes"] != 2 {
		t.Fatalf("seed: %v", before)
	}
	dump := filepath.Join(t.TempDir(), "rembug.dump")
	if b, err := exec.Command("pg_dump", "--format=custom", "--no-owner", "--schema="+schema, "--file="+dump, "--dbname="+base).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, b)
	}
	if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("pg_restore", "--no-owner", "--exit-on-error", "--dbname="+base, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, b)
	}
	after := pgCounts(t, admin, schema)
	if len(after) != len(before) {
		t.Fatalf("%d tables after restore, %d before", len(after), len(before))
	}
	for table, n := range before {
		if after[table] != n {
			t.Errorf("%s: %d rows after restore, %d before", table, after[table], n)
		}
	}
}

func pgCounts(t *testing.T, db *sql.DB, schema string) map[string]int64 {
	t.Helper()
	rows, err := db.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'", schema)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	counts := map[string]int64{}
	for _, n := range names {
		var c int64
		if err := db.QueryRow(`SELECT COUNT(*) FROM "` + schema + `"."` + n + `"`).Scan(&c); err != nil {
			t.Fatal(err)
		}
		counts[n] = c
	}
	return counts
}
