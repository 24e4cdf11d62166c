package polls

import (
	"cmp"
	"slices"
)

// StatementRank is statement sid's place in participant pid's own order
// of statements: a random order that stays the same for that participant
// on every visit and every node, and differs between participants, so
// that early statements do not collect all the votes (Pol.is shows each
// participant the statements they have not voted on in a random order).
// It mixes the two ids with SplitMix64's finalizer (Steele, Lea and
// Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).
// Lower ranks come first.
func StatementRank(pid, sid int64) uint64 {
	z := uint64(pid)*0x9e3779b97f4a7c15 ^ uint64(sid)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// OrderForParticipant sorts ids, statements of one consultation, in
// participant pid's order: those pid has not voted on first (voted tells
// which they have), each part by StatementRank. pid 0, a visitor who has
// not voted yet, gets the oldest first (ids ascending).
func OrderForParticipant(ids []int64, pid int64, voted func(int64) bool) {
	slices.SortStableFunc(ids, func(a, b int64) int {
		va, vb := voted(a), voted(b)
		if va != vb {
			if va {
				return 1
			}
			return -1
		}
		return compareUnvoted(pid, a, b)
	})
}

// compareUnvoted orders two statements pid has not voted on (or two it
// has): by StatementRank, or by id for pid 0.
func compareUnvoted(pid, a, b int64) int {
	if pid == 0 {
		return cmp.Compare(a, b)
	}
	return cmp.Compare(StatementRank(pid, a), StatementRank(pid, b))
}

// FirstForParticipant returns the statement OrderForParticipant would put
// first among ids, all unvoted by pid, in one pass instead of a sort (a
// conversation has hundreds of statements and the page shows one); ties
// keep the earlier in ids, as the stable sort does. ids must not be empty.
func FirstForParticipant(ids []int64, pid int64) int64 {
	first := ids[0]
	for _, id := range ids[1:] {
		if compareUnvoted(pid, id, first) < 0 {
			first = id
		}
	}
	return first
}
