package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/errs"
)

// complaintLaporData is the LAPOR! id import page: the upload form, then
// the preview of a file (its rows, or its bad rows), then the result.
type complaintLaporData struct {
	File    string
	CSV     string // the previewed file, posted again to import it
	Links   []complaint.LaporLink
	Changes int // links that change a complaint
	Errors  []laporRowError
	Done    string // complaints changed by the import just made
}

// laporRowError is a bad row as the page says it, in the reader's language.
type laporRowError struct {
	Row int
	Msg string
}

// handleComplaintLaporForm shows the LAPOR! id import form to the
// complaint desk (403 for others), with the result of an import just made.
func (s *Server) handleComplaintLaporForm(w http.ResponseWriter, r *http.Request) {
	if _, err := s.laporDesk(r); err != nil {
		s.serveError(w, r, err)
		return
	}
	d := complaintLaporData{Done: r.URL.Query().Get("selesai")}
	if _, err := strconv.Atoi(d.Done); err != nil {
		d.Done = ""
	}
	s.render(w, r, http.StatusOK, "complaint_lapor", s.msgs.T(info(r).lang, "complaint.lapor.title"), d)
}

// handleComplaintLaporImport takes an uploaded LAPOR! id file (multipart,
// "file") and shows its preview: what each row changes, or every bad row
// with its number (400), with nothing changed. Posting the previewed file
// back with do=import imports it in one transaction (complaint.Store.
// ImportLapor, all rows or none) and goes back to the form with the count.
func (s *Server) handleComplaintLaporImport(w http.ResponseWriter, r *http.Request) {
	v, err := s.laporDesk(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	name, data, err := laporFile(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ctx, a := r.Context(), s.complaints.Actor(v, "")
	d := complaintLaporData{File: name, CSV: string(data)}
	if r.PostFormValue("do") == "import" {
		n, err := s.complaints.ImportLapor(ctx, a, name, bytes.NewReader(data))
		if err == nil {
			http.Redirect(w, r, "/admin/pengaduan/lapor?selesai="+strconv.Itoa(n), http.StatusSeeOther)
			return
		}
		if !s.laporRows(r, err, &d) {
			s.serveError(w, r, err)
			return
		}
	} else if d.Links, err = s.complaints.PlanLapor(ctx, a, name, bytes.NewReader(data)); err != nil && !s.laporRows(r, err, &d) {
		s.serveError(w, r, err)
		return
	}
	code := http.StatusOK
	if d.Errors != nil {
		code, d.CSV = http.StatusBadRequest, ""
	}
	for _, l := range d.Links {
		if l.Changes() {
			d.Changes++
		}
	}
	s.render(w, r, code, "complaint_lapor", s.msgs.T(info(r).lang, "complaint.lapor.title"), d)
}

// laporRows puts err's bad rows, in the reader's language, into d; false
// when err is not about rows.
func (s *Server) laporRows(r *http.Request, err error, d *complaintLaporData) bool {
	var rows complaint.RowErrors
	if !errors.As(err, &rows) {
		return false
	}
	lang := info(r).lang
	for _, e := range rows {
		msg := e.Msg
		if e.Key != "" {
			var args []any
			for k, v := range e.Data {
				args = append(args, k, v)
			}
			msg = s.msgs.T(lang, e.Key, args...)
		}
		d.Errors = append(d.Errors, laporRowError{Row: e.Row, Msg: msg})
	}
	return true
}

// laporDesk is the viewer of r when they are the complaint desk, else
// errs.Forbidden.
func (s *Server) laporDesk(r *http.Request) (forum.Viewer, error) {
	v, err := s.readerViewer(r)
	if err == nil && !v.ModeratesAll() {
		err = errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	return v, err
}

// laporFile is the file a LAPOR! import form carries: the uploaded "file"
// of a multipart form, or the previewed file posted back in "csv" with its
// "name". KindInvalid complaint.lapor.no_file without one.
func laporFile(r *http.Request) (string, []byte, error) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(maxBodyBytes); err != nil {
			return "", nil, formError(err)
		}
		f, fh, err := r.FormFile("file")
		if err != nil {
			return "", nil, errs.E(errs.Invalid, "complaint.lapor.no_file", nil)
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxBodyBytes))
		if err != nil {
			return "", nil, errs.Wrap(errs.Invalid, "error.bad_form", err)
		}
		return filepath.Base(fh.Filename), b, nil
	}
	csv, name := r.PostFormValue("csv"), r.PostFormValue("name")
	if csv == "" {
		return "", nil, errs.E(errs.Invalid, "complaint.lapor.no_file", nil)
	}
	if name == "" {
		name = "lapor.csv"
	}
	return filepath.Base(name), []byte(csv), nil
}
