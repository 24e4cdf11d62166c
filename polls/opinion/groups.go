package opinion

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// Tuning of the group search.
const (
	// groupRestarts is the number of k-means++ restarts per k.
	groupRestarts = 10
	// silhouetteSample caps the participants the silhouette is computed
	// over, keeping its O(n²) cost bounded (2,000² distance pairs per k).
	silhouetteSample = 2000
	// silhouetteMargin is how much a larger k must improve the silhouette
	// to be preferred: a split that barely improves the fit is not worth
	// the extra group to read.
	silhouetteMargin = 0.01
)

// grouping is the outcome of findGroups: either a reason or at least two
// groups, each a list of matrix rows, largest group first.
type grouping struct {
	reason     string
	members    [][]int
	centers    []point
	silhouette float64
}

// findGroups clusters the qualifying rows' projections by k-means for
// k = 2..min(MaxK, 2+n/12) and keeps the k with the best silhouette, the
// selection rule of Pol.is (conversation.clj group-clusterings, max-k-fn).
//
// Pol.is first reduces participants to 100 base clusters and clusters
// their centres. On the validation conversations that two-level scheme
// made the final split depend on where the base clusters happened to
// fall (adjusted Rand index against Pol.is varying from 0.62 to 0.84 with
// the seed), so participants are clustered directly instead: k-means on
// at most tens of thousands of 2-D points is cheap. The silhouette, which
// Pol.is bounds by scoring base clusters, is computed here over a
// deterministic evenly spaced sample of at most silhouetteSample
// participants (all of them when fewer). Groups smaller than
// o.MinGroupSize are merged into their nearest group before scoring.
func findGroups(xy [][2]float64, rows []int, o Options) grouping {
	rng := rand.New(rand.NewPCG(uint64(o.Seed), 0x2545f4914f6cdd1d))
	pts := make([]point, len(rows))
	w := make([]float64, len(rows))
	for i, r := range rows {
		pts[i], w[i] = xy[r], 1
	}
	if distinct(pts) < 2 {
		return grouping{reason: ReasonNoVariance}
	}
	step := max(1, (len(pts)+silhouetteSample-1)/silhouetteSample)
	var sample []point
	for i := 0; i < len(pts); i += step {
		sample = append(sample, pts[i])
	}
	sampleLabels := make([]int, len(sample))
	var best *clustering
	bestSil := math.Inf(-1)
	for k := 2; k <= min(o.MaxK, 2+len(pts)/12); k++ {
		c := kmeans(pts, w, k, groupRestarts, rng)
		mergeSmall(&c, pts, w, float64(o.MinGroupSize))
		if len(c.centers) < 2 || (best != nil && len(c.centers) <= len(best.centers)) {
			continue
		}
		for i := range sample {
			sampleLabels[i] = c.labels[i*step]
		}
		s := silhouette(sample, sampleLabels, len(c.centers))
		if best == nil || s > bestSil+silhouetteMargin {
			best, bestSil = &c, s
		}
	}
	if best == nil {
		return grouping{reason: ReasonNoDistinctGroups}
	}
	return order(best, rows, bestSil)
}

// distinct counts distinct points.
func distinct(pts []point) int {
	d := slices.Clone(pts)
	slices.SortFunc(d, func(a, b point) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	})
	return len(slices.Compact(d))
}

// mergeSmall folds the smallest group into the group with the nearest
// centre until every group weighs at least minSize or one group is left.
func mergeSmall(c *clustering, pts []point, w []float64, minSize float64) {
	for len(c.centers) > 1 {
		wt := make([]float64, len(c.centers))
		for i, l := range c.labels {
			wt[l] += w[i]
		}
		small := 0
		for l := range wt {
			if wt[l] < wt[small] {
				small = l
			}
		}
		if wt[small] >= minSize {
			return
		}
		into, bd := -1, math.Inf(1)
		for l, ctr := range c.centers {
			if d := dist2(ctr, c.centers[small]); l != small && d < bd {
				into, bd = l, d
			}
		}
		for i, l := range c.labels {
			if l == small {
				c.labels[i] = into
			}
		}
		*c = compact(pts, w, c.labels, len(c.centers))
	}
}

// order turns a clustering of the qualifying rows into groups of matrix
// rows, largest group first (ties by centre), so group ids are stable.
func order(c *clustering, rows []int, sil float64) grouping {
	k := len(c.centers)
	members := make([][]int, k)
	for i, r := range rows {
		l := c.labels[i]
		members[l] = append(members[l], r)
	}
	idx := make([]int, k)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(len(members[b]), len(members[a])),
			cmp.Compare(c.centers[a][0], c.centers[b][0]), cmp.Compare(c.centers[a][1], c.centers[b][1]))
	})
	g := grouping{silhouette: sil}
	for _, l := range idx {
		g.members = append(g.members, members[l])
		g.centers = append(g.centers, c.centers[l])
	}
	return g
}
