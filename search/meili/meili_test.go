package meili_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/meili"
	"github.com/rembug/rembug/search/searchtest"
)

// envMeiliURL and envMeiliKey point the contract at a Meilisearch server.
const (
	envMeiliURL = "REMBUG_TEST_MEILI_URL"
	envMeiliKey = "REMBUG_TEST_MEILI_KEY"
)

// newTestMeili returns a fresh Meilisearch index, deleted by tb.Cleanup, or
// skips tb when no server is configured.
func newTestMeili(tb testing.TB) *meili.Index {
	tb.Helper()
	url := os.Getenv(envMeiliURL)
	if url == "" {
		tb.Skipf("%s is not set: no Meilisearch server to test against", envMeiliURL)
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	m, err := meili.New(ctx, url, os.Getenv(envMeiliKey), "rembug_test_"+hex.EncodeToString(b[:]))
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	tb.Cleanup(func() {
		if err := m.Drop(ctx); err != nil {
			tb.Errorf("drop index: %v", err)
		}
		m.Close()
	})
	return m
}

func TestMeiliContract(t *testing.T) {
	newTestMeili(t).Close() // skip early when no server is configured
	searchtest.Run(t, func(t *testing.T) search.Index { return newTestMeili(t) })
}

func TestMeiliUnreachable(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := meili.New(ctx, "http://127.0.0.1:1", "", "rembug"); err == nil {
		t.Fatal("New with no server: no error")
	}
}
