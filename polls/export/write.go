package export

import (
	"fmt"
	"io"
	"math"
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
	case Percent:
		return strconv.FormatFloat(float64(x), 'f', -1, 64)
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

// Number formats of XLSX cells: counts (int) as whole numbers with
// thousands separators, Percent cells as percentages with one decimal,
// other numbers (means, indexes) with one to three decimals, or as whole
// numbers when they are whole. Excel and
// LibreOffice show the separators of the reader's locale (33.343 and 2,92 in
// Indonesian, 33,343 and 2.92 in English).
const (
	xlsxCount   = 3 // built-in "#,##0"
	xlsxPercent = "0.0%"
	xlsxDecimal = "#,##0.0##"
)

// WriteXLSX writes the tables as the sheets of one workbook, in order.
// Strings are stored as text cells (never formulas) after Safe; numbers as
// numbers with the formats above.
func WriteXLSX(w io.Writer, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	count, err := f.NewStyle(&excelize.Style{NumFmt: xlsxCount})
	if err != nil {
		return err
	}
	pctFmt, decFmt := xlsxPercent, xlsxDecimal
	percent, err := f.NewStyle(&excelize.Style{CustomNumFmt: &pctFmt})
	if err != nil {
		return err
	}
	decimal, err := f.NewStyle(&excelize.Style{CustomNumFmt: &decFmt})
	if err != nil {
		return err
	}
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
				style := 0
				switch x := v.(type) {
				case string:
					err = f.SetCellStr(name, ref, Safe(x))
				case int:
					err, style = f.SetCellInt(name, ref, int64(x)), count
				case Percent:
					err, style = f.SetCellFloat(name, ref, float64(x)/100, -1, 64), percent
				case float64:
					err, style = f.SetCellFloat(name, ref, x, -1, 64), decimal
					if x == math.Trunc(x) && math.Abs(x) < 1e15 {
						style = count
					}
				default:
					err = f.SetCellValue(name, ref, x)
				}
				if err == nil && style != 0 {
					err = f.SetCellStyle(name, ref, ref, style)
				}
				if err != nil {
					return err
				}
			}
		}
	}
	_, err = f.WriteTo(w)
	return err
}
