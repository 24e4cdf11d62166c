package forum_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// domainRoots are the domain packages (with their sub-packages) whose
// writes must each run in one transaction owned by a Store. Paths are
// relative to this package's directory.
var domainRoots = []string{".", "../polls", "../realtime/live"}

// handleWrites names the exported functions of domain packages that take a
// database handle other than a transaction (bun.IDB, *bun.DB, bun.Conn) and
// still write, each with the reason it may. Everything else that writes
// through a handle is a Store method (the Store owns the transaction) or
// takes a bun.Tx (so it cannot be called outside one).
var handleWrites = map[string]string{
	// Schema and start-up: before any Store exists; migrations record
	// themselves in their own table.
	"forum/storage.WithMigrationLock":           "schema migration lock at start-up",
	"forum/storage.RunOnce":                     "start-up step guarded by the migration lock",
	"forum.SecretKey":                           "creates the installation key once at start-up (INSERT … ON CONFLICT DO NOTHING)",
	"forum/storage/storagetest.RefuseInserts":   "test helper that installs a failing trigger",
	"forum/forumtest.CreateUser":                "test fixture without an audit row; only _test.go files import forumtest (TestOnlyTestsImport)",
	"polls/indicators/indicatorstest.SeedVotes": "benchmark fixture of synthetic votes; only _test.go files import indicatorstest",
	// Counters and caches: no one's content or rights change, one atomic
	// statement each, and the caller wants them counted even when the
	// guarded write fails (so they must not share its transaction).
	"forum.RefreshStatistics":    "recomputes the public statistics cache",
	"polls/indicators.Beat":      "liveness heartbeat row of a background job",
	"polls/indicators.Heartbeat": "liveness heartbeat of a background job",
	"forum/reach.Record":         "anonymous reach counter, one upsert",
	"forum.CoverThumb":           "stores the card image made from a cover, once (a cache of derived bytes)",
	"polls/report.Build":         "reads; loadActivity's SQL is built at run time, which the check cannot read",
	// Sessions: the session row is the sign-in's result; Store.SignIn and
	// Store.SignOut run them, and account deletion ends them in its own
	// transaction.
	"forum.CreateSession":      "called inside Store.SignIn's transaction",
	"forum.DeleteSession":      "called inside Store.SignIn's transaction and by Store.SignOut",
	"forum.DeleteUserSessions": "called inside Store.DeleteAccount's transaction",
	// Steps other Stores run inside their own transactions: the merge
	// steps of Store.SignIn (Mergers), the participant row a write needs,
	// the message outbox row of a write.
	"forum.MergeKeyed":                 "merge step, run inside Store.SignIn's transaction",
	"polls.MergeVotes":                 "merge step, run inside Store.SignIn's transaction",
	"polls.MergeResponses":             "merge step, run inside Store.SignIn's transaction",
	"realtime/live.MergeParticipant":   "merge step, run inside Store.SignIn's transaction",
	"forum/rancangan.MergeParticipant": "merge step, run inside Store.SignIn's transaction",
	"forum.MergeParticipant":           "runs the merge steps inside Store.SignIn's transaction",
	"forum.Mergers.Merge":              "runs the merge steps inside Store.SignIn's transaction",
	"forum.EnsureParticipant":          "creates the acting participant row (idempotent upsert) before or inside a write",
	"forum/storage.SetBytes":           "writes the bytes of a row inside its caller's transaction (or CoverThumb's cache)",
	"forum.UserParticipant":            "creates the user's participant row (idempotent upsert) before or inside a write",
	"forum/messaging.Enqueue":          "outbox row, run inside the transaction of the write that sends the message",
	"forum/draft.Save":                 "a visitor's unsent form draft, not content or rights",
	// Imports: each is one transaction of its own with an audit row by the
	// system (README, Code map).
	"forum/consul.Import":              "one transaction with its audit row (Decide Madrid import)",
	"polls/polis.Import":               "one transaction with its audit row (Pol.is import)",
	"forum.UpsertImportedConsultation": "run inside the importers' transactions",
}

