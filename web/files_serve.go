package web

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"
	"strings"

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
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", fileCSP)
	h.Set("ETag", f.ETag())
	if c.Public() {
		h.Set("Cache-Control", "public, max-age="+strconv.Itoa(publicFileAge))
	} else {
		h.Set("Cache-Control", "private, no-cache")
	}
	disposition := "attachment"
	if f.Image() {
		disposition = "inline"
	}
	if cd := mime.FormatMediaType(disposition, map[string]string{"filename": f.Name}); cd != "" {
		disposition = cd
	}
	h.Set("Content-Disposition", disposition)
	if etagMatch(r.Header.Get("If-None-Match"), f.ETag()) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	data, err := forum.FileData(ctx, s.db, f)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.ServeContent(w, r, "", f.CreatedAt, bytes.NewReader(data))
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
