package indicators

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/rembug/rembug/forum/complaint/workday"
	"github.com/rembug/rembug/forum/reach"
	"github.com/rembug/rembug/polls/report"
	"github.com/uptrace/bun"
)

// Query selects the range [From, To) and the granularities of the
// active-participant series (all three when empty). Agency, when set,
// keeps only that agency's complaint figures (response times and ratings,
// by complaint_agencies.name); Kecamatan, when set, counts only the
// participants who consented to region statistics with that kecamatan on
// their profile as active users.
type Query struct {
	From, To  time.Time
	By        []Granularity
	Agency    string
	Kecamatan string
}

// Report holds the five indicators for a Query. ComputedAt says how fresh
// every figure is: all are computed together from the database at that
// instant (Latency from this node's counters at that instant).
type Report struct {
	Active       Active       `json:"active_participants"`
	Satisfaction Satisfaction `json:"satisfaction"`
	ResponseTime ResponseTime `json:"response_time"`
	Cost         Cost         `json:"cost"`
	Reliability  Reliability  `json:"reliability"`
	From         time.Time    `json:"from"`
	To           time.Time    `json:"to"`
	Zone         string       `json:"zone"`
	ComputedAt   time.Time    `json:"computed_at"`
	// AsOf is, per section (keys: Sections), when that section's figures
	// were read (UTC), each after the previous one: a figure says how
	// fresh it is itself. Reports saved before it (an evaluation snapshot)
	// have none; SectionAsOf answers ComputedAt for them.
	AsOf map[string]time.Time `json:"as_of,omitempty"`
}

// SectionAsOf is when the figures of section (one of Sections) were read:
// AsOf[section], or ComputedAt when the Report does not say.
func (r *Report) SectionAsOf(section string) time.Time {
	if t, ok := r.AsOf[section]; ok {
		return t
	}
	return r.ComputedAt
}

// Source is what Compute reads: the database, the working-day calendar of
// complaints (complaint.Store.Calendar), the installation's zone, the
// clock, and this node's latency histograms (nil for none).
type Source struct {
	DB       bun.IDB
	Calendar func() *workday.Calendar
	Zone     string
	Loc      *time.Location
	Now      func() time.Time
	Latency  func() map[string][]HistBucket
}

// Compute returns the five indicators for q.
func Compute(ctx context.Context, src Source, q Query) (*Report, error) {
	return compute(ctx, src, q, activeIn)
}

// activeFunc computes the active-users indicator (activeIn).
type activeFunc func(ctx context.Context, db bun.IDB, from, to time.Time, loc *time.Location, grains []Granularity,
	regionOf map[int64]string, kecamatan string) (Active, error)

func compute(ctx context.Context, src Source, q Query, active activeFunc) (*Report, error) {
	now := src.Now()
	grains := q.By
	if len(grains) == 0 {
		grains = []Granularity{Day, Week, Month}
	}
	r := &Report{From: q.From, To: q.To, Zone: src.Zone, ComputedAt: now.UTC(), AsOf: map[string]time.Time{}}
	stamp := func(section string) { r.AsOf[section] = src.Now().UTC() }
	st, err := LoadSettings(ctx, src.DB)
	if err != nil {
		return nil, err
	}
	regions, err := report.ParticipantRegions(ctx, src.DB)
	if err != nil {
		return nil, err
	}
	if r.Active, err = active(ctx, src.DB, q.From, q.To, src.Loc, grains, regions, q.Kecamatan); err != nil {
		return nil, err
	}
	if r.Active.ArrivalsByShareLink, err = shareArrivals(ctx, src.DB, q.From, q.To, src.Loc); err != nil {
		return nil, err
	}
	stamp("active_participants")
	if r.Satisfaction.IKM, err = ikmScores(ctx, src.DB, q.From, q.To); err != nil {
		return nil, err
	}
	if r.Satisfaction.ComplaintRatings, err = complaintRatings(ctx, src.DB, q.From, q.To, src.Loc); err != nil {
		return nil, err
	}
	if r.Satisfaction.Surveys, err = surveyScores(ctx, src.DB, q.From, q.To, src.Loc); err != nil {
		return nil, err
	}
	stamp("satisfaction")
	if r.ResponseTime.Complaints, r.ResponseTime.Overall, err = complaintResponses(ctx, src.DB, src.Calendar(), q.From, q.To, now); err != nil {
		return nil, err
	}
	if r.ResponseTime.Proposals, err = proposalAnswers(ctx, src.DB, q.From, q.To); err != nil {
		return nil, err
	}
	if r.ResponseTime.Live, err = liveAnswers(ctx, src.DB, q.From, q.To); err != nil {
		return nil, err
	}
	if q.Agency != "" {
		other := func(agency string) bool { return agency != q.Agency }
		r.ResponseTime.Complaints = slices.DeleteFunc(r.ResponseTime.Complaints, func(a AgencyResponse) bool { return other(a.Agency) })
		r.Satisfaction.ComplaintRatings = slices.DeleteFunc(r.Satisfaction.ComplaintRatings, func(x Rating) bool { return other(x.Agency) })
		r.ResponseTime.Overall = AgencyResponse{Agency: q.Agency}
		if len(r.ResponseTime.Complaints) == 1 {
			r.ResponseTime.Overall = r.ResponseTime.Complaints[0]
		}
	}
	r.ResponseTime.Latency = []RouteLatency{}
	if src.Latency != nil {
		r.ResponseTime.Latency = MergeLatency(src.Latency())
	}
	stamp("response_time")
	if r.Cost, err = costOf(ctx, src.DB, st, q.From, q.To, src.Loc, r.Active.Total); err != nil {
		return nil, err
	}
	stamp("cost")
	if r.Reliability, err = reliabilityOf(ctx, src.DB, st, q.From, q.To, now, src.Loc); err != nil {
		return nil, err
	}
	stamp("reliability")
	return r, nil
}

