package tally

import "fmt"

// ErrorKind classifies a *BallotError.
type ErrorKind string

const (
	// KindInvalidPoll: the poll itself is unusable (fewer than one option, a negative
	// count, an impossible selection rule or scale).
	KindInvalidPoll ErrorKind = "invalid_poll"
	// KindOptionRange: a ballot names an option index outside 0..options-1, or a value
	// outside the scale.
	KindOptionRange ErrorKind = "option_out_of_range"
	// KindDuplicate: a ballot names the same option twice.
	KindDuplicate ErrorKind = "duplicate_option"
	// KindTooFew: an approval ballot selects fewer options than the minimum.
	KindTooFew ErrorKind = "too_few_selections"
	// KindTooMany: an approval ballot selects more options than the maximum.
	KindTooMany ErrorKind = "too_many_selections"
)

// BallotError reports input that cannot be counted. Nothing is counted when it is
// returned: a count is all or nothing.
type BallotError struct {
	// Kind classifies the error.
	Kind ErrorKind
	// Ballot is the 0-based index of the offending ballot or value, or -1 when the
	// error concerns the poll as a whole.
	Ballot int
	// Value is the offending option index or value (meaningful for KindOptionRange and
	// KindDuplicate), or the selection count for KindTooFew and KindTooMany.
	Value int
	// Detail says what was expected, in English, e.g. "options 0..2".
	Detail string
}

// Error describes e in English.
func (e *BallotError) Error() string {
	if e.Ballot < 0 {
		return fmt.Sprintf("tally: %s: %s", e.Kind, e.Detail)
	}
	return fmt.Sprintf("tally: ballot %d: %s %d (%s)", e.Ballot, e.Kind, e.Value, e.Detail)
}

// Key returns the translation key of e's kind, e.g. "poll.error.duplicate_option".
func (e *BallotError) Key() string { return "poll.error." + string(e.Kind) }

func pollError(format string, args ...any) error {
	return &BallotError{Kind: KindInvalidPoll, Ballot: -1, Detail: fmt.Sprintf(format, args...)}
}

// checkSelection validates one ballot that lists distinct option indices. seen is a
// scratch slice of len options, stamp a value not yet stored in it.
func checkSelection(options, ballot int, sel []int, seen []int, stamp int) error {
	for _, o := range sel {
		if o < 0 || o >= options {
			return &BallotError{Kind: KindOptionRange, Ballot: ballot, Value: o,
				Detail: fmt.Sprintf("options 0..%d", options-1)}
		}
		if seen[o] == stamp {
			return &BallotError{Kind: KindDuplicate, Ballot: ballot, Value: o,
				Detail: "each option at most once"}
		}
		seen[o] = stamp
	}
	return nil
}

// checkRanked validates ranked ballots: every ranking lists distinct options, most
// preferred first; an empty ranking is a blank ballot.
func checkRanked(options int, ballots [][]int) error {
	if options < 1 {
		return pollError("need at least one option, got %d", options)
	}
	seen := make([]int, options)
	for i := range seen {
		seen[i] = -1
	}
	for b, r := range ballots {
		if err := checkSelection(options, b, r, seen, b); err != nil {
			return err
		}
	}
	return nil
}
