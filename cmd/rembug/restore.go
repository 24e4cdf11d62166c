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
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rembug/rembug/forum/storage"
)

// restoreCmd unpacks a `rembug backup` archive into --data, which must not
// hold a database yet, checks each table's row count against the manifest,
// applies newer migrations and rebuilds the search index from the restored
// database. On any error the data folder's new database is removed, so a
// failed restore leaves nothing half-written to start a site on.
func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fset := flag.NewFlagSet("rembug restore", flag.ContinueOnError)
	fset.SetOutput(stderr)
	cfg := flags(fset)
	pos, perr := parseInterleaved(fset, args)
	if perr != nil || len(pos) != 1 || !flagSet(fset, "data") {
		fmt.Fprint(stderr, backupUsage)
		return errUsage
	}
	if cfg.DatabaseURL != "" {
		return errors.New("restore: the database is PostgreSQL; restore it with pg_restore (README \"Backups\")")
	}
	start := time.Now()
	dbPath := filepath.Join(cfg.DataDir, backupDBName)
	if _, err := os.Stat(dbPath); err == nil {
		return fmt.Errorf("restore: %s already holds a database; restore into an empty folder", cfg.DataDir)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer func() {
		if err != nil {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(dbPath + suffix)
			}
		}
	}()
	m, err := unpack(pos[0], cfg.DataDir)
	if err != nil {
		return fmt.Errorf("restore %s: %w", pos[0], err)
	}
	snap, err := storage.OpenSQLite(dbPath, 1)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	got, err := countTables(ctx, snap)
	snap.Close()
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if diff := countDiff(m.Tables, got); diff != "" {
		return fmt.Errorf("restore %s: the restored database differs from the archive: %s", pos[0], diff)
	}
	db, err := cfg.openDB(ctx) // applies this version's newer migrations
	if err != nil {
		return err
	}
	defer db.Close()
	idx, _, err := cfg.openSearch(ctx)
	if err != nil {
		return err
	}
	defer idx.Close()
	sources, err := searchSources()
	if err != nil {
		return err
	}
	n, err := cfg.indexer(db, idx, sources, cfg.logger(stderr)).Rebuild(ctx)
	if err != nil {
		return fmt.Errorf("restore: rebuild the search index: %w", err)
	}
	var rows int64
	for _, c := range got {
		rows += c
	}
	fmt.Fprintf(stdout, "restored %s (made %s by rembug %s) into %s: %d tables, %d rows, %d search documents in %v\n",
		pos[0], m.Created.Format(time.RFC3339), m.Version, cfg.DataDir, len(got), rows, n, time.Since(start).Round(time.Millisecond))
	return nil
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// unpack extracts archive into dir and returns its manifest. It refuses an
// archive without a manifest or a database, of an unknown format, or with
// a name that would land outside dir.
func unpack(archive, dir string) (backupManifest, error) {
	var m backupManifest
	f, err := os.Open(archive)
	if err != nil {
		return m, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return m, fmt.Errorf("not a rembug backup (gzip): %w", err)
	}
	tr := tar.NewReader(gz)
	var sawManifest, sawDB bool
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return m, fmt.Errorf("read archive: %w", err)
		}
		name := path.Clean(h.Name)
		switch {
		case h.Typeflag != tar.TypeReg:
			return m, fmt.Errorf("%s: not a regular file", h.Name)
		case name == backupManifestName:
			if err := json.NewDecoder(tr).Decode(&m); err != nil {
				return m, fmt.Errorf("%s: %w", h.Name, err)
			}
			if m.Format != backupFormat {
				return m, fmt.Errorf("%s: format %d, this rembug reads %d", h.Name, m.Format, backupFormat)
			}
			sawManifest = true
		case name == backupDBName:
			if err := extract(tr, filepath.Join(dir, backupDBName)); err != nil {
				return m, err
			}
			sawDB = true
		case strings.HasPrefix(name, backupDataPrefix) && !strings.Contains(name, ".."):
			rel := strings.TrimPrefix(name, backupDataPrefix)
			if rel == "" || rel == "search" || strings.HasPrefix(rel, "search/") || strings.HasPrefix(rel, "rembug.db") {
				return m, fmt.Errorf("%s: not allowed in a backup", h.Name)
			}
			if err := extract(tr, filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
				return m, err
			}
		default:
			return m, fmt.Errorf("%s: unexpected name in a rembug backup", h.Name)
		}
	}
	if !sawManifest || !sawDB {
		return m, fmt.Errorf("not a rembug backup: %s or %s missing", backupManifestName, backupDBName)
	}
	return m, nil
}

func extract(r io.Reader, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o750); err != nil {
		return err
	}
	f, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// countDiff lists the tables whose counts differ, "" when none do.
func countDiff(want, got map[string]int64) string {
	var out []string
	for t, n := range want {
		if got[t] != n {
			out = append(out, fmt.Sprintf("%s: %d rows, archive says %d", t, got[t], n))
		}
	}
	for t := range got {
		if _, ok := want[t]; !ok {
			out = append(out, t+": not in the archive")
		}
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}
