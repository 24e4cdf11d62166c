package export

import (
	"fmt"
	"io"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/grapheme"
	"github.com/xuri/excelize/v2"
)

// cellText returns the CSV text of cell v: numbers in Go's shortest form
// with a decimal point, strings neutralised by Safe.
func cellText(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return Safe(x)
	}
	return Safe(fmt.Sprint(v))
}

// WriteCSV writes t by forum.CSVWriter (RFC 4180, CRLF line ends, UTF-8
// with a byte order mark so that spreadsheets detect the encoding).
func WriteCSV(w io.Writer, t Table) error {
	cw := forum.NewCSVWriter(w)
	rec := []string{}
	for _, r := range t.Rows {
		rec = rec[:0]
		for _, c := range r {
			rec = append(rec, cellText(c))
		}
		if err := cw.Write(rec...); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// WriteXLSX writes the tables as the sheets of one workbook, in order.
// Strings are stored as text cells (never formulas) after Safe.
func WriteXLSX(w io.Writer, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, t := range tables {
		name := grapheme.Prefix(t.Name, 31, grapheme.Runes) // Excel's sheet name limit
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		for r, row := range t.Rows {
			for c, v := range row {
				ref, err := excelize.CoordinatesToCellName(c+1, r+1)
				if err != nil {
					return err
				}
				switch x := v.(type) {
				case string:
					err = f.SetCellStr(name, ref, Safe(x))
				default:
					err = f.SetCellValue(name, ref, x)
				}
				if err != nil {
					return err
				}
			}
		}
	}
	_, err := f.WriteTo(w)
	return err
}
