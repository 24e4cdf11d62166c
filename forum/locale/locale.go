// Package locale is rembug's one rule for showing numbers, percentages,
// dates and times to people: digits grouped and decimals marked the way the
// reader's language writes them (Bahasa Indonesia "33.343" and "2,92",
// English "33,343" and "2.92", from CLDR through golang.org/x/text), and
// times in the reader's zone with its label (WIB, WITA, WIT; forum/tz).
//
// Everything meant for people goes through it: template functions, chart
// labels, reports, spreadsheets for people. Files meant for machines (CSV
// exports, the JSON API) keep raw numbers ("2.92") and RFC 3339 times so
// that programs can read them back.
//
// It is a leaf (it imports only forum/tz and x/text). Values are immutable
// and safe for concurrent use.
package locale

import (
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum/tz"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// DefaultLang is the language used for an unknown or empty language code.
const DefaultLang = "id"

// Format shows numbers and times in one language and zone. The zero value
// is not usable; make one with For.
type Format struct {
	lang string
	p    *message.Printer
	zone tz.Zone
}

// For returns the format of lang ("id" or "en"; anything else means "id")
// and zone (a zero zone means the installation's default, WIB).
func For(lang string, zone tz.Zone) Format {
	if lang != "en" {
		lang = DefaultLang
	}
	if zone.Loc == nil {
		zone = tz.Default()
	}
	return Format{lang: lang, p: printers[lang], zone: zone}
}

// In returns the format of lang in the installation's default zone, for
// numbers (which need no zone) and for reports read by a whole office.
func In(lang string) Format { return For(lang, tz.Zone{}) }

// printers are built once; a message.Printer is safe for concurrent use.
var printers = map[string]*message.Printer{
	"id": message.NewPrinter(language.Indonesian),
	"en": message.NewPrinter(language.English),
}

// Lang returns the format's language code, "id" or "en".
func (f Format) Lang() string { return f.lang }

// Zone returns the format's time zone.
func (f Format) Zone() tz.Zone { return f.zone }

// Int shows a whole number with grouped thousands: 33343 is "33.343" in
// Bahasa Indonesia and "33,343" in English.
func (f Format) Int(n int64) string {
	if n >= 0 && n < 1000 {
		return strconv.FormatInt(n, 10) // no group separator to place; both languages write Latin digits
	}
	return f.p.Sprint(number.Decimal(n))
}

// Dec shows x rounded to the nearest (half to even) with exactly digits decimals (0–6),
// with grouped thousands: 2.915 at 2 digits is "2,92" in Bahasa Indonesia
// and "2.92" in English.
func (f Format) Dec(x float64, digits int) string {
	digits = max(0, min(digits, 6))
	if digits == 0 && x >= 0 && x < 999.5 {
		// Whole numbers under 1000 need no separator; strconv rounds
		// half to even like x/text (a float whose shortest form ends in
		// .5 is exactly that half below 2^52). Results pages format
		// hundreds of these per request.
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return f.p.Sprint(number.Decimal(x, number.MinFractionDigits(digits), number.MaxFractionDigits(digits)))
}

// Float shows x with at most maxDigits decimals (0–6), trailing zeros
// dropped, with grouped thousands: 1234.5 is "1.234,5" in Bahasa Indonesia
// and "1,234.5" in English.
func (f Format) Float(x float64, maxDigits int) string {
	maxDigits = max(0, min(maxDigits, 6))
	return f.p.Sprint(number.Decimal(x, number.MaxFractionDigits(maxDigits)))
}

// Pct shows a share (0.455 for 45.5%) as a percentage with digits decimals:
// "45,5%" in Bahasa Indonesia, "45.5%" in English (CLDR writes no space
// before the sign in either language).
func (f Format) Pct(share float64, digits int) string {
	return f.Dec(share*100, digits) + "%"
}

// Sprintf is fmt.Sprintf with numbers in the format's language: %d
// groups thousands ("33.343" / "33,343") and %.2f uses the language's
// decimal mark ("2,92" / "2.92"). Use it for text for people that mixes
// words and numbers; years and ids belong in %s or strconv, not %d.
func (f Format) Sprintf(format string, a ...any) string {
	return f.p.Sprintf(format, a...)
}

// monthAbbr are CLDR's abbreviated month names (format context).
var monthAbbr = map[string][12]string{
	"id": {"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"},
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
}

// Date shows the calendar day of t in the format's zone: "2 Des 2026" in
// Bahasa Indonesia, "2 Dec 2026" in English. A zero t is "—", never blank.
func (f Format) Date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	lt := t.In(f.zone.Loc)
	return strconv.Itoa(lt.Day()) + " " + monthAbbr[f.lang][lt.Month()-1] + " " + strconv.Itoa(lt.Year())
}

// Time shows t in the format's zone with the zone's label: "2 Des 2026
// 13.04 WIB" in Bahasa Indonesia (CLDR's time separator for id is a
// point), "2 Dec 2026 13:04 WIB" in English, "… UTC+05:30" for a zone
// outside Indonesia. A zero t is "—".
func (f Format) Time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	lt := t.In(f.zone.Loc)
	clock := lt.Format("15:04")
	if f.lang == "id" {
		clock = strings.Replace(clock, ":", ".", 1)
	}
	return f.Date(t) + " " + clock + " " + f.zone.LabelAt(t)
}

// Month shows the month of t in the format's zone: "Des 2026", "Dec 2026".
func (f Format) Month(t time.Time) string {
	lt := t.In(f.zone.Loc)
	return monthAbbr[f.lang][lt.Month()-1] + " " + strconv.Itoa(lt.Year())
}
