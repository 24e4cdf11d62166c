package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/storage/storagetest"
)

// dbArgs points a subcommand at a fresh database: a SQLite file in dir, or a
// fresh PostgreSQL schema when REMBUG_TEST_DATABASE_URL is set.
func dbArgs(t *testing.T, dir string) []string {
	args := []string{"--data", dir}
	if u := storagetest.URL(t); u != "" {
		args = append(args, "--database-url", u)
	}
	return args
}

func writeExport(t *testing.T, votes string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"summary.csv": "topic,Jalan desa\nurl,https://pol.is/cli1\n",
		"comments.csv": "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n" +
			"1600000000000,x,0,0,1,0,1,Perbaiki jalan desa\n",
		"votes.csv": votes,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestImportCommand(t *testing.T) {
	data := t.TempDir()
	db := dbArgs(t, data)
	var out, errOut bytes.Buffer
	bad := writeExport(t, "timestamp,datetime,comment-id,voter-id,vote\n1600000010000,x,0,0,1\n1600000010000,x,0,1,7\n")
	err := run(context.Background(), append(append([]string{"import", "polis"}, db...), bad), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "votes.csv, row 3") || !strings.Contains(err.Error(), "nothing was imported") {
		t.Fatalf("bad import: err %v", err)
	}
	good := writeExport(t, "timestamp,datetime,comment-id,voter-id,vote\n1600000010000,x,0,0,1\n")
	if err := run(context.Background(), append(append([]string{"import", "polis"}, db...), good), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "1 statements (0 hidden), 1 participants, 1 votes") {
		t.Fatalf("import output: %s", out.String())
	}
	if err := run(context.Background(), []string{"import", "nope", "x"}, &out, &errOut); err == nil {
		t.Fatal("unknown import kind accepted")
	}
}

func TestVersionAndMigrate(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--version"}, &out, &out); err != nil || !strings.Contains(out.String(), "rembug dev") {
		t.Fatalf("--version: %v %q", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), append([]string{"migrate"}, dbArgs(t, t.TempDir())...), &out, &out); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if err := run(context.Background(), []string{"frobnicate"}, &out, &out); err == nil {
		t.Fatal("unknown command accepted")
	}
}

// TestServeShutsDownGracefully starts the site, checks /healthz and
// /readyz, and stops it the way SIGTERM does (by cancelling the context):
// during the drain delay /readyz answers 503 "draining" while pages are
// still served, then serve returns.
func TestServeShutsDownGracefully(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var logs bytes.Buffer
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", addr, "--drain-delay", "1s"}, dbArgs(t, t.TempDir())...), &bytes.Buffer{}, &syncWriter{w: &logs})
	}()
	var res *http.Response
	for i := 0; i < 100; i++ {
		if res, err = http.Get("http://" + addr + "/healthz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server did not come up: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("healthz: %d", res.StatusCode)
	}
	if code, body := fetchBody(t, "http://"+addr+"/readyz"); code != 200 || !strings.Contains(body, `"search":"ok"`) {
		t.Fatalf("readyz: %d %s", code, body)
	}
	cancel()
	for i := 0; ; i++ {
		code, body := fetchBody(t, "http://"+addr+"/readyz")
		if code == 503 && strings.Contains(body, `"draining"`) {
			break
		}
		if i == 20 {
			t.Fatalf("readyz after SIGTERM: %d %s", code, body)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if code, _ := fetchBody(t, "http://"+addr+"/"); code != 200 {
		t.Fatalf("home page while draining: %d", code)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func fetchBody(t *testing.T, u string) (int, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestCLIErrorsAreReadable: domain errors reach the terminal as messages,
// not translation keys, and usage mistakes say what is wrong.
func TestCLIErrorsAreReadable(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"poll", "export", "424242"}, dbArgs(t, t.TempDir())...), &out, &errOut)
	if err == nil {
		t.Fatal("exporting a missing poll succeeded")
	}
	t.Setenv("REMBUG_LANG", "en")
	if got := describe(err); strings.Contains(got, "error.not_found") || !strings.Contains(got, "not found") {
		t.Fatalf("describe = %q", got)
	}
	errOut.Reset()
	err = run(context.Background(), append([]string{"user", "create", "--email", "warga@example.test", "--role", "participant"}, dbArgs(t, t.TempDir())...), &out, &errOut)
	if err == nil || !strings.Contains(errOut.String(), "must be admin, moderator or analyst") {
		t.Fatalf("participant role: err %v, stderr %q", err, errOut.String())
	}
}
