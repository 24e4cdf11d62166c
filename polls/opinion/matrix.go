package opinion

import (
	"fmt"
	"math"
	"slices"
)

// matrix is the participant × statement vote matrix in compressed sparse
// row form: row i's votes are cols[start[i]:start[i+1]] with values vals[...]
// and mean-centred values cent[...]. Missing cells are the statement mean,
// i.e. 0 after centring, so they are simply absent.
type matrix struct {
	pids  []int64 // row index → participant id, ascending
	sids  []int64 // column index → statement id, ascending
	start []int
	cols  []int32
	vals  []int8
	cent  []float64
	mean  []float64 // per column mean vote over those who voted
}

func (m *matrix) rows() int        { return len(m.pids) }
func (m *matrix) rowLen(i int) int { return m.start[i+1] - m.start[i] }

// newMatrix validates votes and builds the matrix; for a repeated
// (participant, statement) pair the later vote wins.
func newMatrix(votes []Vote) (*matrix, error) {
	for _, v := range votes {
		if v.Value < -1 || v.Value > 1 {
			return nil, fmt.Errorf("%w: participant %d statement %d value %d", ErrInvalidVote, v.Participant, v.Statement, v.Value)
		}
	}
	m := &matrix{}
	m.pids = uniqueIDs(votes, func(v Vote) int64 { return v.Participant })
	m.sids = uniqueIDs(votes, func(v Vote) int64 { return v.Statement })
	row := indexOf(m.pids)
	col := indexOf(m.sids)
	n, nc := len(m.pids), len(m.sids)
	// Bucket votes by row, keeping input order within a row.
	count := make([]int, n+1)
	ri := make([]int32, len(votes))
	for k, v := range votes {
		r := row(v.Participant)
		ri[k] = int32(r)
		count[r+1]++
	}
	for i := 0; i < n; i++ {
		count[i+1] += count[i]
	}
	order := make([]int32, len(votes))
	next := slices.Clone(count[:n])
	for k := range votes {
		r := ri[k]
		order[next[r]] = int32(k)
		next[r]++
	}
	// Deduplicate within each row with a stamped column → slot table.
	slot := make([]int, nc)
	stamp := make([]int, nc)
	m.start = make([]int, n+1)
	m.cols = make([]int32, 0, len(votes))
	m.vals = make([]int8, 0, len(votes))
	for r := 0; r < n; r++ {
		for _, k := range order[count[r]:count[r+1]] {
			v := votes[k]
			c := col(v.Statement)
			if stamp[c] == r+1 {
				m.vals[slot[c]] = v.Value
				continue
			}
			stamp[c] = r + 1
			slot[c] = len(m.cols)
			m.cols = append(m.cols, int32(c))
			m.vals = append(m.vals, v.Value)
		}
		m.start[r+1] = len(m.cols)
	}
	m.centre()
	return m, nil
}

// centre computes column means and the centred values.
func (m *matrix) centre() {
	sum := make([]float64, len(m.sids))
	cnt := make([]float64, len(m.sids))
	for k, c := range m.cols {
		sum[c] += float64(m.vals[k])
		cnt[c]++
	}
	m.mean = make([]float64, len(m.sids))
	for c := range sum {
		if cnt[c] > 0 {
			m.mean[c] = sum[c] / cnt[c]
		}
	}
	m.cent = make([]float64, len(m.cols))
	for k, c := range m.cols {
		m.cent[k] = float64(m.vals[k]) - m.mean[c]
	}
}

// qualifying returns the rows with at least min(minVotes, nStatements)
// votes, Pol.is's in-conversation rule (without its greedy top-15 fill,
// which would cluster people who barely voted).
func (m *matrix) qualifying(minVotes int) []int {
	need := min(minVotes, len(m.sids))
	var out []int
	for i := range m.pids {
		if m.rowLen(i) >= need && m.rowLen(i) > 0 {
			out = append(out, i)
		}
	}
	return out
}

// project maps every row onto the two components using only the cells the
// participant voted on, scaled by sqrt(nStatements/nVoted) (Pol.is
// sparsity-aware-project-ptpt).
func (m *matrix) project(pc [2][]float64) [][2]float64 {
	out := make([][2]float64, m.rows())
	if pc[0] == nil {
		return out
	}
	nc := float64(len(m.sids))
	for i := range out {
		a, b := m.start[i], m.start[i+1]
		var x, y float64
		for k := a; k < b; k++ {
			c := m.cols[k]
			x += m.cent[k] * pc[0][c]
			y += m.cent[k] * pc[1][c]
		}
		s := math.Sqrt(nc / float64(max(b-a, 1)))
		out[i] = [2]float64{x * s, y * s}
	}
	return out
}

func uniqueIDs(votes []Vote, key func(Vote) int64) []int64 {
	ids := make([]int64, len(votes))
	for k, v := range votes {
		ids[k] = key(v)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// indexOf returns a lookup from id to its index in the sorted ids.
func indexOf(ids []int64) func(int64) int {
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	return func(id int64) int { return pos[id] }
}
