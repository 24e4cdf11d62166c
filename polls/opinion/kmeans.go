package opinion

import (
	"math"
	"math/rand/v2"
)

// kmeansMaxIter bounds Lloyd iterations per restart (Pol.is uses 100).
const kmeansMaxIter = 100

type point = [2]float64

// clustering is a k-means result: label per point, centres, and the
// weighted within-cluster sum of squares (inertia).
type clustering struct {
	labels  []int
	centers []point
	inertia float64
}

// kmeans clusters weighted 2-D points into at most k clusters, keeping the
// lowest-inertia result of `restarts` runs, each seeded by k-means++
// (Arthur and Vassilvitskii, "k-means++: The Advantages of Careful
// Seeding", SODA 2007) and refined by Lloyd's algorithm. Empty clusters are
// dropped, so fewer than k clusters may come back when points coincide.
// Deterministic for a given rng state. Cost O(restarts·iter·n·k).
func kmeans(pts []point, w []float64, k, restarts int, rng *rand.Rand) clustering {
	best := clustering{inertia: math.Inf(1)}
	for r := 0; r < restarts; r++ {
		c := lloyd(pts, w, seedPlusPlus(pts, w, k, rng))
		if c.inertia < best.inertia-1e-12 {
			best = c
		}
	}
	return best
}

// seedPlusPlus picks k initial centres: the first with probability
// proportional to weight, each next with probability proportional to
// weight × squared distance to the nearest chosen centre.
func seedPlusPlus(pts []point, w []float64, k int, rng *rand.Rand) []point {
	centers := make([]point, 0, k)
	d2 := make([]float64, len(pts))
	for i := range d2 {
		d2[i] = 1
	}
	for len(centers) < k {
		var total float64
		for i := range pts {
			total += w[i] * d2[i]
		}
		if total <= 0 {
			break // every point coincides with a centre
		}
		x := rng.Float64() * total
		pick := len(pts) - 1
		for i := range pts {
			x -= w[i] * d2[i]
			if x < 0 && w[i]*d2[i] > 0 {
				pick = i
				break
			}
		}
		c := pts[pick]
		centers = append(centers, c)
		for i, p := range pts {
			d := dist2(p, c)
			if len(centers) == 1 || d < d2[i] {
				d2[i] = d
			}
		}
	}
	return centers
}

// lloyd runs Lloyd iterations from the given centres until assignments
// stop changing.
func lloyd(pts []point, w []float64, centers []point) clustering {
	k := len(centers)
	labels := make([]int, len(pts))
	for i := range labels {
		labels[i] = -1
	}
	sum := make([]point, k)
	wt := make([]float64, k)
	for it := 0; it < kmeansMaxIter; it++ {
		changed := false
		for i, p := range pts {
			l := nearest(p, centers)
			if l != labels[i] {
				labels[i], changed = l, true
			}
		}
		if !changed {
			break
		}
		clear(sum)
		clear(wt)
		for i, p := range pts {
			l := labels[i]
			sum[l][0] += w[i] * p[0]
			sum[l][1] += w[i] * p[1]
			wt[l] += w[i]
		}
		for l := range centers {
			if wt[l] > 0 {
				centers[l] = point{sum[l][0] / wt[l], sum[l][1] / wt[l]}
			}
		}
	}
	return compact(pts, w, labels, k)
}

// compact renumbers labels to drop empty clusters and recomputes centres
// and inertia.
func compact(pts []point, w []float64, labels []int, k int) clustering {
	sum := make([]point, k)
	wt := make([]float64, k)
	for i, p := range pts {
		l := labels[i]
		sum[l][0] += w[i] * p[0]
		sum[l][1] += w[i] * p[1]
		wt[l] += w[i]
	}
	remap := make([]int, k)
	var centers []point
	for l := range remap {
		remap[l] = -1
		if wt[l] > 0 {
			remap[l] = len(centers)
			centers = append(centers, point{sum[l][0] / wt[l], sum[l][1] / wt[l]})
		}
	}
	out := clustering{labels: make([]int, len(pts)), centers: centers}
	for i, p := range pts {
		out.labels[i] = remap[labels[i]]
		out.inertia += w[i] * dist2(p, centers[out.labels[i]])
	}
	return out
}

func nearest(p point, centers []point) int {
	best, bd := 0, math.Inf(1)
	for l, c := range centers {
		if d := dist2(p, c); d < bd {
			best, bd = l, d
		}
	}
	return best
}

func dist2(a, b point) float64 {
	dx, dy := a[0]-b[0], a[1]-b[1]
	return dx*dx + dy*dy
}

// silhouette is the mean silhouette coefficient (Rousseeuw, "Silhouettes",
// J. Comput. Appl. Math. 20, 1987) of the labelled points, each point
// counted once whatever its weight (clusters.clj silhouette). A point
// alone in its cluster scores 0. O(n²): callers pass a bounded sample,
// never all participants.
func silhouette(pts []point, labels []int, k int) float64 {
	if len(pts) < 2 || k < 2 {
		return 0
	}
	sum := make([]float64, k)
	cnt := make([]int, k)
	for _, l := range labels {
		cnt[l]++
	}
	var total float64
	for i, p := range pts {
		clear(sum)
		for j, q := range pts {
			if i != j {
				sum[labels[j]] += math.Sqrt(dist2(p, q))
			}
		}
		own := labels[i]
		if cnt[own] == 1 {
			continue
		}
		a := sum[own] / float64(cnt[own]-1)
		b := math.Inf(1)
		for l := range sum {
			if l != own && cnt[l] > 0 {
				b = math.Min(b, sum[l]/float64(cnt[l]))
			}
		}
		if m := math.Max(a, b); m > 0 && !math.IsInf(b, 1) {
			total += (b - a) / m
		}
	}
	return total / float64(len(pts))
}
