package indicators

// MinCell is the fewest people a published cell may describe: cells below
// it are pooled so that no row points at one or a few people.
const MinCell = 5

// Pool returns cells with every non-empty cell under min people merged into
// one cell labelled pooled (Pooled set). When that pooled cell itself stays
// under min it is left out, so no output shows fewer than min people; empty
// cells are kept as they are (zero says nothing about a person). The order
// of the remaining cells is kept; the pooled cell comes last.
func Pool(cells []Cell, min int, pooled string) []Cell {
	out := make([]Cell, 0, len(cells))
	rest := Cell{Label: pooled, Pooled: true}
	for _, c := range cells {
		if c.Count > 0 && c.Count < min {
			rest.Count += c.Count
			continue
		}
		out = append(out, c)
	}
	if rest.Count >= min {
		out = append(out, rest)
	}
	return out
}
