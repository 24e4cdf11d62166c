// Package cursor is the one opaque encoding of keyset (cursor) pagination
// positions, shared by every list that pages with a cursor (complaints,
// proposals sorted by a live counter).
//
// A cursor is the base64url (RFC 4648 §5, no padding) of the sort key of
// the last item of a page: its int64 parts in decimal joined by ":". The
// format is not a public contract; clients pass it back unchanged.
package cursor

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// ErrMalformed is returned by Decode for a cursor this package did not make.
var ErrMalformed = errors.New("malformed cursor")

// Encode returns the opaque cursor of a sort key.
func Encode(key ...int64) string {
	s := make([]string, len(key))
	for i, k := range key {
		s[i] = strconv.FormatInt(k, 10)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(s, ":")))
}

// Decode returns the n parts of the sort key in c, or ErrMalformed.
func Decode(c string, n int) ([]int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, ErrMalformed
	}
	parts := strings.Split(string(b), ":")
	if len(parts) != n {
		return nil, ErrMalformed
	}
	key := make([]int64, n)
	for i, p := range parts {
		if key[i], err = strconv.ParseInt(p, 10, 64); err != nil {
			return nil, ErrMalformed
		}
	}
	return key, nil
}
