package export

import "github.com/rembug/rembug/forum"

// Safe returns s neutralised for a spreadsheet by forum.SafeCell, the one
// rule every export follows (CASES C06).
func Safe(s string) string { return forum.SafeCell(s) }

// Row is one line of an export: each cell is a string (neutralised when
// written), an int, a float64 or a Percent (written as numbers).
type Row []any

// Percent is a percentage cell, 0 to 100 (42.9 is 42.9 %). CSV writes the
// number as is; XLSX stores the fraction (0.429) with the percent format
// 0.0%, so a spreadsheet shows it in its own locale and computes with it.
type Percent float64

// Table is a titled set of rows whose first row is the header.
type Table struct {
	// Name is the sheet name in XLSX (at most 31 characters).
	Name string
	Rows []Row
}
