package realtime

import (
	"sync"
	"time"
)

// Coalescer merges bursts of updates to high-rate values (upvote counts, poll
// tallies) into at most one flush per key per Interval, the latest value
// winning. A key set while idle is flushed at once; further sets within
// Interval are held and the last one is flushed at the end of the interval.
// Flush runs on the Coalescer's own goroutine, one call at a time, so it may
// block (for example on Hub.Publish). Create it with NewCoalescer; Close
// flushes what is pending and stops the goroutine.
type Coalescer[V any] struct {
	interval time.Duration
	flush    func(key string, v V)

	mu      sync.Mutex
	closed  bool
	pending map[string]V
	order   []string // keys of pending in first-set order, so flushes are fair

	wake chan struct{}
	done chan struct{}
	wg   sync.WaitGroup
}

// NewCoalescer returns a Coalescer that calls flush at most once per key per
// interval (interval <= 0 means 250ms, i.e. at most 4 flushes a second).
func NewCoalescer[V any](interval time.Duration, flush func(key string, v V)) *Coalescer[V] {
	if interval <= 0 {
		interval = 250 * time.Millisecond
	}
	c := &Coalescer[V]{
		interval: interval, flush: flush,
		pending: make(map[string]V),
		wake:    make(chan struct{}, 1),
		done:    make(chan struct{}),
	}
	c.wg.Add(1)
	go c.run()
	return c
}

// Set records v as the latest value of key. It never blocks on flush; after
// Close it is ignored.
func (c *Coalescer[V]) Set(key string, v V) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	if _, ok := c.pending[key]; !ok {
		c.order = append(c.order, key)
	}
	c.pending[key] = v
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// run flushes on the leading edge when woken, then once per interval while
// keys keep changing, and goes idle (no timer) when nothing is pending.
func (c *Coalescer[V]) run() {
	defer c.wg.Done()
	timer := time.NewTimer(c.interval)
	timer.Stop()
	for {
		select {
		case <-c.done:
			c.flushPending()
			return
		case <-c.wake:
		}
		for c.flushPending() > 0 {
			timer.Reset(c.interval)
			select {
			case <-c.done:
				timer.Stop()
				c.flushPending()
				return
			case <-timer.C:
			}
		}
	}
}

// flushPending flushes every pending key and returns how many it flushed.
func (c *Coalescer[V]) flushPending() int {
	c.mu.Lock()
	order, pending := c.order, c.pending
	c.order, c.pending = nil, make(map[string]V, len(pending))
	c.mu.Unlock()
	for _, k := range order {
		c.flush(k, pending[k])
	}
	return len(order)
}

// Close flushes pending values, stops the goroutine and waits for it; later
// Sets are ignored. It returns nil.
func (c *Coalescer[V]) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	close(c.done)
	c.wg.Wait()
	return nil
}
