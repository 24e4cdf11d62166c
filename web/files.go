package web

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum/locale"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// Consultation files (cover image and documents): admins upload them on
// the consultation's admin page as multipart forms; everyone who may see
// the consultation downloads them from /k/{ref}/berkas/{id}/{name}. The
// content lives in the database (forum.ConsultationFile), so any node
// serves any file.

// maxUploadBody caps an upload request's body: the largest document plus
// room for the form's other fields and multipart framing. Every other
// request keeps maxBodyBytes (bodyLimit).
const maxUploadBody = forum.MaxDocumentBytes + 256<<10

// maxUploadField caps each small field of an upload form (csrf, kind, alt).
const maxUploadField = 4 << 10

// uploadReadTime is how long an upload may take to arrive: a 10 MB
// document on a 1 Mbit/s phone link needs about 90 s, more than the
// server's general read timeout.
const uploadReadTime = 5 * time.Minute

// bodyLimit is the body cap of request r: maxUploadBody for the upload
// routes (POST /admin/konsultasi/{ref}/berkas and an interview's
// /admin/evaluasi/{id}/instrumen/{item}/berkas), maxComplaintBody for the
// complaint intake form and API (POST /pengaduan, POST /api/v1/complaints),
// maxProposalBody for the new-proposal forms (POST /k/{ref}/proposals and
// the desk's POST /kiosk/usulan),
// maxBodyBytes otherwise.
func bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost && (r.URL.Path == "/pengaduan" || r.URL.Path == "/api/v1/complaints") {
		// The intake form and API with their photos (complaint_pages.go);
		// the API caps a JSON body at maxBodyBytes itself.
		return maxComplaintBody
	}
	if r.Method == http.MethodPost {
		// The new-proposal form with its image (proposal_image.go), and
		// the desk's (kiosk.go).
		if r.URL.Path == "/kiosk/usulan" {
			return maxProposalBody
		}
		rest, ok := strings.CutPrefix(r.URL.Path, "/k/")
		if ref, ok2 := strings.CutSuffix(rest, "/proposals"); ok && ok2 && ref != "" && !strings.Contains(ref, "/") {
			return maxProposalBody
		}
		rest, ok = strings.CutPrefix(r.URL.Path, "/admin/konsultasi/")
		if ref, ok2 := strings.CutSuffix(rest, "/berkas"); ok && ok2 && ref != "" && !strings.Contains(ref, "/") {
			return maxUploadBody
		}
		// An interview's file: /admin/evaluasi/{id}/instrumen/{item}/berkas.
		rest, ok = strings.CutPrefix(r.URL.Path, "/admin/evaluasi/")
		if mid, ok2 := strings.CutSuffix(rest, "/berkas"); ok && ok2 {
			if id, item, ok3 := strings.Cut(mid, "/instrumen/"); ok3 && id != "" && item != "" && !strings.Contains(id+item, "/") {
				return maxUploadBody
			}
		}
	}
	return maxBodyBytes
}

// fileView is a file as pages show it: its address, size in the reader's
// language and (for a cover) its text alternative.
type fileView struct {
	*forum.ConsultationFile
	URL, SizeText, AltText string
}

// fileURL is the address file f of consultation c is served at; the name
// is there for people and for browsers that save the file under it.
func fileURL(c *forum.Consultation, f *forum.ConsultationFile) string {
	return "/k/" + url.PathEscape(c.Slug) + "/berkas/" + strconv.FormatInt(f.ID, 10) + "/" + url.PathEscape(f.Name)
}

// sizeText writes n bytes for people: "850 KB", "1,2 MB" (Indonesian
// decimal comma) or "1.2 MB".
func sizeText(n int64, lang string) string {
	if n < 1<<20 {
		return locale.In(lang).Int(max(1, (n+512)>>10)) + " KB"
	}
	return locale.In(lang).Dec(float64(n)/(1<<20), 1) + " MB"
}

// consultationFiles returns c's cover (nil when none) and documents for
// a reader of lang. Callers have checked that the viewer may see c.
func (s *Server) consultationFiles(r *http.Request, c *forum.Consultation) (*fileView, []fileView, error) {
	fs, err := forum.FilesOf(r.Context(), s.db, c.ID)
	if err != nil {
		return nil, nil, err
	}
	var cover *fileView
	var docs []fileView
	for i := range fs {
		f := &fs[i]
		fv := fileView{ConsultationFile: f, URL: fileURL(c, f), SizeText: sizeText(f.Size, info(r).lang), AltText: f.Alt}
		if fv.AltText == "" {
			fv.AltText = c.Title
		}
		if f.Kind == forum.FileCover {
			if f.Size <= forum.MaxCoverBytes {
				cover = &fv
			}
			continue
		}
		docs = append(docs, fv)
	}
	return cover, docs, nil
}

