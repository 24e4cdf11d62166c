package export

import "github.com/rembug/rembug/forum"

// Safe returns s neutralised for a spreadsheet by forum.SafeCell, the one
// rule every export follows (CASES C06).
func Safe(s string) string { return forum.SafeCell(s) }

// Row is one line of an export: each cell is a string (neutralised when
// written), an int or a float64 (written as a number).
type Row []any

// Table is a titled set of rows whose first row is the header.
type Table struct {
	// Name is the sheet name in XLSX (at most 31 characters).
	Name string
	Rows []Row
}
