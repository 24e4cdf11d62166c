package consul_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/rembug/rembug/forum/consul"
)

const (
	fuzzProposals = "id,code,title,userId,date,summary,text,status,numSupports\n" +
		"7,MAD-7,Limpiar las calles,9884,2015-09-15,Algo básico,,archived,6560\n"
	fuzzComments = "id,parentId,proposalId,userId,date,time,text,numPositiveVotes,numNegativeVotes\n" +
		"1,-1,7,5,2015-09-16,0 days 10:50:19,Sí,2,0\n2,1,7,6,2015-09-17,0 days 11:00:00,No,0,1\n"
)

// FuzzRead feeds arbitrary proposals.csv and comments.csv to consul.Read:
// it never panics, every failure is a *consul.RowError naming the file, and
// what it accepts is valid UTF-8 with non-negative counts.
func FuzzRead(f *testing.F) {
	f.Add([]byte(fuzzProposals), []byte(fuzzComments))
	f.Add([]byte("\ufeff"+fuzzProposals), []byte(fuzzComments))
	f.Add([]byte(fuzzProposals), []byte("id\n\"unclosed"))
	f.Add([]byte(fuzzProposals), []byte(fuzzComments+"3,-1,7,5,\"2015"))
	f.Add([]byte(fuzzProposals+"8,X,\xff,1,2015-09-15,,,open,1\n"), []byte(fuzzComments))
	f.Fuzz(func(t *testing.T, proposals, comments []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "proposals.csv"), proposals, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "comments.csv"), comments, 0o600); err != nil {
			t.Fatal(err)
		}
		d, err := consul.Read(dir)
		if err != nil {
			var re *consul.RowError
			if !errors.As(err, &re) || re.File == "" {
				t.Fatalf("error %v (%T) is not a RowError naming the file", err, err)
			}
			return
		}
		for _, p := range d.Proposals {
			for _, s := range []string{p.ID, p.Code, p.Title, p.Summary, p.Text, p.Status, p.UserID} {
				if !utf8.ValidString(s) {
					t.Fatalf("accepted invalid UTF-8 %q", s)
				}
			}
			if p.Supports < 0 {
				t.Fatalf("negative supports %d", p.Supports)
			}
		}
		for _, c := range d.Comments {
			if !utf8.ValidString(c.Text) || !utf8.ValidString(c.UserID) || c.Up < 0 || c.Down < 0 {
				t.Fatalf("accepted comment %+v", c)
			}
		}
	})
}
