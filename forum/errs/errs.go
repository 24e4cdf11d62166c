// Package errs is rembug's one error vocabulary: an Error carries a Kind (what
// went wrong, for choosing an HTTP status or an exit code), a translation Key
// (what to tell the user, looked up in web's message catalogues) with Data for
// that message's template, and the wrapped cause Err (for the log only).
//
// Every layer returns these: forum, polls, realtime/live and web. It imports
// only the standard library, so any package can use it without pulling in the
// domain. The web package maps kinds to statuses in exactly one place and shows
// Key translated; an Internal error's detail goes to the log, never to the user.
//
// Errors are immutable values; the package holds no mutable state and is safe
// for concurrent use.
package errs

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an Error so that a caller can choose a status code and a
// message without looking at the text.
type Kind int

// The kinds of error an operation reports. The HTTP status each maps to is
// decided in web, not here; the comments say the usual one.
const (
	Internal        Kind = iota // a fault of ours; details go to the log only (500)
	Invalid                     // bad input from the user (400)
	NotFound                    // no such thing, or not visible to the viewer (404)
	Conflict                    // a uniqueness or state conflict (409)
	Forbidden                   // the viewer may not do this (403)
	RateLimited                 // too many attempts; try again later (429)
	Unavailable                 // a dependency is down or the feature is off (503)
	Unauthenticated             // the request does not prove who sent it, e.g. a webhook without its signature (401)
	Unprocessable               // well-formed input that contradicts earlier input, e.g. an idempotency key reused for other content (422)
)

var kindNames = [...]string{"internal", "invalid", "not_found", "conflict", "forbidden", "rate_limited", "unavailable", "unauthenticated", "unprocessable"}

// String returns the kind's lower-case name ("not_found"), as used in logs.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is an error with a kind and a translation key (for example
// "error.statement_not_found") with optional template Data for that message.
// Err holds the wrapped cause for logs; it is never shown to users.
type Error struct {
	Kind Kind
	Key  string
	Data map[string]any
	Err  error
}

// Error returns "key: cause", or the key alone when there is no cause.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Key, e.Err)
	}
	return e.Key
}

// Unwrap returns the wrapped cause, so errors.Is and errors.As see through it.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same kind and key, so that
// errors.Is(err, ErrNotFound) holds for a copy carrying a cause or other data.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Key == e.Key
}

// E builds an *Error of kind k with translation key key and template data
// (nil when the message takes none).
func E(k Kind, key string, data map[string]any) *Error {
	return &Error{Kind: k, Key: key, Data: data}
}

// Wrap builds an *Error of kind k and key key around cause, which is kept for
// the log (Error, Unwrap) and never shown to the user.
func Wrap(k Kind, key string, cause error) *Error {
	return &Error{Kind: k, Key: key, Err: cause}
}

// Internalf reports a fault of ours: kind Internal, key "error.internal", and
// a cause formatted like fmt.Errorf (so %w wraps). Include the ids involved.
func Internalf(format string, args ...any) *Error {
	return &Error{Kind: Internal, Key: "error.internal", Err: fmt.Errorf(format, args...)}
}

// RetryAfterData is the Data entry, in whole seconds (an int), that tells a
// RateLimited error's client when to try again (HTTP Retry-After, RFC 9110
// section 10.2.3). It is template data too, for messages that name the wait.
const RetryAfterData = "RetryAfter"

// Limited builds a RateLimited error with key key, data and the wait after
// which the client may try again (rounded up to whole seconds; zero or less
// when unknown, then no RetryAfterData entry is set).
func Limited(key string, wait time.Duration, data map[string]any) *Error {
	d := make(map[string]any, len(data)+1)
	for k, v := range data {
		d[k] = v
	}
	if wait > 0 {
		d[RetryAfterData] = int((wait + time.Second - 1) / time.Second)
	}
	return &Error{Kind: RateLimited, Key: key, Data: d}
}

// RetryAfter returns the wait in seconds carried by err's first *Error, or 0
// when it carries none.
func RetryAfter(err error) int {
	if e := As(err); e != nil {
		if n, ok := e.Data[RetryAfterData].(int); ok && n > 0 {
			return n
		}
	}
	return 0
}

// As returns the first *Error in err's chain, or nil when there is none.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// KindOf returns the kind of the first *Error in err's chain; Internal when
// there is none (an unclassified error is a fault of ours).
func KindOf(err error) Kind {
	if e := As(err); e != nil {
		return e.Kind
	}
	return Internal
}

// ErrNotFound is the shared "no such thing" error: returned when a looked-up
// row does not exist or is hidden from the viewer, which callers must not be
// able to tell apart.
var ErrNotFound = E(NotFound, "error.not_found", nil)
