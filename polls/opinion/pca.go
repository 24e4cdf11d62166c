package opinion

import (
	"math"
	"math/rand/v2"
)

// pcaMaxIter bounds the orthogonal iteration; pcaTol is the convergence
// tolerance on subspaceGap between successive estimates.
const (
	pcaMaxIter = 1000
	pcaTol     = 1e-10
)

// pca2 returns the first two principal components (unit vectors of length
// nStatements) of the mean-imputed, centred vote matrix, found by
// orthogonal iteration: the two-vector form of Pol.is's power-iteration
// with Gram–Schmidt deflation (pca.clj powerit-pca). Each step costs two
// passes over the stored votes. It returns nil components when the matrix
// has no variance; the second component is all zero when the data has rank
// one. Signs are fixed so each component's largest-magnitude entry is
// positive.
func pca2(m *matrix, seed int64) [2][]float64 {
	nc := len(m.sids)
	if nc == 0 || m.rows() == 0 {
		return [2][]float64{}
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	v := [2][]float64{make([]float64, nc), make([]float64, nc)}
	for j := 0; j < nc; j++ {
		v[0][j] = rng.Float64() + 0.5
		v[1][j] = rng.Float64() - 0.5
	}
	orthonormalize(&v)
	u := [2][]float64{make([]float64, nc), make([]float64, nc)}
	for it := 0; it < pcaMaxIter; it++ {
		m.xtx(v, &u)
		if norm(u[0]) == 0 {
			return [2][]float64{}
		}
		orthonormalize(&u)
		moved := subspaceGap(u, v)
		v, u = u, v
		if moved < pcaTol {
			break
		}
	}
	m.xtx(v, &u)
	ritz(&v, u)
	for _, c := range v {
		fixSign(c)
	}
	return v
}

// subspaceGap measures how far the span of orthonormal pair u moved from
// that of v: rank − ‖UᵀV‖²_F, 0 when the spans coincide. Orthogonal
// iteration can rotate slowly inside the top-2 subspace when the two
// leading eigenvalues are close; the subspace, not each vector, is what
// the projection needs, and ritz fixes the order afterwards.
func subspaceGap(u, v [2][]float64) float64 {
	var s, rank float64
	for a := range 2 {
		if norm(u[a]) > 0 {
			rank++
		}
		for b := range 2 {
			d := dot(u[a], v[b])
			s += d * d
		}
	}
	return rank - s
}

// ritz rotates the orthonormal pair v within its span onto the
// eigenvectors of the 2×2 Rayleigh quotient B = Vᵀ(XᵀX)V (given xv = XᵀX·v),
// so v[0] carries the larger variance (Rayleigh–Ritz).
func ritz(v *[2][]float64, xv [2][]float64) {
	if norm(v[1]) == 0 {
		return
	}
	a, b, d := dot(v[0], xv[0]), dot(v[0], xv[1]), dot(v[1], xv[1])
	theta := 0.5 * math.Atan2(2*b, a-d) // angle of the leading eigenvector
	c, s := math.Cos(theta), math.Sin(theta)
	for j := range v[0] {
		x, y := v[0][j], v[1][j]
		v[0][j], v[1][j] = c*x+s*y, -s*x+c*y
	}
}

// xtx sets out = XᵀX·v for the centred matrix X, both columns in one pass.
func (m *matrix) xtx(v [2][]float64, out *[2][]float64) {
	clear(out[0])
	clear(out[1])
	for i := 0; i < m.rows(); i++ {
		a, b := m.start[i], m.start[i+1]
		var s0, s1 float64
		for k := a; k < b; k++ {
			c := m.cols[k]
			s0 += m.cent[k] * v[0][c]
			s1 += m.cent[k] * v[1][c]
		}
		if s0 == 0 && s1 == 0 {
			continue
		}
		for k := a; k < b; k++ {
			c := m.cols[k]
			out[0][c] += s0 * m.cent[k]
			out[1][c] += s1 * m.cent[k]
		}
	}
}

// orthonormalize applies Gram–Schmidt to the pair; a vector that vanishes
// (rank-deficient data) is set to zero.
func orthonormalize(v *[2][]float64) {
	scaleTo(v[0])
	p := dot(v[0], v[1])
	for j := range v[1] {
		v[1][j] -= p * v[0][j]
	}
	scaleTo(v[1])
}

// scaleTo normalises x to unit length, or zeroes it when its length is
// negligible.
func scaleTo(x []float64) {
	n := norm(x)
	if n < 1e-12 {
		clear(x)
		return
	}
	for j := range x {
		x[j] /= n
	}
}

func fixSign(x []float64) {
	best := 0.0
	for _, e := range x {
		if math.Abs(e) > math.Abs(best) {
			best = e
		}
	}
	if best < 0 {
		for j := range x {
			x[j] = -x[j]
		}
	}
}

func dot(a, b []float64) float64 {
	var s float64
	for j := range a {
		s += a[j] * b[j]
	}
	return s
}

func norm(x []float64) float64 { return math.Sqrt(dot(x, x)) }
