package forum

import (
	"encoding/csv"
	"io"
)

// csvBOM is the UTF-8 byte order mark. Excel on Windows reads a CSV file
// without it in the legacy code page, turning "Dinas Pekerjaan Umum – Kota"
// or an emoji into mojibake; with it, every spreadsheet detects UTF-8.
const csvBOM = "\ufeff"

// CSVWriter writes CSV for people's spreadsheets, the one way every CSV
// export of rembug is written: RFC 4180 records with CRLF line ends, UTF-8
// with a byte order mark before the first record, and every cell (headers
// included) passed through SafeCell. It is not safe for concurrent use.
type CSVWriter struct {
	out     io.Writer
	w       *csv.Writer
	started bool
}

// NewCSVWriter returns a CSVWriter on w. Nothing is written until the first
// record, so an export that fails before its first row leaves w empty.
func NewCSVWriter(w io.Writer) *CSVWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &CSVWriter{out: w, w: cw}
}

// Write writes one record, every cell made safe by SafeCell; the first call
// writes the byte order mark first. It returns the underlying write error.
func (c *CSVWriter) Write(rec ...string) error {
	if !c.started {
		c.started = true
		if _, err := io.WriteString(c.out, csvBOM); err != nil {
			return err
		}
	}
	safe := make([]string, len(rec))
	for i, s := range rec {
		safe[i] = SafeCell(s)
	}
	return c.w.Write(safe)
}

// Flush writes any buffered records and returns the first write error.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}
