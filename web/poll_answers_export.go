package web

import (
	"bytes"
	"net/http"
	"path"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/export"
)

// handleAnswersExport writes every response of survey {id}, one row per
// response and one column per question (export.ResponseRows), as
// jawaban.csv (forum.CSVWriter: BOM, CRLF, formula-safe cells) or
// jawaban.xlsx (sheets Hasil, through polls.Disclose like every results
// output, and Jawaban). This is the staff's record of the raw answers, as
// `rembug poll export` writes it, open text included, word for word, in
// anonymous polls too: open questions are asked to be read, and the form
// tells respondents so under every open question (README, "What results
// show"). Rows carry no participant and come in the random order of the
// response ids. Who may: forum.Can export
// on the consultation's exports (analysts and its moderators).
func (s *Server) handleAnswersExport(w http.ResponseWriter, r *http.Request) {
	sv, qs, err := s.loadSurvey(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	c, err := forum.ConsultationByRef(r.Context(), s.db, strconv.FormatInt(sv.ConsultationID, 10))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := forum.Can(r.Context(), v, forum.ActExport, forum.Item{Kind: forum.ItemExport, Consultation: c}); err != nil {
		s.serveError(w, r, err)
		return
	}
	all, err := polls.AllAnswers(r.Context(), s.db, sv, s.now())
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	lang := info(r).lang
	var buf bytes.Buffer
	name := "poll-" + strconv.FormatInt(sv.ID, 10) + "-answers"
	switch path.Base(r.URL.Path) {
	case "jawaban.csv":
		err = export.WriteCSV(&buf, export.ResponseRows(qs, all, lang))
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		name += ".csv"
	case "jawaban.xlsx":
		var res []polls.QuestionResult
		if res, err = polls.Results(qs, all); err == nil {
			polls.Disclose(sv, res, s.minCell)
			err = export.WriteXLSX(&buf, export.ResultRows(res, lang), export.ResponseRows(qs, all, lang))
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		name += ".xlsx"
	default:
		err = errs.ErrNotFound
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}
