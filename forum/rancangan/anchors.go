package rancangan

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/uptrace/bun"
)

// minPasalSimilarity is how alike (Jaccard index of their sets of words)
// a Pasal of one version and a Pasal of the next must be to be taken for
// the same article under another number.
const minPasalSimilarity = 0.5

// PasalMoves matches the Pasal of version old to those of version cur by
// their words (the Pasal with its ayat), most alike first, and returns the
// renumbered ones: old anchor → new anchor ("pasal-5" → "pasal-6" after a
// Pasal was inserted before it). A Pasal kept under its number, removed,
// or too changed to be recognised (less than minPasalSimilarity alike)
// is not in the map. Only whole Pasal are matched: ayat follow their
// Pasal (MoveAnchor) and keep their own number.
func PasalMoves(old, cur *Document) map[string]string {
	ow, cw := pasalWords(old), pasalWords(cur)
	type pair struct {
		o, n string
		sim  float64
	}
	var pairs []pair
	for oa, o := range ow {
		for na, n := range cw {
			if sim := jaccard(o, n); sim >= minPasalSimilarity {
				pairs = append(pairs, pair{oa, na, sim})
			}
		}
	}
	// Most alike first; on a tie the same number, then document order.
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := cmp.Compare(b.sim, a.sim); c != 0 {
			return c
		}
		if (a.o == a.n) != (b.o == b.n) {
			if a.o == a.n {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(a.o, b.o), strings.Compare(a.n, b.n))
	})
	usedOld, usedNew, out := map[string]bool{}, map[string]bool{}, map[string]string{}
	for _, p := range pairs {
		if usedOld[p.o] || usedNew[p.n] {
			continue
		}
		usedOld[p.o], usedNew[p.n] = true, true
		if p.o != p.n {
			out[p.o] = p.n
		}
	}
	return out
}

// pasalWords maps each Pasal's anchor to the set of lower-case words of
// the Pasal and its ayat.
func pasalWords(d *Document) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, u := range d.Units {
		a := ""
		switch {
		case u.Kind == KindArticle:
			a = u.Anchor
		case u.Kind == KindClause && strings.HasPrefix(u.Parent, "pasal-"):
			a = u.Parent
		default:
			continue
		}
		if out[a] == nil {
			out[a] = map[string]bool{}
		}
		for _, w := range strings.Fields(strings.ToLower(u.Heading + " " + u.Text)) {
			out[a][w] = true
		}
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	both := 0
	for w := range a {
		if b[w] {
			both++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// pasalPrefix splits an anchor of a Pasal, its ayat or its Penjelasan into
// the part before the Pasal ("" or "penjelasan-"), the Pasal's anchor
// ("pasal-5") and the rest ("-ayat-2" or "").
var pasalPrefix = regexp.MustCompile(`^(penjelasan-)?(pasal-[0-9a-z]+?)((?:-ayat-.*)?)$`)

// MoveAnchor is anchor a after the Pasal moves of one version (PasalMoves):
// "pasal-5-ayat-2" and "penjelasan-pasal-5" follow "pasal-5" → "pasal-6";
// any other anchor is returned as is.
func MoveAnchor(moves map[string]string, a string) string {
	m := pasalPrefix.FindStringSubmatch(a)
	if m == nil {
		return a
	}
	if to, ok := moves[m[2]]; ok {
		return m[1] + to + m[3]
	}
	return a
}

// anchorMove is one renumbered Pasal of a version: links to Old made for
// an earlier version lead to New.
type anchorMove struct {
	bun.BaseModel `bun:"table:draft_anchor_moves,alias:am"`

	DraftID int64  `bun:"draft_id,notnull"`
	Version int    `bun:"version,notnull"` // the version that renumbered it
	Old     string `bun:"old_anchor,notnull"`
	New     string `bun:"new_anchor,notnull"`
}

// ResolveAnchor follows anchor a of draft d, as it was in version from
// (0 for the first), through the Pasal renumbered by every later version,
// and returns its anchor in the current version (a itself when none moved
// it).
func ResolveAnchor(ctx context.Context, db bun.IDB, d *Draft, a string, from int) (string, error) {
	var moves []anchorMove
	if err := db.NewSelect().Model(&moves).Where("draft_id = ? AND version > ?", d.ID, from).Order("version").Scan(ctx); err != nil {
		return "", fmt.Errorf("draft %d anchor moves: %w", d.ID, err)
	}
	for i := 0; i < len(moves); {
		j, m := i, map[string]string{}
		for ; j < len(moves) && moves[j].Version == moves[i].Version; j++ {
			m[moves[j].Old] = moves[j].New
		}
		a, i = MoveAnchor(m, a), j
	}
	return a, nil
}