// Cache keeps computed Reports so that a dashboard polled by many people
// computes once per query: a Report is fresh for MaxAge after its
// computation started, until Invalidate. Get answers with the last Report
// even when it is no longer fresh (up to staleFor × MaxAge old), while one
// computation of a new one runs in the background (stale while
// revalidating: an API at 50 requests/s does not wait for computations);
// its ComputedAt says how old it is. Fresh waits for a Report computed after the last Invalidate. It is
// safe for concurrent use.
type Cache struct {
	Source Source
	MaxAge time.Duration

	mu      sync.Mutex
	gen     int // Invalidate calls so far
	entries map[string]*cacheEntry
}

// cacheEntry is one query's last Report and the computation under way.
type cacheEntry struct {
	rep *Report
	at  time.Time // when rep's computation started
	gen int       // the Cache's gen when it started
	run *flight
}

// flight is one computation; done closes when rep and err are set.
type flight struct {
	done chan struct{}
	gen  int
	rep  *Report
	err  error
}

// staleFor bounds how old (in MaxAges) a Report Get may answer with while
// a new one is computed: after a long quiet spell the caller waits instead
// of reading figures from long ago.
const staleFor = 4

// Get returns the Report for q: the cached one, fresh or not, while it is
// at most staleFor × MaxAge old (starting a new computation when it is
// stale), else the new computation's.
func (c *Cache) Get(ctx context.Context, q Query) (*Report, error) {
	return c.get(ctx, q, false)
}

// Fresh returns a Report for q computed after the last Invalidate and at
// most MaxAge ago, waiting for a computation when needed: for pages that
// reload because the data changed.
func (c *Cache) Fresh(ctx context.Context, q Query) (*Report, error) {
	return c.get(ctx, q, true)
}

func (c *Cache) get(ctx context.Context, q Query, wait bool) (*Report, error) {
	key := q.From.UTC().String() + "|" + q.To.UTC().String() + "|" + q.Agency + "|" + q.Kecamatan
	for _, g := range q.By {
		key += "|" + string(g)
	}
	for {
		c.mu.Lock()
		if c.entries == nil {
			c.entries = map[string]*cacheEntry{}
		}
		e := c.entries[key]
		if e == nil {
			if len(c.entries) > 256 {
				clear(c.entries)
			}
			e = &cacheEntry{}
			c.entries[key] = e
		}
		now := c.Source.Now()
		if e.rep != nil && e.gen == c.gen && now.Sub(e.at) <= c.MaxAge {
			rep := e.rep
			c.mu.Unlock()
			return rep, nil
		}
		if e.run == nil {
			e.run = &flight{done: make(chan struct{}), gen: c.gen}
			go c.compute(context.WithoutCancel(ctx), key, e, e.run, q, now)
		}
		f := e.run
		if e.rep != nil && !wait && now.Sub(e.at) <= staleFor*c.MaxAge {
			rep := e.rep
			c.mu.Unlock()
			return rep, nil
		}
		c.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f.err != nil || !wait || f.gen == c.generation() {
			return f.rep, f.err
		}
		// Invalidated while it ran: compute again.
	}
}

// compute runs flight f of entry e and stores its Report.
func (c *Cache) compute(ctx context.Context, key string, e *cacheEntry, f *flight, q Query, started time.Time) {
	rep, err := Compute(ctx, c.Source, q)
	c.mu.Lock()
	defer c.mu.Unlock()
	f.rep, f.err = rep, err
	if err == nil && c.entries[key] == e {
		e.rep, e.at, e.gen = rep, started, f.gen
	}
	e.run = nil
	close(f.done)
}

func (c *Cache) generation() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// Invalidate marks every cached Report stale, so the next Get starts a new
// computation and Fresh waits for one: called when the data behind the
// figures changed (a new complaint, an answer).
func (c *Cache) Invalidate() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}

// shareArrivals is Active.ArrivalsByShareLink over [from, to): the days
// from's and the last instant's dates in loc, which is the zone
// forum/reach counts days in (the installation's).
func shareArrivals(ctx context.Context, db bun.IDB, from, to time.Time, loc *time.Location) ([]Cell, error) {
	if !to.After(from) {
		return []Cell{}, nil
	}
	counts, err := reach.Totals(ctx, db, from.In(loc).Format(time.DateOnly), to.Add(-time.Nanosecond).In(loc).Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	out := make([]Cell, len(counts))
	for i, c := range counts {
		out[i] = Cell{Label: c.Channel, Count: int(c.Arrivals)}
	}
	return out, nil
}
