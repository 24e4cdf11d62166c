package ikm

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeCSV writes content to a file in a fresh temporary folder and opens it.
func writeCSV(tb testing.TB, content string) *os.File {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "ikm.csv")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		tb.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

func TestReadCSV(t *testing.T) {
	// BOM, CRLF line endings, upper-case columns in another order, an ignored column,
	// profile columns, a blank answer, a blank line and a line of empty cells.
	content := "\ufeffNo,U9,u1,U2,u3,u4,u5,u6,u7,u8,Umur,JK,Pendidikan,Pekerjaan\r\n" +
		"1,4,3,3,4,3,3,4,4,3,34,L,S1,PNS\r\n" +
		"2,,2,3,3,4,3,3,3,2,19,perempuan,SMA,mahasiswa\r\n" +
		"\r\n" +
		",,,,,,,,,,,,,\r\n" +
		"3, 1 ,4,4,4,4,4,4,4,4,,,,\r\n"
	got, err := ReadCSV(writeCSV(t, content))
	if err != nil {
		t.Fatal(err)
	}
	want := []Response{
		{Scores: [9]int{3, 3, 4, 3, 3, 4, 4, 3, 4}, Profile: Profile{AgeBand: "30-39", Sex: "L", Education: "s1", Occupation: "pns"}},
		{Scores: [9]int{2, 3, 3, 4, 3, 3, 3, 2, 0}, Profile: Profile{AgeBand: "<20", Sex: "P", Education: "sma", Occupation: "pelajar"}},
		{Scores: [9]int{4, 4, 4, 4, 4, 4, 4, 4, 1}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ReadCSV =\n%+v\nwant\n%+v", got, want)
	}
	res, err := Compute(got)
	if err != nil || res.Elements[8].Answered != 2 || res.Elements[8].Sum != 5 {
		t.Errorf("U9 after import: %+v %v", res.Elements[8], err)
	}
}

// TestReadCSVOfficeLabels reads a paper survey whose office printed its own
// profile bands: "50+" and "17-25" for age, "Nelayan" for occupation. They
// are kept as given; known spellings and whole years still become codes.
func TestReadCSVOfficeLabels(t *testing.T) {
	content := "u1,u2,u3,u4,u5,u6,u7,u8,u9,usia,jk,pendidikan,pekerjaan\n" +
		"3,3,3,3,3,3,3,3,3,50+,L,SMA sederajat,Nelayan\n" +
		"4,4,4,4,4,4,4,4,4, 17-25 ,Pr,Paket C,PNS\n" +
		"2,3,4,3,2,3,4,3,2,44,P,S1,Petani\n"
	got, err := ReadCSV(strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	want := []Profile{
		{AgeBand: "50+", Sex: "L", Education: "SMA sederajat", Occupation: "Nelayan"},
		{AgeBand: "17-25", Sex: "Pr", Education: "Paket C", Occupation: "pns"},
		{AgeBand: "40-49", Sex: "P", Education: "s1", Occupation: "Petani"},
	}
	for i, w := range want {
		if got[i].Profile != w {
			t.Errorf("row %d profile = %+v, want %+v", i+2, got[i].Profile, w)
		}
	}
	if got[0].Scores != [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3} {
		t.Errorf("scores = %v", got[0].Scores)
	}
}

func TestReadCSVSemicolons(t *testing.T) {
	got, err := ReadCSV(strings.NewReader("u1;u2;u3;u4;u5;u6;u7;u8;u9\n1;2;3;4;1;2;3;4;1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Scores != [9]int{1, 2, 3, 4, 1, 2, 3, 4, 1} {
		t.Errorf("got %+v", got)
	}
}

func TestReadCSVErrors(t *testing.T) {
	const header = "u1,u2,u3,u4,u5,u6,u7,u8,u9,sex\r\n"
	const ok = "3,3,3,3,3,3,3,3,3,L\r\n"
	tests := []struct {
		name    string
		content string
		kind    ImportErrorKind
		row     int
		column  string
		id, en  string
	}{
		{"score 5 on line 7", header + strings.Repeat(ok, 5) + "3,3,5,3,3,3,3,3,3,P\r\n" + ok, ErrScore, 7, "u3",
			`baris 7, kolom u3: nilai "5" harus 1–4`, `row 7, column u3: value "5" must be 1–4`},
		{"score 0", header + "0,3,3,3,3,3,3,3,3,L\n", ErrScore, 2, "u1", "", ""},
		{"score text", header + ok + "3,3,3,3,3,3,3,3,baik,L\n", ErrScore, 3, "u9", "", ""},
		{"score decimal", header + "3,3,3,3.5,3,3,3,3,3,L\n", ErrScore, 2, "u4", "", ""},
		{"missing u-column", "u1,u2,u3,u5,u6,u7,u8,u9\n3,3,3,3,3,3,3,3\n", ErrMissingColumn, 1, "u4",
			"baris 1: kolom u4 tidak ada di baris judul", "row 1: column u4 is missing from the header"},
		{"duplicate column", "u1,u2,u3,u4,u5,u6,u7,u8,u9,U3\n", ErrDuplicateColumn, 1, "u3", "", ""},
		{"Latin-1 byte", header + ok + "3,3,3,3,3,3,3,3,3,\xe9\r\n", ErrInvalidUTF8, 3, "sex", "", ""},
		{"Latin-1 in ignored column", "u1,u2,u3,u4,u5,u6,u7,u8,u9,catatan\n3,3,3,3,3,3,3,3,3,caf\xe9\n", ErrInvalidUTF8, 2, "catatan", "", ""},
		{"profile label too long", header + ok + ok + "3,3,3,3,3,3,3,3,3," + strings.Repeat("Laki-laki dan perempuan ", 5) + "\n", ErrProfile, 4, "sex",
			`baris 4, kolom sex: label "Laki-laki dan perempuan Laki-laki dan pe…" terlalu panjang (paling banyak 100 karakter)`,
			`row 4, column sex: label "Laki-laki dan perempuan Laki-laki dan pe…" is too long (at most 100 characters)`},
		{"wrong cell count", header + "3,3,3\n", ErrMalformed, 2, "", "", ""},
		{"bad quotes", header + "3,3,\"3,3,3,3,3,3,3,L\n", ErrMalformed, 2, "", "", ""},
		{"empty file", "", ErrEmpty, 0, "", "", ""},
		{"only a BOM", "\ufeff", ErrEmpty, 0, "", "", ""},
		{"header only", header, ErrNoRows, 0, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCSV(writeCSV(t, tt.content))
			if got != nil {
				t.Errorf("responses returned with an error: %v", got)
			}
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want *ImportError", err)
			}
			if ie.Kind != tt.kind || ie.Row != tt.row || ie.Column != tt.column {
				t.Errorf("got kind %s row %d column %q, want %s %d %q (%s)", ie.Kind, ie.Row, ie.Column, tt.kind, tt.row, tt.column, ie)
			}
			if tt.id != "" && ie.Indonesian() != tt.id {
				t.Errorf("Indonesian() = %q, want %q", ie.Indonesian(), tt.id)
			}
			if tt.en != "" && ie.English() != tt.en {
				t.Errorf("English() = %q, want %q", ie.English(), tt.en)
			}
			if ie.Message("id") == ie.Message("en") || ie.Error() != ie.English() || ie.Key() == "" {
				t.Errorf("messages: %q / %q", ie.Message("id"), ie.Message("en"))
			}
		})
	}
}

func TestReadCSVMalformedIndonesian(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("u1,u2,u3,u4,u5,u6,u7,u8,u9\n3,3,3\n"))
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Indonesian() != "baris 2: format CSV rusak (jumlah sel tidak sama dengan baris judul)" {
		t.Errorf("got %v", err)
	}
}
