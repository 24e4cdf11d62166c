package export

import "strings"

// Safe returns s neutralised for a spreadsheet: s with a leading apostrophe
// when it starts with '=', '+', '-', '@', a tab or a carriage return, s
// unchanged otherwise.
func Safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Row is one line of an export: each cell is a string (neutralised when
// written), an int or a float64 (written as a number).
type Row []any

// Table is a titled set of rows whose first row is the header.
type Table struct {
	// Name is the sheet name in XLSX (at most 31 characters).
	Name string
	Rows []Row
}
