package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// The layout of a backup archive (a gzip-compressed tar file):
//
//	MANIFEST.json   backupManifest: format, version, time, row count per table
//	rembug.db       a consistent copy of the SQLite database (VACUUM INTO),
//	                uploaded files included (they live in the database)
//	data/...        any other file of the data folder, e.g. files a later
//	                version keeps beside the database
//
// The search index is not in it: restore rebuilds it from the database.
const (
	backupManifestName = "MANIFEST.json"
	backupDBName       = "rembug.db"
	backupDataPrefix   = "data/"
	backupFormat       = 1
)

// backupManifest describes an archive; Tables maps each table to its row
// count at the time of the copy, which restore checks.
type backupManifest struct {
	Format  int              `json:"format"`
	Version string           `json:"version"`
	Created time.Time        `json:"created"`
	Tables  map[string]int64 `json:"tables"`
}

const backupUsage = `usage: rembug backup --out FILE [--data DIR]
       rembug restore FILE --data DIR
backup writes a consistent copy of the SQLite database (with uploaded files)
and the other files of the data folder into one .tar.gz, while the site keeps
running. restore unpacks it into an empty data folder, checks every table's
row count against the archive and rebuilds the search index. On PostgreSQL
use pg_dump and pg_restore instead (README "Backups").
`

// backupCmd writes the archive to --out (through a temporary file renamed
// at the end, so a failed backup never leaves a truncated FILE).
func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("rembug backup", flag.ContinueOnError)
	fset.SetOutput(stderr)
	cfg := flags(fset)
	out := fset.String("out", "", "the archive to write (.tar.gz)")
	if _, err := parseInterleaved(fset, args); err != nil {
		return errUsage
	}
	if *out == "" {
		fmt.Fprint(stderr, backupUsage)
		return errUsage
	}
	if cfg.DatabaseURL != "" {
		return errors.New("backup: the database is PostgreSQL; back it up with pg_dump (README \"Backups\")")
	}
	// Opening a missing database would create and migrate an empty one, and
	// a mistyped --data in a cron job would then write good-looking empty
	// backups: a backup only reads a database that is already there.
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "rembug.db")); err != nil {
		return fmt.Errorf("backup: no database in %s (rembug.db): %w", cfg.DataDir, err)
	}
	start := time.Now()
	db, err := cfg.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	tmp, err := os.MkdirTemp(filepath.Dir(*out), ".rembug-backup-")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, backupDBName)
	if _, err := db.ExecContext(ctx, "VACUUM INTO '"+strings.ReplaceAll(snap, "'", "''")+"'"); err != nil {
		return fmt.Errorf("backup: copy the database: %w", err)
	}
	m := backupManifest{Format: backupFormat, Version: version, Created: time.Now().UTC()}
	if m.Tables, err = countSnapshot(ctx, snap); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	part := filepath.Join(tmp, "archive.tar.gz")
	if err := writeArchive(part, m, snap, cfg.DataDir); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(part, *out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	st, err := os.Stat(*out)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	var rows int64
	for _, n := range m.Tables {
		rows += n
	}
	fmt.Fprintf(stdout, "backup written to %s: %d tables, %d rows, %d bytes in %v\n",
		*out, len(m.Tables), rows, st.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}

// countSnapshot opens the copied database file and counts every table's
// rows.
func countSnapshot(ctx context.Context, path string) (map[string]int64, error) {
	db, err := storage.OpenSQLite(path, 1)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return countTables(ctx, db)
}

// countTables counts the rows of every table of a SQLite database (SQLite's
// own tables aside).
func countTables(ctx context.Context, db *bun.DB) (map[string]int64, error) {
	var names []string
	if err := db.NewSelect().Table("sqlite_master").Column("name").Where("type = 'table'").
		Where("name NOT LIKE 'sqlite_%'").Scan(ctx, &names); err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	counts := make(map[string]int64, len(names))
	for _, n := range names {
		var c int64
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+n+`"`).Scan(&c); err != nil {
			return nil, fmt.Errorf("count %s: %w", n, err)
		}
		counts[n] = c
	}
	return counts, nil
}

// writeArchive writes the manifest, the database copy and the data
// folder's other files (not the live database files, not the search
// index) into a new .tar.gz at path.
func writeArchive(path string, m backupManifest, snap, dataDir string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: backupManifestName, Mode: 0o600, Size: int64(len(body)), ModTime: m.Created}); err != nil {
		return err
	}
	if _, err := tw.Write(body); err != nil {
		return err
	}
	if err := addFile(tw, snap, backupDBName); err != nil {
		return err
	}
	var extra []string
	err = filepath.WalkDir(dataDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dataDir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir() && rel == "search":
			return fs.SkipDir // rebuilt on restore
		case d.IsDir() && strings.HasPrefix(d.Name(), ".rembug-backup-"):
			return fs.SkipDir // a backup in progress
		case !d.Type().IsRegular(), strings.HasPrefix(rel, "rembug.db"):
			return nil // the live database and its WAL: the copy stands for them
		}
		extra = append(extra, rel)
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(extra)
	for _, rel := range extra {
		if err := addFile(tw, filepath.Join(dataDir, filepath.FromSlash(rel)), backupDataPrefix+rel); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func addFile(tw *tar.Writer, path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime()}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}
