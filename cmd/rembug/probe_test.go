package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum/storage"
)

// TestProbe records an up and then a down check of a site in the
// heartbeats table; a down site makes the command fail.
func TestProbe(t *testing.T) {
	status := http.StatusOK
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }))
	defer site.Close()
	dir := t.TempDir()
	args := dbArgs(t, dir)
	var out bytes.Buffer
	if err := run(context.Background(), append(append([]string{"probe"}, args...), site.URL), &out, &out); err != nil || !strings.Contains(out.String(), "up: 200") {
		t.Fatalf("probe of a healthy site: %v %q", err, out.String())
	}
	status = http.StatusServiceUnavailable
	out.Reset()
	if err := run(context.Background(), append(append([]string{"probe"}, args...), site.URL), &out, &out); err == nil || !strings.Contains(out.String(), "status 503") {
		t.Fatalf("probe of a failing site: %v %q", err, out.String())
	}
	if err := run(context.Background(), append(append([]string{"probe"}, args...), "ftp://x"), &out, &out); err == nil {
		t.Fatal("probe accepted an ftp URL")
	}
	url := ""
	for i, a := range args {
		if a == "--database-url" {
			url = args[i+1]
		}
	}
	db, err := storage.Open(context.Background(), storage.Config{URL: url, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var downs, rows int
	if err := db.NewRaw(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN ok THEN 0 ELSE 1 END), 0) FROM heartbeats WHERE probe AND source LIKE 'probe:127.0.0.1:%'`).
		Scan(context.Background(), &rows, &downs); err != nil {
		t.Fatal(err)
	}
	if rows < 1 || downs < 1 {
		t.Errorf("heartbeats: %d probe rows, %d down; want the failure recorded", rows, downs)
	}
}
