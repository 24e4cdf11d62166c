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
	v, c, err := s.fileConsultation(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	ctx := r.Context()
	f, err := forum.OpenFile(ctx, s.db, v, c, id)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.serveStored(w, r, storedFile{ContentType: f.ContentType, SHA256: f.SHA256, Name: f.Name, Inline: f.Image(),
		Public: c.Public(), Modified: f.CreatedAt}, func() ([]byte, error) { return forum.FileData(ctx, s.db, f) })
}

// fileConsultation returns the reader of r and the {ref} consultation,
// for the handlers of its files, whose forum call asks the consultation's
// visibility rule for that reader.
func (s *Server) fileConsultation(r *http.Request) (forum.Viewer, *forum.Consultation, error) {
	c, err := forum.ConsultationByRef(r.Context(), s.db, r.PathValue("ref"))
	if err != nil {
		return forum.Viewer{}, nil, err
	}
	v, err := s.readerViewer(r)
	return v, c, err
}

// handleCoverThumb serves /k/{ref}/sampul: the consultation's card image
// (forum.CoverThumb: its cover as a small JPEG), shown on the home page's
// card; the consultation's visibility rule decides, as for its files.
func (s *Server) handleCoverThumb(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.fileConsultation(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	thumb, f, err := forum.CoverThumb(r.Context(), s.db, v, c)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.serveStored(w, r, storedFile{ContentType: "image/jpeg", SHA256: f.SHA256, Thumb: true, Name: "sampul.jpg", Inline: true,
		Public: c.Public(), Modified: f.CreatedAt}, func() ([]byte, error) { return thumb, nil })
}

// storedFile is what the response of a file kept in the database says
// of it: the type decided at upload, the name to save it under, whether a
// page shows it (images) or the browser saves it, and its upload time.
// SHA256, the content's hex digest, makes its entity tag; Thumb marks a
// card image made from that content, whose tag differs from the
// original's. Public lets shared caches keep it for publicFileAge seconds
// (a file of something anyone may read); otherwise it is private and
// revalidated on every use.
type storedFile struct {
	ContentType, Name, SHA256 string
	Thumb, Inline, Public     bool
	Modified                  time.Time
}

// etag is f's strong entity tag (RFC 9110 §8.8.3): 32 hex digits of its
// digest, or "t" and 31 of them for a card image.
func (f storedFile) etag() string {
	if f.Thumb {
		return `"t` + f.SHA256[:min(31, len(f.SHA256))] + `"`
	}
	return `"` + f.SHA256[:min(32, len(f.SHA256))] + `"`
}

// cacheControl is f's Cache-Control value.
func (f storedFile) cacheControl() string {
	if f.Public {
		return "public, max-age=" + strconv.Itoa(publicFileAge)
	}
	return "private, no-cache"
}

// serveStored writes a stored file: its type, never sniffed, in a
// sandbox (fileCSP), with its disposition, entity tag and caching; 304 when the
// client has it (load is then not called), else load's content with
// ranges (http.ServeContent).
func (s *Server) serveStored(w http.ResponseWriter, r *http.Request, f storedFile, load func() ([]byte, error)) {
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", fileCSP)
	etag := f.etag()
	h.Set("ETag", etag)
	h.Set("Cache-Control", f.cacheControl())
	disposition := "attachment"
	if f.Inline {
		disposition = "inline"
	}
	if cd := mime.FormatMediaType(disposition, map[string]string{"filename": f.Name}); cd != "" {
		disposition = cd
	}
	h.Set("Content-Disposition", disposition)
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
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
