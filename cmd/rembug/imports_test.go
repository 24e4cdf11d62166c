package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// module is this repository's module path.
const module = "github.com/rembug/rembug"

// listedPackage is the part of `go list -json` output the layout tests read.
type listedPackage struct {
	ImportPath string
	Imports    []string // direct imports, tests excluded
	Deps       []string // every package linked in, tests excluded
}

// listModule runs `go list -deps -json` over the module and returns its own
// packages (not the standard library or other modules), by import path.
func listModule(t *testing.T) map[string]listedPackage {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH")
	}
	cmd := exec.Command("go", "list", "-deps", "-json", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	pkgs := map[string]listedPackage{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		if rel, ok := within(p.ImportPath); ok && rel != "" {
			pkgs[rel] = p
		}
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages of the module", len(pkgs))
	}
	return pkgs
}

// within returns path relative to the module ("forum/storage"), and whether
// it belongs to the module.
func within(path string) (string, bool) {
	if path == module {
		return "", true
	}
	rel, ok := strings.CutPrefix(path, module+"/")
	return rel, ok
}

// under reports whether rel is the package root or one of its subpackages.
func under(rel, root string) bool { return rel == root || strings.HasPrefix(rel, root+"/") }

// infrastructure are packages below forum that hold no domain rules (the
// database helpers, the error kinds, grapheme-safe text cutting), which
// leaves may import.
var infrastructure = []string{"forum/storage", "forum/errs", "forum/grapheme"}

func isInfrastructure(rel string) bool {
	for _, p := range infrastructure {
		if under(rel, p) {
			return true
		}
	}
	return false
}

// isDomain reports whether rel is a domain package: the forum, polls or
// live sessions, infrastructure aside.
func isDomain(rel string) bool {
	return (under(rel, "forum") || under(rel, "polls") || under(rel, "realtime/live")) && !isInfrastructure(rel)
}

// TestImportDirection checks the dependency direction of the README's
// "Code map": cmd → web → {forum, polls, realtime/live}; polls and
// realtime/live may depend on forum; search and the realtime hub are leaves
// that import no domain package; nothing imports web or cmd.
func TestImportDirection(t *testing.T) {
	pkgs := listModule(t)
	for rel, p := range pkgs {
		for _, imp := range p.Imports {
			dep, ok := within(imp)
			if !ok {
				continue
			}
			var why string
			switch {
			case under(dep, "cmd"):
				why = "nothing imports cmd"
			case under(dep, "web") && !under(rel, "web") && !under(rel, "cmd"):
				why = "only cmd imports web"
			case under(rel, "search") && (isDomain(dep) || under(dep, "realtime")):
				why = "search is a leaf: it imports no domain package"
			case under(rel, "realtime") && !under(rel, "realtime/live") && (isDomain(dep) || under(dep, "search")):
				why = "the realtime hub is a leaf: it imports no domain package"
			case under(rel, "forum") && (under(dep, "polls") || under(dep, "realtime")):
				why = "forum is the base domain: it imports neither polls nor realtime"
			case under(rel, "polls") && under(dep, "realtime"):
				why = "polls may import forum, not live sessions"
			case under(rel, "realtime/live") && under(dep, "polls") && dep != "polls/tally":
				why = "live sessions may import forum (and the pure tally functions), not polls"
			}
			if why != "" {
				t.Errorf("%s imports %s: %s", rel, dep, why)
			}
		}
	}
}

// TestDomainLinksNoSearchEngine checks that no domain package, nor search
// itself, links a search engine: engines live in search/bleve and
// search/meili and only cmd picks one.
func TestDomainLinksNoSearchEngine(t *testing.T) {
	pkgs := listModule(t)
	checked := 0
	for rel, p := range pkgs {
		if !isDomain(rel) && !under(rel, "realtime") && rel != "search" && !isInfrastructure(rel) {
			continue
		}
		checked++
		for _, d := range p.Deps {
			if strings.Contains(d, "blevesearch") || strings.Contains(d, "meilisearch") ||
				d == module+"/search/bleve" || d == module+"/search/meili" || d == module+"/search/analysis" {
				t.Errorf("%s links %s", rel, d)
			}
		}
	}
	for _, must := range []string{"forum", "polls", "realtime", "realtime/live", "search"} {
		if _, ok := pkgs[must]; !ok {
			t.Errorf("package %s not listed", must)
		}
	}
	if checked < 5 {
		t.Errorf("only %d packages checked", checked)
	}
}
