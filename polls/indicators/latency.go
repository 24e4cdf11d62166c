package indicators

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// HistBucket is one cumulative bucket of a Prometheus histogram: Count
// observations at most UpperBound (seconds; +Inf for the last).
type HistBucket struct {
	UpperBound float64
	Count      uint64
}

// RouteLatency is the site's own latency for one group of routes, from the
// request-duration histogram of this node since it started
// (rembug_http_request_duration_seconds): P50 and P99 in milliseconds,
// interpolated within the bucket as Prometheus's histogram_quantile does,
// so they are only as fine as the buckets; nil when there were no requests.
type RouteLatency struct {
	Group    string   `json:"group"`
	Requests uint64   `json:"requests"`
	P50      *float64 `json:"p50_ms"`
	P99      *float64 `json:"p99_ms"`
}

// RouteGroup names the group of a route pattern ("GET /k/{slug}/results"):
// its first path segment ("/k"), or "/" for the home page.
func RouteGroup(pattern string) string {
	if _, p, ok := strings.Cut(pattern, " "); ok {
		pattern = p
	}
	seg, _, _ := strings.Cut(strings.TrimPrefix(pattern, "/"), "/")
	if seg == "" || strings.HasPrefix(seg, "{") {
		return "/"
	}
	if seg == "api" || seg == "admin" {
		if rest := strings.SplitN(strings.TrimPrefix(pattern, "/"), "/", 4); len(rest) >= 3 && !strings.HasPrefix(rest[2], "{") {
			return "/" + rest[0] + "/" + rest[1] + "/" + rest[2]
		}
	}
	return "/" + seg
}

// MergeLatency sums histograms per route group (by RouteGroup of each
// key) and returns each group's RouteLatency, ordered by group. All
// histograms must share the same bucket bounds.
func MergeLatency(byRoute map[string][]HistBucket) []RouteLatency {
	groups := map[string][]HistBucket{}
	for route, bs := range byRoute {
		g := RouteGroup(route)
		acc := groups[g]
		if acc == nil {
			acc = make([]HistBucket, len(bs))
			for i := range bs {
				acc[i].UpperBound = bs[i].UpperBound
			}
		}
		for i := range bs {
			if i < len(acc) {
				acc[i].Count += bs[i].Count
			}
		}
		groups[g] = acc
	}
	out := make([]RouteLatency, 0, len(groups))
	for g, bs := range groups {
		r := RouteLatency{Group: g}
		if len(bs) > 0 {
			r.Requests = bs[len(bs)-1].Count
		}
		if v, ok := HistogramQuantile(bs, 0.5); ok {
			ms := round2(v * 1000)
			r.P50 = &ms
		}
		if v, ok := HistogramQuantile(bs, 0.99); ok {
			ms := round2(v * 1000)
			r.P99 = &ms
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b RouteLatency) int { return cmp.Compare(a.Group, b.Group) })
	return out
}

// HistogramQuantile estimates the q-quantile of a cumulative histogram
// whose last bucket is +Inf, with linear interpolation inside the bucket
// holding the rank (Prometheus's histogram_quantile). A rank in the +Inf
// bucket returns the highest finite bound. ok is false without observations.
func HistogramQuantile(bs []HistBucket, q float64) (float64, bool) {
	if len(bs) == 0 || bs[len(bs)-1].Count == 0 {
		return 0, false
	}
	rank := q * float64(bs[len(bs)-1].Count)
	lower, below := 0.0, uint64(0)
	for _, b := range bs {
		if float64(b.Count) >= rank {
			if math.IsInf(b.UpperBound, 1) {
				return lower, true
			}
			in := b.Count - below
			if in == 0 {
				return b.UpperBound, true
			}
			return lower + (b.UpperBound-lower)*(rank-float64(below))/float64(in), true
		}
		lower, below = b.UpperBound, b.Count
	}
	return lower, true
}
