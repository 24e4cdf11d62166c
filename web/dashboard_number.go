package web

import (
	"golang.org/x/text/language"
	xmessage "golang.org/x/text/message"
	"golang.org/x/text/number"
)

// dashNumber formats f in lang with at most two decimals by CLDR rules
// through golang.org/x/text: "1.234,5" in Bahasa Indonesia, "1,234.5" in
// English.
func dashNumber(f float64, lang string) string {
	tag := language.Indonesian
	if lang == "en" {
		tag = language.English
	}
	return xmessage.NewPrinter(tag).Sprint(number.Decimal(f, number.MaxFractionDigits(2)))
}
