package web

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// fileCSP is the Content-Security-Policy of a served file: a sandbox with
// nothing allowed, so that a document opened in the browser runs no
// script and has no access to the site's origin (CSP Level 3 §6.3.2).
const fileCSP = "sandbox; default-src 'none'; frame-ancestors 'none'"

// publicFileAge is how long shared caches may keep a file of a public
// consultation, in seconds. A file's content never changes under its id
// (a new upload gets a new id), but a consultation may go back to draft.
const publicFileAge = 600

// handleFile serves /k/{ref}/berkas/{id}/{name}: the file's content with
// the type decided at upload, as an attachment (documents) or inline
// (images, shown by the consultation page), never sniffed by the browser.
// The consultation's visibility rule decides (forum.OpenFile); anything
// else is 404. The {name} segment is for people and is not checked.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := forum.ConsultationByRef(ctx, s.db, r.PathValue("ref"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	v, err := s.readerViewer(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	f, err := forum.OpenFile(ctx, s.db, v, c, id)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	cache := "private, no-cache"
	if c.Public() {
		cache = "public, max-age=" + strconv.Itoa(publicFileAge)
	}
	s.serveStored(w, r, storedFile{ContentType: f.ContentType, ETag: f.ETag(), Name: f.Name, Inline: f.Image(),
		Cache: cache, Modified: f.CreatedAt}, func() ([]byte, error) { return forum.FileData(ctx, s.db, f) })
}

// handleCoverThumb serves /k/{ref}/sampul: the consultation's card image
// (forum.CoverThumb: its cover as a small JPEG), shown on the home page's
// card; the consultation's visibility rule decides, as for its files.
func (s *Server) handleCoverThumb(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := forum.ConsultationByRef(ctx, s.db, r.PathValue("ref"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v, err := s.readerViewer(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	thumb, f, err := forum.CoverThumb(ctx, s.db, v, c)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	cache := "private, no-cache"
	if c.Public() {
		cache = "public, max-age=" + strconv.Itoa(publicFileAge)
	}
	etag := `"t` + f.SHA256[:min(31, len(f.SHA256))] + `"`
	s.serveStored(w, r, storedFile{ContentType: "image/jpeg", ETag: etag, Name: "sampul.jpg", Inline: true, Cache: cache,
		Modified: f.CreatedAt}, func() ([]byte, error) { return thumb, nil })
}

// storedFile is what the response of a file kept in the database says
// of it: the type decided at upload, its entity tag, the name to save it
// under, whether a page shows it (images) or the browser saves it, the
// Cache-Control value and its upload time.
type storedFile struct {
	ContentType, ETag, Name, Cache string
	Inline                         bool
	Modified                       time.Time
}

// serveStored writes a stored file: its type, never sniffed, in a
// sandbox (fileCSP), with its disposition and entity tag; 304 when the
// client has it (load is then not called), else load's content with
// ranges (http.ServeContent).
func (s *Server) serveStored(w http.ResponseWriter, r *http.Request, f storedFile, load func() ([]byte, error)) {
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", fileCSP)
	h.Set("ETag", f.ETag)
	h.Set("Cache-Control", f.Cache)
	disposition := "attachment"
	if f.Inline {
		disposition = "inline"
	}
	if cd := mime.FormatMediaType(disposition, map[string]string{"filename": f.Name}); cd != "" {
		disposition = cd
	}
	h.Set("Content-Disposition", disposition)
	if etagMatch(r.Header.Get("If-None-Match"), f.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	data, err := load()
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.ServeContent(w, r, "", f.Modified, bytes.NewReader(data))
}

// etagMatch reports whether an If-None-Match header lists etag or "*"
// (RFC 9110 §13.1.2: weak comparison).
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
