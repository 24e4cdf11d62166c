package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/markup"
	"github.com/rembug/rembug/polls/report"
)

// reportItem is consultation c's report as the access rule sees it: read
// by everyone once the organizer has published it (rembug report publish),
// by staff and the consultation's moderators always.
func reportItem(c *forum.Consultation) forum.Item {
	return forum.Item{Kind: forum.ItemReport, Consultation: c, Published: c.ReportPublished}
}

// consultationReport loads the {ref} consultation's Report for the request,
// checking visibility first so that nothing is computed for a refused
// viewer.
func (s *Server) consultationReport(r *http.Request) (*report.Report, error) {
	v, err := s.readerViewer(r)
	if err != nil {
		return nil, err
	}
	c, err := s.consultationFor(r, v)
	if err != nil {
		return nil, err
	}
	if err := forum.Can(r.Context(), v, forum.ActRead, reportItem(c)); err != nil {
		return nil, err
	}
	a, err := s.reports.Get(r.Context(), c.ID)
	if err != nil {
		return nil, err
	}
	return report.Build(r.Context(), s.db, c, a, s.now())
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.consultationReport(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	view := newReportView(rep, s.reportPolls(info(r).lang, rep), info(r).lang)
	if v, err := s.readerViewer(r); err == nil {
		c := &forum.Consultation{ID: rep.Consultation.ID, Status: rep.Consultation.Status}
		view.Publish = s.allowed(r, v, forum.ActAdminister, c.Item())
	}
	s.render(w, r, http.StatusOK, "report", rep.Consultation.Title, view)
}

// handleReportPublish publishes (publish=1) or withdraws the {ref}
// consultation's report from its page (forum.Store.PublishReport: admins).
func (s *Server) handleReportPublish(w http.ResponseWriter, r *http.Request) {
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	c, err := s.consultationFor(r, v)
	if err == nil {
		err = s.forum.PublishReport(r.Context(), v, c, r.PostFormValue("publish") == "1")
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/k/"+url.PathEscape(c.Slug)+"/report", http.StatusSeeOther)
}

// handleAPIReport serves GET /api/v1/consultations/{ref}/report: the Report
// as JSON (see polls/report.Report for its fields).
func (s *Server) handleAPIReport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.consultationReport(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// WriteReportHTML writes rep as one self-contained HTML document in lang
// ("id" or "en"): the report page's content with the site stylesheet
// inlined, for `rembug report --format html`. It fails when the embedded
// templates or translations are broken.
func WriteReportHTML(w io.Writer, rep *report.Report, lang string) error {
	if lang != "en" {
		lang = defaultLang
	}
	msgs, err := loadCatalog()
	if err != nil {
		return err
	}
	sf, err := loadStatic()
	if err != nil {
		return err
	}
	ps, err := loadPages(msgs, sf, markup.New())
	if err != nil {
		return err
	}
	css, err := staticFS.ReadFile("static/style.css")
	if err != nil {
		return err
	}
	var body bytes.Buffer
	// The poll results views need only the translations of a Server.
	pv := (&Server{msgs: msgs}).reportPolls(lang, rep)
	pg := page{Lang: lang, Title: rep.Consultation.Title, Data: newReportView(rep, pv, lang)}
	if err := ps.set["report"].ExecuteTemplate(&body, "content", pg); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "<!doctype html>\n<html lang=%q>\n<head>\n<meta charset=\"utf-8\">\n"+
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%s · rembug</title>\n"+
		"<style>\n%s</style>\n</head>\n<body>\n<main id=\"main\">\n%s</main>\n</body>\n</html>\n",
		lang, template.HTMLEscapeString(rep.Consultation.Title), css, body.Bytes())
	return err
}
