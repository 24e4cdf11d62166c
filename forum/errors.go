package forum

import (
	"errors"
	"fmt"
)

// Kind classifies an Error so that the web layer can choose a status code and
// a message without looking at the text.
type Kind int

// The kinds of error a domain operation reports.
const (
	KindInternal  Kind = iota // a fault of ours; details go to the log only
	KindInvalid               // bad input from the user: HTTP 400 / 422
	KindNotFound              // no such thing, or not visible to the viewer: HTTP 404
	KindConflict              // a uniqueness or state conflict: HTTP 409
	KindForbidden             // the viewer may not do this: HTTP 403
)

// Error is a domain error with a kind and a translation key (looked up in
// web's message catalogues, e.g. "error.statement_not_found") and optional
// template data for that message. Err holds the wrapped cause for logs.
type Error struct {
	Kind Kind
	Key  string
	Data map[string]any
	Err  error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Key, e.Err)
	}
	return e.Key
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error of kind k with translation key key.
func E(k Kind, key string, data map[string]any) *Error {
	return &Error{Kind: k, Key: key, Data: data}
}

// KindOf returns the kind of the first *Error in err's chain, or KindInternal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// ErrNotFound is returned when a looked-up row does not exist (or is hidden
// from the viewer, which callers must not be able to tell apart).
var ErrNotFound = E(KindNotFound, "error.not_found", nil)
