package forumtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOnlyTestsImport fails when a file other than a _test.go file imports
// this package: its fixtures write without a transaction or an audit row.
func TestOnlyTestsImport(t *testing.T) {
	const self = `"github.com/rembug/rembug/forum/forumtest"`
	seen := 0
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), self) {
			seen++
			if !strings.HasSuffix(path, "_test.go") {
				t.Errorf("%s imports forumtest; only tests may", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 10 {
		t.Fatalf("found forumtest imported by only %d files; the walk no longer finds the source", seen)
	}
}
