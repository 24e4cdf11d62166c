package complaint

import "testing"

func TestMask(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"mobile 08", "hubungi 081234567890 ya", "hubungi " + MaskedPhone + " ya"},
		{"mobile +62 spaced", "WA +62 812-3456-7890.", "WA " + MaskedPhone + "."},
		{"mobile 62", "no 6281234567890", "no " + MaskedPhone},
		{"landline", "telp (031) 5312144", "telp " + MaskedPhone},
		{"landline dashes", "kantor 031-531-2144", "kantor " + MaskedPhone},
		{"email", "kirim ke budi.santoso+adu@mail.example.co.id!", "kirim ke " + MaskedEmail + "!"},
		{"nik", "NIK 3578012345670001 atas nama", "NIK " + MaskedNIK + " atas nama"},
		{"kk grouped", "KK 3578 0123 4567 0001", "KK " + MaskedNIK},
		{"two", "3578012345670001 / 081234567890", MaskedNIK + " / " + MaskedPhone},
		{"rt rw and year kept", "RT 03 RW 05, sejak 2024, jalan no 12", "RT 03 RW 05, sejak 2024, jalan no 12"},
		{"short number kept", "nomor rumah 0123", "nomor rumah 0123"},
		{"amount kept", "biaya Rp 150.000", "biaya Rp 150.000"},
		{"tracking number kept", "ADU-2026-000123", "ADU-2026-000123"},
		{"17 digits not a NIK", "12345678901234567", "12345678901234567"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Mask(tc.in); got != tc.want {
				t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
