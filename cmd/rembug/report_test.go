package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

func TestReportAndExportCommands(t *testing.T) {
	data := t.TempDir()
	db := dbArgs(t, data)
	ctx := context.Background()
	runOK := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		full := append(append([]string{}, args...), db...)
		if args[0] == "import" { // package flag stops at the first positional
			full = append(append(append([]string{}, args[:2]...), db...), args[2:]...)
		}
		if err := run(ctx, full, &out, &errOut); err != nil {
			t.Fatalf("rembug %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
		}
		return out.String()
	}
	src := writeExport(t, "timestamp,datetime,comment-id,voter-id,vote\n1600000010000,x,0,0,1\n1600000011000,x,0,1,-1\n")
	runOK("import", "polis", src)
	slug := "jalan-desa"

	runOK("user", "create", "--email", "admin@example.test", "--role", "admin")
	runOK("user", "create", "--email", "mod@example.test", "--role", "moderator")
	for _, as := range [][]string{nil, {"--as", "mod@example.test"}, {"--as", "nobody@example.test"}} {
		var out, errOut bytes.Buffer
		if err := run(ctx, append(append([]string{"report", "publish", slug}, as...), db...), &out, &errOut); err == nil {
			t.Fatalf("report publish %v: accepted\n%s", as, out.String())
		}
	}
	if out := runOK("report", "publish", slug, "--as", "ADMIN@example.test"); !strings.Contains(out, "published") {
		t.Fatalf("publish: %s", out)
	}
	// The command goes through forum.Store.PublishReport, so the audit log
	// names the admin, as it does for the report page's button.
	cfg := &config{DataDir: data}
	if len(db) == 4 {
		cfg.DatabaseURL = db[3]
	}
	adb, err := cfg.openDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var actor string
	err = adb.NewRaw(`SELECT u.email FROM audit_log a JOIN users u ON u.id = a.actor_user_id WHERE a.action = ?`, forum.AuditReportPublish).Scan(ctx, &actor)
	adb.Close()
	if err != nil || actor != "admin@example.test" {
		t.Fatalf("audit actor of the publication: %q (%v), want admin@example.test", actor, err)
	}
	js := runOK("report", slug, "--format", "json")
	var rep struct {
		Consultation struct {
			ReportPublished bool `json:"report_published"`
		} `json:"consultation"`
		Opinion struct {
			Reason string `json:"reason"`
		} `json:"opinion"`
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil || !rep.Consultation.ReportPublished || rep.Opinion.Reason == "" {
		t.Fatalf("json report: %v\n%s", err, js)
	}
	if md := runOK("report", slug, "--format", "md", "--lang", "en"); !strings.Contains(md, "Not enough data yet") {
		t.Fatalf("md report:\n%s", md)
	}
	// Every CSV starts with a byte order mark and ends lines with CRLF
	// (forum.CSVWriter), so Excel opens it as UTF-8.
	csv := runOK("report", slug, "--format", "csv")
	if !strings.HasPrefix(csv, "\ufeff") {
		t.Fatalf("csv report has no byte order mark: %q", csv[:min(len(csv), 20)])
	}
	csv = strings.ReplaceAll(strings.TrimPrefix(csv, "\ufeff"), "\r\n", "\n")
	if !strings.HasPrefix(csv, "statement-id,") || !strings.Contains(csv, "Perbaiki jalan desa") ||
		!strings.Contains(csv, "\n# proposals\nrank,proposal-id,") || !strings.Contains(csv, "\n# polls\n") {
		t.Fatalf("csv report:\n%s", csv)
	}
	csvDir := filepath.Join(t.TempDir(), "tables") + "/"
	if out := runOK("report", slug, "--format", "csv", "--out", csvDir); !strings.Contains(out, "proposals.csv") {
		t.Fatalf("csv files: %s", out)
	}
	for _, f := range []string{"statements.csv", "participation.csv", "proposals.csv", "polls.csv", "key-terms.csv"} {
		if _, err := os.Stat(filepath.Join(csvDir, f)); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "r.html")
	runOK("report", slug, "--out", file)
	html, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(html), "<style>") || !strings.Contains(string(html), "Belum cukup data") {
		t.Fatalf("html report: %v\n%s", err, html)
	}
	dir := filepath.Join(t.TempDir(), "open")
	if out := runOK("export", "polis", slug, dir); !strings.Contains(out, "2 participants, 2 votes") {
		t.Fatalf("export: %s", out)
	}
	for _, f := range []string{"summary.csv", "comments.csv", "votes.csv", "participants-votes.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	if err := run(ctx, append([]string{"report", slug, "--format", "pdf"}, db...), &out, &errOut); err == nil {
		t.Fatal("unknown format accepted")
	}
	errOut.Reset()
	if err := run(ctx, append([]string{"report", slug, "--lang", "fr"}, db...), &out, &errOut); err == nil ||
		!strings.Contains(errOut.String(), `unknown language "fr"`) {
		t.Fatalf("unknown language accepted: %v %q", err, errOut.String())
	}
}
