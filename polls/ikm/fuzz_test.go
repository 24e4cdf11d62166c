package ikm

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzReadCSV feeds arbitrary bytes to ReadCSV: it never panics, every
// failure is an *ImportError, and every accepted response has scores of 0
// (not answered) to 4 and valid UTF-8 profile values.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("\ufeffNo,U9,u1,U2,u3,u4,u5,u6,u7,u8,Umur,JK,Pendidikan,Pekerjaan\r\n1,4,3,3,4,3,3,4,4,3,34,L,S1,PNS\r\n"))
	f.Add([]byte("u1;u2;u3;u4;u5;u6;u7;u8;u9\n1;2;3;4;1;2;3;4;1\n"))
	f.Add([]byte("u1,u2,u3,u4,u5,u6,u7,u8,u9,umur\n1,2,3,4,1,2,3,4,1,50+\n"))
	f.Add([]byte("u1,u2,u3,u4,u5,u6,u7,u8,u9\n\"1,2\n"))
	f.Add([]byte("u1,u2,u3,u4,u5,u6,u7,u8,u9,jk\n1,2,3,4,1,2,3,4,1,\xff\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			var ie *ImportError
			if !errors.As(err, &ie) || got != nil {
				t.Fatalf("ReadCSV: error %v (%T) with %d responses", err, err, len(got))
			}
			return
		}
		if len(got) == 0 {
			t.Fatal("ReadCSV accepted a file without responses")
		}
		for _, r := range got {
			for _, s := range r.Scores {
				if s < 0 || s > 4 {
					t.Fatalf("score %d accepted: %+v", s, r)
				}
			}
			p := r.Profile
			for _, s := range []string{p.AgeBand, p.Sex, p.Education, p.Occupation} {
				if !utf8.ValidString(s) {
					t.Fatalf("profile value %q is not valid UTF-8", s)
				}
			}
		}
	})
}
