package messaging

import (
	"errors"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		err            error
	}{
		{"local with trunk zero", "081234567890", "+6281234567890", nil},
		{"local with dashes", "0812-3456-7890", "+6281234567890", nil},
		{"local in brackets", "(0812) 3456 7890", "+6281234567890", nil},
		{"country code without plus", "6281234567890", "+6281234567890", nil},
		{"country code with spaces", "62 812 3456 7890", "+6281234567890", nil},
		{"plus and spaces", "+62 812 3456 7890", "+6281234567890", nil},
		{"plus and dots", "+62.812.3456.7890", "+6281234567890", nil},
		{"telkomsel short", "0811 234 567", "+62811234567", nil},
		{"other country needs plus", "+65 9123 4567", "+6591234567", nil},
		{"fixed line jakarta", "021 5550 123", "", ErrPhoneNotMobile},
		{"too short", "0812", "", ErrPhoneInvalid},
		{"letters", "nomor saya", "", ErrPhoneInvalid},
		{"empty", "  ", "", ErrPhoneInvalid},
		{"too long", "0812345678901234567890", "", ErrPhoneInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizePhone(tc.in)
			if !errors.Is(err, tc.err) || got != tc.want {
				t.Fatalf("NormalizePhone(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
			}
		})
	}
}