// upload is what an upload form sent.
type upload struct {
	kind, alt, name string
	data            []byte
}

// readUpload streams r's multipart body: the file part is read up to the
// largest document, other fields up to maxUploadField. It returns an
// Invalid error when the form is refused (over a limit it wraps an
// *http.MaxBytesError, so the answer is 413).
func readUpload(r *http.Request) (*upload, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, "error.bad_form", err)
	}
	up := &upload{}
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil || parts >= 8 {
			return uploadStatus(err)
		}
		limit := int64(maxUploadField)
		if p.FormName() == "file" {
			limit = forum.MaxDocumentBytes
		}
		b, err := io.ReadAll(io.LimitReader(p, limit+1))
		if err != nil {
			return uploadStatus(err)
		}
		if int64(len(b)) > limit {
			if p.FormName() == "file" {
				return nil, fileTooBig("document", limit)
			}
			return nil, errs.E(errs.Invalid, "error.bad_form", nil)
		}
		switch p.FormName() {
		case "file":
			up.name, up.data = partFileName(p), b
		case "kind":
			up.kind = string(b)
		case "alt":
			up.alt = string(b)
		}
	}
	return up, nil
}

// formFiles parses r's multipart body (up to maxBody bytes) and returns
// the files chosen in its file inputs named field, leaving out an input
// left empty; none for a form that is not multipart. A body over maxBody
// is 413 (formError).
func formFiles(r *http.Request, field string, maxBody int64) ([]*multipart.FileHeader, error) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "multipart/form-data" {
		return nil, nil
	}
	if err := r.ParseMultipartForm(maxBody); err != nil {
		return nil, formError(err)
	}
	var out []*multipart.FileHeader
	for _, fh := range r.MultipartForm.File[field] {
		if fh.Size > 0 || fh.Filename != "" {
			out = append(out, fh)
		}
	}
	return out, nil
}

// readFormFile reads an uploaded file of at most limit bytes; tooBig is
// the error for a larger one.
func readFormFile(fh *multipart.FileHeader, limit int64, tooBig error) ([]byte, error) {
	if fh.Size > limit {
		return nil, tooBig
	}
	f, err := fh.Open()
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, "error.bad_form", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, "error.bad_form", err)
	}
	if int64(len(b)) > limit {
		return nil, tooBig
	}
	return b, nil
}

// partFileName is the client's name of a file part, unaltered (Part's
// FileName drops directories the server's way; forum.CleanFileName does
// that for every system).
func partFileName(p *multipart.Part) string {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil {
		return p.FileName()
	}
	return params["filename"]
}

func uploadStatus(err error) (*upload, error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, fileTooBig("document", tooBig.Limit)
	}
	return nil, errs.Wrap(errs.Invalid, "error.bad_form", err)
}

// fileTooBig refuses a file of kind ("cover", "document") over limit bytes:
// Invalid with key "error.file_too_big_<kind>", answered 413 because it
// wraps an *http.MaxBytesError.
func fileTooBig(kind string, limit int64) error {
	return errs.Wrap(errs.Invalid, "error.file_too_big_"+kind, &http.MaxBytesError{Limit: limit})
}

// handleFileUpload stores an uploaded cover or document. The admin check
// comes before reading the body; the CSRF token travels in the multipart
// form and is checked before anything is stored.
func (s *Server) handleFileUpload(w http.ResponseWriter, r *http.Request) {
	v, c, ok := s.adminConsultation(w, r)
	if !ok {
		return
	}
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadReadTime)) //nolint:errcheck // not every writer supports it
	up, err := readUpload(r)
	if err != nil {
		// Read what is left (within the route's cap) so that the client,
		// still sending, gets the answer rather than a reset connection.
		io.Copy(io.Discard, r.Body) //nolint:errcheck // best effort
		s.serveError(w, r, err)
		return
	}
	if limit := forum.FileLimit(up.kind); limit > 0 && len(up.data) > limit {
		s.serveError(w, r, fileTooBig(up.kind, int64(limit)))
		return
	}
	in := forum.FileInput{Kind: up.kind, Name: up.name, Alt: up.alt, Data: up.data}
	if _, err := s.forum.AddFile(r.Context(), v, c, in); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, adminURL(c)+"#berkas", http.StatusSeeOther)
}

// handleFileDelete removes a file.
func (s *Server) handleFileDelete(w http.ResponseWriter, r *http.Request) {
	v, c, ok := s.adminConsultation(w, r)
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.forum.DeleteFile(r.Context(), v, c.ID, id); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, adminURL(c)+"#berkas", http.StatusSeeOther)
}