// TestExportedWritesRunInTransaction walks the domain packages' source
// (go/ast) and fails for every exported function or method that takes a
// database handle other than a bun.Tx (bun.IDB, *bun.DB, bun.Conn) and
// writes through it: an INSERT, UPDATE or DELETE (bun's NewInsert,
// NewUpdate, NewDelete, a raw statement that is not a SELECT, ExecContext),
// its own transaction, or a call to a function of the same or another
// domain package that does, unless handleWrites names it. Such a function
// lets the caller decide whether the write and its audit row are one
// transaction; the rule (README "Code map", Transactions) is that every
// exported write is a Store method or takes the bun.Tx it writes in.
//
// Method calls through a value (s.db.…, x.Do(…)) are not followed: a
// method's receiver type is not known without type checking, and a Store
// method is the right place for a write anyway.
func TestExportedWritesRunInTransaction(t *testing.T) {
	fset := token.NewFileSet()
	mod := modulePath(t)
	funcs := map[string]*fn{} // "pkg.Name" or "pkg.Recv.Name"
	for _, root := range domainRoots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			pkg := pkgOf(path)
			imports := map[string]string{}
			for _, im := range f.Imports {
				p, _ := strconv.Unquote(im.Path.Value)
				name := p[strings.LastIndexByte(p, '/')+1:]
				if im.Name != nil {
					name = im.Name.Name
				}
				imports[name] = strings.TrimPrefix(p, mod+"/")
			}
			for _, decl := range f.Decls {
				d, ok := decl.(*ast.FuncDecl)
				if !ok || d.Body == nil {
					continue
				}
				key := pkg + "." + d.Name.Name
				if d.Recv != nil {
					key = pkg + "." + recvName(d.Recv) + "." + d.Name.Name
				}
				funcs[key] = &fn{key: key, pkg: pkg, decl: d, imports: imports, pos: fset.Position(d.Pos()).String()}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(funcs) < 500 {
		t.Fatalf("found only %d functions in the domain packages; the walk no longer finds the source", len(funcs))
	}
	// A function writes when its body does, or calls a package-level
	// function (same package or another domain package) that does.
	for _, f := range funcs {
		f.direct = writesDirectly(f.decl.Body)
	}
	for changed := true; changed; {
		changed = false
		for _, f := range funcs {
			if f.writes() {
				continue
			}
			for _, callee := range f.callees() {
				if g := funcs[callee]; g != nil && g.writes() {
					f.via, changed = callee, true
					break
				}
			}
		}
	}
	var bad []string
	for key, f := range funcs {
		if !f.decl.Name.IsExported() || f.decl.Recv != nil && !ast.IsExported(recvName(f.decl.Recv)) {
			continue
		}
		handle := handleParam(f.decl)
		if handle == "" || !f.writes() {
			continue
		}
		if _, ok := handleWrites[key]; ok {
			continue
		}
		if n := f.decl.Name.Name; f.decl.Recv == nil && (strings.HasPrefix(n, "Migrate") || n == "Rollback") {
			continue // schema migrations run at start-up, before any Store, and record themselves
		}
		why := "writes"
		if !f.direct {
			why = "writes through " + f.via
		}
		bad = append(bad, f.pos+": "+key+" takes "+handle+" and "+why)
	}
	for key := range handleWrites {
		if f := funcs[key]; f == nil || handleParam(f.decl) == "" || !f.writes() {
			bad = append(bad, "handleWrites names "+key+", which no longer takes a handle and writes: remove it from the list")
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
	if len(bad) > 0 {
		t.Log("make each a Store method running in one transaction with its audit row, or take a bun.Tx")
	}
}

type fn struct {
	key, pkg, pos string
	decl          *ast.FuncDecl
	imports       map[string]string
	direct        bool
	via           string
}

func (f *fn) writes() bool { return f.direct || f.via != "" }

// callees are the package-level functions f's body calls, as funcs keys.
func (f *fn) callees() []string {
	var out []string
	ast.Inspect(f.decl.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		switch c := call.Fun.(type) {
		case *ast.Ident:
			out = append(out, f.pkg+"."+c.Name)
		case *ast.SelectorExpr:
			if x, ok := c.X.(*ast.Ident); ok {
				if p, ok := f.imports[x.Name]; ok {
					out = append(out, p+"."+c.Sel.Name)
				}
			}
		}
		return true
	})
	return out
}

// writeMethods are bun's (and database/sql's) calls that change rows or
// start a transaction.
var writeMethods = map[string]bool{
	"NewInsert": true, "NewUpdate": true, "NewDelete": true, "NewMerge": true, "NewTruncateTable": true,
	"NewCreateTable": true, "NewDropTable": true, "NewCreateIndex": true, "NewDropIndex": true,
	"NewAddColumn": true, "NewDropColumn": true, "ExecContext": true, "RunInTx": true, "BeginTx": true, "Begin": true,
}

// writesDirectly reports whether body changes rows itself: a bun write
// query, a transaction, or a raw statement that does not start with
// SELECT (or WITH … SELECT without a data-changing clause).
func writesDirectly(body *ast.BlockStmt) bool {
	w := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || w {
			return !w
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		switch {
		case writeMethods[sel.Sel.Name]:
			w = true
		case sel.Sel.Name == "NewRaw" && len(call.Args) > 0:
			w = !readOnlySQL(call.Args[0])
		}
		return !w
	})
	return w
}

// readOnlySQL reports whether e is a string literal (or a concatenation of
// them) holding a SELECT; anything it cannot read counts as a write.
func readOnlySQL(e ast.Expr) bool {
	s, ok := literal(e)
	if !ok {
		return false
	}
	s = strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(s, "SELECT") && !strings.HasPrefix(s, "WITH") {
		return false
	}
	for _, w := range []string{"INSERT ", "UPDATE ", "DELETE ", " FOR UPDATE"} {
		if strings.Contains(s, w) {
			return strings.HasSuffix(w, "FOR UPDATE") // a row lock reads
		}
	}
	return true
}

func literal(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		a, ok1 := literal(e.X)
		b, ok2 := literal(e.Y)
		return a + b, ok1 && ok2 && e.Op == token.ADD
	case *ast.ParenExpr:
		return literal(e.X)
	}
	return "", false
}

// handleParam returns the type of d's first parameter that is a database
// handle other than a transaction, or "".
func handleParam(d *ast.FuncDecl) string {
	for _, p := range d.Type.Params.List {
		t := p.Type
		star := ""
		if s, ok := t.(*ast.StarExpr); ok {
			t, star = s.X, "*"
		}
		sel, ok := t.(*ast.SelectorExpr)
		if !ok {
			continue
		}
		if x, ok := sel.X.(*ast.Ident); ok && x.Name == "bun" {
			switch sel.Sel.Name {
			case "IDB", "DB", "Conn":
				return star + "bun." + sel.Sel.Name
			}
		}
	}
	return ""
}

func recvName(r *ast.FieldList) string {
	t := r.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return "?"
}

// pkgOf is the module-relative import path of the package of file path
// (relative to forum/).
func pkgOf(path string) string {
	dir := filepath.ToSlash(filepath.Clean(filepath.Join("forum", filepath.Dir(path))))
	return dir
}

func modulePath(t *testing.T) string {
	b, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if m, ok := strings.CutPrefix(l, "module "); ok {
			return strings.TrimSpace(m)
		}
	}
	t.Fatal("no module line in go.mod")
	return ""
}
