package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded assets under content-hashed paths
// (/static/style.3f2a1b9c.css) with a year-long immutable cache, so a new
// release never meets a stale stylesheet.
type staticFiles struct {
	byHashed map[string][]byte // "style.3f2a1b9c.css" → content
	hashed   map[string]string // "style.css" → "/static/style.3f2a1b9c.css"
}

func loadStatic() (*staticFiles, error) {
	sf := &staticFiles{byHashed: map[string][]byte{}, hashed: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		h := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		sf.byHashed[h] = b
		sf.hashed[name] = "/static/" + h
		return nil
	})
	return sf, err
}

// URL returns the hashed path of asset name, e.g. "style.css".
func (sf *staticFiles) URL(name string) string { return sf.hashed[name] }

func (sf *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	b, ok := sf.byHashed[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(b) //nolint:errcheck // the client went away
}
