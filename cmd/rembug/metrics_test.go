package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeMetricsOnItsOwnListener: with --metrics-addr, /metrics is served
// on that listener and is not on the site's.
func TestServeMetricsOnItsOwnListener(t *testing.T) {
	site, side := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var logs bytes.Buffer
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", site, "--metrics-addr", side}, dbArgs(t, t.TempDir())...),
			&bytes.Buffer{}, &syncWriter{w: &logs})
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	}()
	get := func(u string) (int, string, error) {
		res, err := http.Get(u)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), nil
	}
	var err error
	for i := 0; i < 100; i++ {
		if _, _, err = get("http://" + site + "/healthz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server did not come up: %v", err)
	}
	if code, body, _ := get("http://" + site + "/metrics"); code != http.StatusNotFound || strings.Contains(body, "rembug_build_info") {
		t.Fatalf("site's /metrics: %d", code)
	}
	code, body, err := get("http://" + side + "/metrics")
	if err != nil || code != http.StatusOK || !strings.Contains(body, "rembug_build_info") {
		t.Fatalf("metrics listener: %d %v\n%s", code, err, body)
	}
}
