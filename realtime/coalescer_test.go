package realtime

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

type flushRecord struct {
	key string
	v   int
	at  time.Time
}

func TestCoalescer(t *testing.T) {
	const interval = 40 * time.Millisecond
	cases := []struct {
		name   string
		keys   int
		sets   int           // per key
		pause  time.Duration // between sets
		before time.Duration // wait before Close
	}{
		{"single set flushes at once", 1, 1, 0, 20 * time.Millisecond},
		{"burst on one key", 1, 300, 500 * time.Microsecond, 0},
		{"burst on many keys", 5, 200, 500 * time.Microsecond, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var got []flushRecord
			c := NewCoalescer(interval, func(key string, v int) {
				mu.Lock()
				got = append(got, flushRecord{key, v, time.Now()})
				mu.Unlock()
			})
			start := time.Now()
			for i := 1; i <= tc.sets; i++ {
				for k := 0; k < tc.keys; k++ {
					c.Set(strconv.Itoa(k), i)
				}
				time.Sleep(tc.pause)
			}
			elapsed := time.Since(start)
			time.Sleep(tc.before)
			mu.Lock()
			flushedBeforeClose := len(got)
			mu.Unlock()
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			c.Set("0", -1) // ignored after Close
			if tc.before > 0 && flushedBeforeClose == 0 {
				t.Errorf("nothing flushed within %v of an idle Set", tc.before)
			}
			last := map[string]flushRecord{}
			for _, r := range got {
				if prev, ok := last[r.key]; ok && r.at.Sub(prev.at) < interval-5*time.Millisecond && r.v != tc.sets {
					t.Errorf("key %s flushed twice within %v", r.key, r.at.Sub(prev.at))
				}
				last[r.key] = r
			}
			maxPerKey := int(elapsed/interval) + 2
			for k := 0; k < tc.keys; k++ {
				key := strconv.Itoa(k)
				if last[key].v != tc.sets {
					t.Errorf("key %s: last flushed %d, want latest %d", key, last[key].v, tc.sets)
				}
			}
			if len(got) > tc.keys*maxPerKey {
				t.Errorf("%d flushes for %d keys over %v, want at most %d per key", len(got), tc.keys, elapsed, maxPerKey)
			}
		})
	}
}
