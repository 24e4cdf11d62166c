package ikm

import (
	"encoding/csv"
	"errors"
	"fmt"

	"github.com/rembug/rembug/forum/grapheme"
)

// ImportErrorKind classifies an *ImportError.
type ImportErrorKind string

// The import error kinds.
const (
	// ErrEmpty: the file has no header line.
	ErrEmpty ImportErrorKind = "empty"
	// ErrNoRows: the file has a header but no response.
	ErrNoRows ImportErrorKind = "no_rows"
	// ErrMissingColumn: one of u1..u9 is not in the header.
	ErrMissingColumn ImportErrorKind = "missing_column"
	// ErrDuplicateColumn: a known column appears twice in the header.
	ErrDuplicateColumn ImportErrorKind = "duplicate_column"
	// ErrInvalidUTF8: a cell is not valid UTF-8 (e.g. a file saved in Latin-1).
	ErrInvalidUTF8 ImportErrorKind = "invalid_utf8"
	// ErrMalformed: the CSV syntax is broken (bad quotes, wrong number of cells).
	ErrMalformed ImportErrorKind = "malformed_csv"
	// ErrScore: a u-column holds something other than 1, 2, 3, 4 or blank.
	ErrScore ImportErrorKind = "bad_score"
	// ErrProfile: a profile cell holds a label longer than MaxProfileLabelRunes.
	ErrProfile ImportErrorKind = "bad_profile"
)

// ImportError reports why a CSV file was rejected. When it is returned, no response
// is returned: an import is all or nothing.
type ImportError struct {
	Kind ImportErrorKind
	// Row is the 1-based line number in the file (the header is line 1), or 0 when the
	// error is about the whole file.
	Row int
	// Column is the column name as the reader knows it (e.g. "u3", "sex"), or "".
	Column string
	// Value is the offending cell, or "".
	Value string
	// Allowed is the longest label accepted for ErrProfile, in characters ("20").
	Allowed string
	// Err is the underlying CSV error for ErrMalformed, or nil.
	Err error
}

// Error returns the English message.
func (e *ImportError) Error() string { return e.English() }

// Unwrap returns the underlying CSV error, if any.
func (e *ImportError) Unwrap() error { return e.Err }

// Key returns the translation key of e's kind, e.g. "ikm.import.bad_score".
func (e *ImportError) Key() string { return "ikm.import." + string(e.Kind) }

// Message returns the message in lang ("id" for Indonesian, English otherwise).
func (e *ImportError) Message(lang string) string {
	if lang == "id" {
		return e.Indonesian()
	}
	return e.English()
}

// Indonesian returns the message in Indonesian, e.g.
// `baris 7, kolom u3: nilai "5" harus 1–4`.
func (e *ImportError) Indonesian() string {
	where := e.where("baris", "kolom")
	v := shortValue(e.Value)
	switch e.Kind {
	case ErrEmpty:
		return "berkas kosong: baris judul dengan kolom u1–u9 tidak ada"
	case ErrNoRows:
		return "berkas tidak berisi jawaban: hanya ada baris judul"
	case ErrMissingColumn:
		return fmt.Sprintf("%s: kolom %s tidak ada di baris judul", where, e.Column)
	case ErrDuplicateColumn:
		return fmt.Sprintf("%s: kolom muncul lebih dari sekali", where)
	case ErrInvalidUTF8:
		return fmt.Sprintf("%s: teks bukan UTF-8 yang sah; simpan berkas sebagai \"CSV UTF-8\"", where)
	case ErrMalformed:
		detail := fmt.Sprint(e.Err)
		switch {
		case errors.Is(e.Err, csv.ErrFieldCount):
			detail = "jumlah sel tidak sama dengan baris judul"
		case errors.Is(e.Err, csv.ErrQuote), errors.Is(e.Err, csv.ErrBareQuote):
			detail = "tanda kutip tidak berpasangan"
		}
		return fmt.Sprintf("%s: format CSV rusak (%s)", where, detail)
	case ErrScore:
		return fmt.Sprintf("%s: nilai %s harus 1–4", where, v)
	case ErrProfile:
		return fmt.Sprintf("%s: label %s terlalu panjang (paling banyak %s karakter)", where, v, e.Allowed)
	}
	return fmt.Sprintf("%s: %s", where, e.Kind)
}

// English returns the message in English, e.g. `row 7, column u3: value "5" must be 1–4`.
func (e *ImportError) English() string {
	where := e.where("row", "column")
	v := shortValue(e.Value)
	switch e.Kind {
	case ErrEmpty:
		return "empty file: no header line with columns u1–u9"
	case ErrNoRows:
		return "file holds no responses: only a header line"
	case ErrMissingColumn:
		return fmt.Sprintf("%s: column %s is missing from the header", where, e.Column)
	case ErrDuplicateColumn:
		return fmt.Sprintf("%s: column appears more than once", where)
	case ErrInvalidUTF8:
		return fmt.Sprintf("%s: text is not valid UTF-8; save the file as \"CSV UTF-8\"", where)
	case ErrMalformed:
		return fmt.Sprintf("%s: broken CSV (%v)", where, e.Err)
	case ErrScore:
		return fmt.Sprintf("%s: value %s must be 1–4", where, v)
	case ErrProfile:
		return fmt.Sprintf("%s: label %s is too long (at most %s characters)", where, v, e.Allowed)
	}
	return fmt.Sprintf("%s: %s", where, e.Kind)
}

// where renders "row 7, column u3", "row 7" or "column u3".
func (e *ImportError) where(row, col string) string {
	switch {
	case e.Row > 0 && e.Column != "" && e.Kind != ErrMissingColumn:
		return fmt.Sprintf("%s %d, %s %s", row, e.Row, col, e.Column)
	case e.Row > 0:
		return fmt.Sprintf("%s %d", row, e.Row)
	}
	return fmt.Sprintf("%s %s", col, e.Column)
}

// shortValue quotes v (invalid bytes escaped), cut to 40 characters.
func shortValue(v string) string {
	return fmt.Sprintf("%q", grapheme.Truncate(v, 41))
}
