package web

import "github.com/rembug/rembug/forum/locale"

// dashNumber formats f in lang with at most two decimals by CLDR rules
// through golang.org/x/text: "1.234,5" in Bahasa Indonesia, "1,234.5" in
// English.
func dashNumber(f float64, lang string) string {
	return locale.In(lang).Float(f, 2)
}
