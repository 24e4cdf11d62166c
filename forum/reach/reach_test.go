package reach

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/storage/storagetest"
)

// TestRecordCountsByChannel: 40 concurrent arrivals over two channels and
// an unknown tag count 20 and 20, by WIB day.
func TestRecordCountsByChannel(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC on 1 March is 06:30 WIB on 2 March.
	at := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for i := range 41 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			src := []string{"wa", "tg", "evil"}[i%2+i/40*2]
			if _, err := Record(ctx, db, src, 7, at); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := ByChannel(ctx, db, 7, "2026-03-02", "2026-03-02")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["wa"] != 20 || got["tg"] != 20 {
		t.Fatalf("by channel %v, want wa 20 and tg 20", got)
	}
	if got, _ := ByChannel(ctx, db, 7, "2026-03-01", "2026-03-01"); len(got) != 0 {
		t.Fatalf("UTC day counted: %v", got)
	}
}

func TestLinks(t *testing.T) {
	ls := Links("https://rembug.contoh.go.id/k/taman?view=list", "Taman & kota")
	if len(ls) != 4 {
		t.Fatalf("%d links", len(ls))
	}
	for _, l := range ls {
		u, err := url.Parse(l.Href)
		if err != nil || u.Scheme != "https" {
			t.Fatalf("%s: %q", l.Channel, l.Href)
		}
		var shared string
		for _, k := range []string{"u", "url", "text"} {
			if v := u.Query().Get(k); strings.Contains(v, "https://rembug") {
				shared = v[strings.Index(v, "https://"):]
			}
		}
		su, err := url.Parse(shared)
		if err != nil || su.Query().Get("src") != l.Channel || su.Query().Get("view") != "list" {
			t.Fatalf("%s shares %q", l.Channel, shared)
		}
	}
}
