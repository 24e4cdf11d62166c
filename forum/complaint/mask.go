package complaint

import (
	"regexp"
	"strings"
)

// Personal data patterns in complaint text (UU 27/2022 tentang Pelindungan
// Data Pribadi, Pasal 4: general personal data includes the full name and
// data combined to identify a person, which a phone number, an email
// address or a NIK/KK number does):
//   - NIK and KK numbers: 16 digits, optionally in groups of four;
//   - email addresses;
//   - phone numbers: Indonesian mobile and fixed-line numbers written with
//     +62, 62 or 0, 9 to 14 digits with optional spaces, dots or dashes.
var (
	nikPattern   = regexp.MustCompile(`\b\d{4}[ .-]?\d{4}[ .-]?\d{4}[ .-]?\d{4}\b`)
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	phonePattern = regexp.MustCompile(`(\+62|\b62|\(0|\b0)[ .-]?\(?\d{2,4}\)?([ .-]?\d){5,10}\b`)
)

// Replacements shown in place of masked personal data.
const (
	MaskedNIK   = "[NIK/KK disamarkan]"
	MaskedEmail = "[email disamarkan]"
	MaskedPhone = "[telepon disamarkan]"
)

// Mask replaces NIK/KK numbers, email addresses and phone numbers in s, for
// every path where complaint text leaves the agencies handling it: public
// listings, exports, the API and search for anyone without View.Body.
func Mask(s string) string {
	if s == "" {
		return s
	}
	s = nikPattern.ReplaceAllString(s, MaskedNIK)
	s = emailPattern.ReplaceAllString(s, MaskedEmail)
	return phonePattern.ReplaceAllStringFunc(s, func(m string) string {
		digits := 0
		for _, r := range m {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if digits < 9 || digits > 14 {
			return m
		}
		return MaskedPhone
	})
}

// ContainsPersonalData reports whether Mask would change s.
func ContainsPersonalData(s string) bool { return Mask(s) != s }

// textFor returns c's text as view v may see it.
func textFor(v View, body string) string {
	if v.Body {
		return body
	}
	return strings.TrimSpace(Mask(body))
}
