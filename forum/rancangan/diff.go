package rancangan

import "strings"

// Change kinds of a unit between two versions.
const (
	ChangeSame    = "same"
	ChangeChanged = "changed"
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
)

// Change is what happened to one unit (by anchor) from one version to the
// next.
type Change struct {
	Anchor string `json:"anchor"`
	// Kind is ChangeSame, ChangeChanged, ChangeAdded or ChangeRemoved.
	Kind string `json:"kind"`
	// Old and New are the unit in each version (nil where it is absent).
	Old *Unit `json:"old,omitempty"`
	New *Unit `json:"new,omitempty"`
	// Words is the word-level difference of heading and text for a changed
	// unit, in reading order.
	Words []Span `json:"words,omitempty"`
}

// Label names the unit of the change.
func (c Change) Label() string {
	if c.New != nil {
		return c.New.Label()
	}
	return c.Old.Label()
}

// Span is a run of words that both versions share (Op '='), that only the
// new one has ('+') or that only the old one had ('-').
type Span struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// maxDiffWords bounds the word diff of one unit (its cost is the product
// of both lengths); longer units show as removed and added text.
const maxDiffWords = 3000

// Diff compares two versions of a draft unit by unit, matched by anchor.
// Changes are in the new version's order; a removed unit follows the unit
// that preceded it in the old version. Units are "changed" when their
// heading or text differ (white space aside).
func Diff(old, cur *Document) []Change {
	inNew := map[string]bool{}
	for _, u := range cur.Units {
		inNew[u.Anchor] = true
	}
	oldBy := map[string]*Unit{}
	removedAfter := map[string][]*Unit{} // anchor of the preceding surviving unit → removed units
	prev := ""
	for i := range old.Units {
		u := &old.Units[i]
		oldBy[u.Anchor] = u
		if inNew[u.Anchor] {
			prev = u.Anchor
		} else {
			removedAfter[prev] = append(removedAfter[prev], u)
		}
	}
	var out []Change
	emitRemoved := func(after string) {
		for _, u := range removedAfter[after] {
			out = append(out, Change{Anchor: u.Anchor, Kind: ChangeRemoved, Old: u})
		}
	}
	emitRemoved("")
	for i := range cur.Units {
		u := &cur.Units[i]
		o, ok := oldBy[u.Anchor]
		switch {
		case !ok:
			out = append(out, Change{Anchor: u.Anchor, Kind: ChangeAdded, New: u})
		case words(o.Heading+" "+o.Text) == words(u.Heading+" "+u.Text):
			out = append(out, Change{Anchor: u.Anchor, Kind: ChangeSame, Old: o, New: u})
		default:
			out = append(out, Change{Anchor: u.Anchor, Kind: ChangeChanged, Old: o, New: u,
				Words: WordDiff(strings.TrimSpace(o.Heading+"\n"+o.Text), strings.TrimSpace(u.Heading+"\n"+u.Text))})
		}
		if ok {
			emitRemoved(u.Anchor)
		}
	}
	return out
}

func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// WordDiff returns the word-level difference from a to b (longest common
// subsequence of their words), adjacent words of one kind joined by a
// space.
func WordDiff(a, b string) []Span {
	x, y := strings.Fields(a), strings.Fields(b)
	if len(x) > maxDiffWords || len(y) > maxDiffWords {
		return merge(nil, []Span{{"-", a}, {"+", b}})
	}
	// lcs[i][j] is the LCS length of x[i:] and y[j:].
	lcs := make([][]int32, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Span
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			out = merge(out, []Span{{"=", x[i]}})
			i, j = i+1, j+1
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			out = merge(out, []Span{{"-", x[i]}})
			i++
		default:
			out = merge(out, []Span{{"+", y[j]}})
			j++
		}
	}
	return out
}

// merge appends spans to out, joining a span to the last one of its kind.
func merge(out []Span, spans []Span) []Span {
	for _, s := range spans {
		if s.Text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Op == s.Op {
			out[n-1].Text += " " + s.Text
			continue
		}
		out = append(out, s)
	}
	return out
}
