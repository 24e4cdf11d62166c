package indonesian

import "testing"

func TestStem(t *testing.T) {
	s := New()
	cases := []struct{ word, root string }{
		// suffixes -kan, -an, -i
		{"perbaiki", "baik"}, {"perbaikan", "baik"}, {"memperbaiki", "baik"}, {"diperbaiki", "baik"},
		{"pelayanan", "layan"}, {"melayani", "layan"}, {"layanan", "layan"}, {"dilayani", "layan"},
		{"makanan", "makan"}, {"tindakan", "tindak"}, {"bantuan", "bantu"}, {"tagihan", "tagih"},
		{"gunakan", "guna"}, {"sampaikan", "sampai"}, {"dapatkan", "dapat"},
		// ber-, ter-, be-
		{"bermain", "main"}, {"berjalan", "jalan"}, {"berkumpul", "kumpul"}, {"beragam", "ragam"},
		{"bekerja", "kerja"}, {"belajar", "ajar"}, {"terbuka", "buka"}, {"terdengar", "dengar"},
		{"terlambat", "lambat"}, {"bersama", "sama"},
		// me- and its variants
		{"membangun", "bangun"}, {"memakai", "pakai"}, {"memilih", "pilih"}, {"memukul", "pukul"},
		{"mendengar", "dengar"}, {"mencari", "cari"}, {"menulis", "tulis"}, {"menanam", "tanam"},
		{"menggunakan", "guna"}, {"menghasilkan", "hasil"}, {"mengambil", "ambil"}, {"mengirim", "kirim"},
		{"mengecat", "cat"}, {"menyapu", "sapu"}, {"menyusun", "susun"}, {"merawat", "rawat"},
		{"melaporkan", "lapor"}, {"mewujudkan", "wujud"}, {"menilai", "nilai"}, {"memakan", "makan"},
		// pe- and its variants
		{"pengaduan", "adu"}, {"pembangunan", "bangun"}, {"pemilihan", "pilih"}, {"pendidikan", "didik"},
		{"penulis", "tulis"}, {"penghasilan", "hasil"}, {"penyusunan", "susun"}, {"pengiriman", "kirim"},
		{"petani", "tani"}, {"pekerja", "kerja"}, {"pedagang", "dagang"}, {"peraturan", "atur"},
		{"perjalanan", "jalan"}, {"pelajar", "ajar"}, {"pemerintah", "perintah"}, {"pemerintahan", "perintah"},
		// ke-, se-, di-, confixes
		{"kebersihan", "bersih"}, {"kesehatan", "sehat"}, {"keamanan", "aman"}, {"keputusan", "putus"},
		{"ketahui", "tahu"}, {"kelurahan", "lurah"}, {"kecamatan", "camat"}, {"sebagian", "bagi"},
		{"disampaikan", "sampai"}, {"ditanam", "tanam"}, {"persetujuan", "setuju"}, {"keuangan", "uang"},
		// particles and possessives
		{"bukunya", "buku"}, {"rumahku", "rumah"}, {"jalannya", "jalan"}, {"bantulah", "bantu"},
		{"apakah", "apa"}, {"airnya", "air"}, {"sampahnya", "sampah"},
		// reduplication
		{"lampu-lampu", "lampu"}, {"anak-anak", "anak"}, {"tolong-menolong", "tolong"}, {"jalan-jalan", "jalan"},
		// left alone: roots, short words, numbers, unknown words
		{"jalan", "jalan"}, {"Lampu", "lampu"}, {"no", "no"}, {"5", "5"}, {"2026", "2026"}, {"air", "air"},
		{"drainase", "drainase"}, {"jakarta", "jakarta"}, {"surabayanya", "surabaya"}, {"ikan", "ikan"},
		{"pesawat", "pesawat"}, {"kelompok", "kelompok"}, {"selamat", "selamat"},
	}
	for _, c := range cases {
		t.Run(c.word, func(t *testing.T) {
			if got := s.Stem(c.word); got != c.root {
				t.Errorf("Stem(%q) = %q, want %q", c.word, got, c.root)
			}
		})
	}
	if len(cases) < 60 {
		t.Fatalf("table has %d pairs, want at least 60", len(cases))
	}
}

func TestStemNeverEmpty(t *testing.T) {
	s := New()
	for _, w := range []string{"a", "-", "--", "me", "meng", "pengan", "dikan", "berlah", "\xff\xfe", "ñandú", "x-"} {
		if got := s.Stem(w); got == "" {
			t.Errorf("Stem(%q) is empty", w)
		}
	}
}

func BenchmarkStem(b *testing.B) {
	s := New()
	words := []string{"memperbaiki", "pelayanan", "jalan", "pengaduan", "kebersihannya", "drainase"}
	for i := 0; b.Loop(); i++ {
		s.Stem(words[i%len(words)])
	}
}
