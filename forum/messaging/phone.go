package messaging

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
	"github.com/rembug/rembug/forum/errs"
)

// Errors of NormalizePhone, of kind errs.Invalid with a translation key.
var (
	// ErrPhoneInvalid: the text is not a phone number that exists.
	ErrPhoneInvalid = errs.E(errs.Invalid, "error.phone_invalid", nil)
	// ErrPhoneNotMobile: a valid number that cannot receive SMS or
	// WhatsApp (a fixed line, a toll-free number).
	ErrPhoneNotMobile = errs.E(errs.Invalid, "error.phone_not_mobile", nil)
)

// PhoneRegion is the region assumed for numbers written without a country
// code: Indonesia (ISO 3166-1 alpha-2).
const PhoneRegion = "ID"

// NormalizePhone returns the E.164 form (ITU-T E.164: "+" and at most 15
// digits, e.g. "+6281234567890") of a mobile number as people write it:
// "0812-3456-7890", "62 812 3456 7890", "+62 812 3456 7890",
// "(0812) 34567890". Numbers without a country code are Indonesian; other
// countries need their "+" prefix. It uses libphonenumber's metadata
// (github.com/nyaruka/phonenumbers), so lengths and mobile prefixes follow
// each numbering plan. It returns ErrPhoneInvalid or ErrPhoneNotMobile.
func NormalizePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 40 {
		return "", ErrPhoneInvalid
	}
	n, err := phonenumbers.Parse(s, PhoneRegion)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", ErrPhoneInvalid
	}
	switch phonenumbers.GetNumberType(n) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
	default:
		return "", ErrPhoneNotMobile
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}
