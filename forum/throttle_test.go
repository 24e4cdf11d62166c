package forum_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
)

func TestPasswordDelayGrows(t *testing.T) {
	want := map[int]time.Duration{0: 0, 1: 0, 3: 0, 4: time.Second, 5: 2 * time.Second, 6: 4 * time.Second,
		12: 256 * time.Second, 13: forum.PasswordMaxDelay, 100: forum.PasswordMaxDelay}
	for n, d := range want {
		if got := forum.PasswordDelay(n); got != d {
			t.Errorf("delay after %d failures: %v, want %v", n, got, d)
		}
	}
}

// TestThrottlePasswordPerPair drives the throttle with an injected clock:
// a stranger's guesses from one address wait longer and longer, never more
// than PasswordMaxDelay, while the same email from another address (the
// owner) goes ahead at once; a correct password clears the pair, and a
// quiet hour forgets it.
func TestThrottlePasswordPerPair(t *testing.T) {
	ctx := context.Background()
	db := accountDB(t)
	clock := accountNow
	attempt := func(email, addr string) time.Duration {
		t.Helper()
		wait, err := forum.ThrottlePasswordAt(ctx, db, email, addr, clock)
		if err != nil {
			t.Fatal(err)
		}
		return wait
	}
	const stranger, owner = "203.0.113.7", "198.51.100.20"
	for i := 1; i <= forum.PasswordFreeFailures; i++ {
		if w := attempt("admin@pemda.test", stranger); w != 0 {
			t.Fatalf("free attempt %d waits %v", i, w)
		}
	}
	var waits []time.Duration
	for i := 0; i < 15; i++ {
		if w := attempt("admin@pemda.test", stranger); w != 0 {
			t.Fatalf("attempt after waiting was refused: %v", w)
		}
		w := attempt("ADMIN@pemda.test ", stranger) // the same pair, written differently
		if w <= 0 || w > forum.PasswordMaxDelay {
			t.Fatalf("guess %d right after a failure waits %v", i, w)
		}
		waits = append(waits, w)
		// The owner, from another address, is never held up.
		if w := attempt("admin@pemda.test", owner); w != 0 {
			t.Fatalf("owner from another address waits %v", w)
		}
		if err := forum.ClearPasswordThrottleAt(ctx, db, "admin@pemda.test", owner); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(w)
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] < waits[i-1] {
			t.Fatalf("delays shrink: %v", waits)
		}
	}
	if waits[0] != time.Second || waits[len(waits)-1] != forum.PasswordMaxDelay {
		t.Fatalf("delays %v: want 1s growing to %v", waits, forum.PasswordMaxDelay)
	}
	if w := attempt("other@pemda.test", stranger); w != 0 {
		t.Fatalf("another email from the same address waits %v", w)
	}
	// An hour of quiet forgets the failures.
	clock = clock.Add(forum.PasswordMaxDelay + forum.PasswordForgetAfter + time.Second)
	for i := 1; i <= forum.PasswordFreeFailures; i++ {
		if w := attempt("admin@pemda.test", stranger); w != 0 {
			t.Fatalf("after an hour, attempt %d waits %v", i, w)
		}
	}
	if err := forum.ClearPasswordThrottleAt(ctx, db, "admin@pemda.test", stranger); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= forum.PasswordFreeFailures; i++ {
		if w := attempt("admin@pemda.test", stranger); w != 0 {
			t.Fatalf("after a correct password, attempt %d waits %v", i, w)
		}
	}
}

// TestThrottlePasswordParallel: of 10 guesses of one pair at the same
// instant past the free ones, exactly one goes ahead.
func TestThrottlePasswordParallel(t *testing.T) {
	ctx := context.Background()
	db := accountDB(t)
	for i := 0; i < forum.PasswordFreeFailures; i++ {
		if _, err := forum.ThrottlePasswordAt(ctx, db, "a@b.test", "192.0.2.1", accountNow); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ahead := 0
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w, err := forum.ThrottlePasswordAt(ctx, db, "a@b.test", "192.0.2.1", accountNow.Add(time.Millisecond))
			if err != nil {
				t.Error(err)
				return
			}
			if w == 0 {
				mu.Lock()
				ahead++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if ahead != 1 {
		t.Fatalf("%d parallel guesses went ahead, want 1", ahead)
	}
}
