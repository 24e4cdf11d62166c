package polis_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/rembug/rembug/polls/polis"
)

// FuzzRead feeds arbitrary comments.csv and votes.csv (beside a valid
// summary.csv) to polis.Read: it never panics, every failure is a
// *polis.RowError naming the file, and what it accepts is valid UTF-8 with
// votes of 1, -1 or 0 on known comments.
func FuzzRead(f *testing.F) {
	fx := fixture()
	f.Add([]byte(fx["comments.csv"]), []byte(fx["votes.csv"]))
	f.Add([]byte("\ufeff"+fx["comments.csv"]), []byte(fx["votes.csv"]+"1600000020000,x,0,9,2\n"))
	f.Add([]byte(fx["comments.csv"]), []byte("timestamp,datetime,comment-id,voter-id,vote\n\"x"))
	f.Fuzz(func(t *testing.T, comments, votes []byte) {
		dir := t.TempDir()
		for name, body := range map[string][]byte{"summary.csv": []byte(fx["summary.csv"]), "comments.csv": comments, "votes.csv": votes} {
			if err := os.WriteFile(filepath.Join(dir, name), body, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		c, err := polis.Read(dir)
		if err != nil {
			var re *polis.RowError
			if !errors.As(err, &re) || re.File == "" {
				t.Fatalf("error %v (%T) is not a RowError naming the file", err, err)
			}
			return
		}
		known := map[string]bool{}
		for _, cm := range c.Comments {
			if !utf8.ValidString(cm.Text) || !utf8.ValidString(cm.ID) {
				t.Fatalf("accepted comment %+v", cm)
			}
			known[cm.ID] = true
		}
		for _, v := range c.Votes {
			if v.Value < -1 || v.Value > 1 || !known[v.Comment] || !utf8.ValidString(v.Participant) {
				t.Fatalf("accepted vote %+v", v)
			}
		}
	})
}
