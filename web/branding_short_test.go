package web

import "testing"

// TestShortName checks the manifest's short_name is cut after a whole word
// (on grapheme boundaries), not mid-word.
func TestShortName(t *testing.T) {
	for in, want := range map[string]string{
		"Pemerintah Kota Surabaya": "Pemerintah",
		"Rembug Kota Malang":       "Rembug Kota",
		"Rembug":                   "Rembug",
		"Kabupatenbanyuwangi":      "Kabupatenban",
		"Kota 🇮🇩🇮🇩🇮🇩🇮🇩🇮🇩🇮🇩🇮🇩🇮🇩": "Kota",
	} {
		if got := shortName(in); got != want {
			t.Errorf("shortName(%q) = %q, want %q", in, got, want)
		}
	}
}
