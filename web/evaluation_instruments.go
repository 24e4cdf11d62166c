package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/tz"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/evaluation"
	"github.com/rembug/rembug/polls/ikm"
	"github.com/rembug/rembug/polls/indicators"
)

// A cycle's data-collection instruments (instrumen): the IKM surveys and
// satisfaction surveys its plan links, with their results (live while the
// cycle is open, frozen when it closes), and interview notes with files.
// The report shows them to whoever reads the cycle, except a survey the
// reader may not read (a focus group's), shown without title or figures;
// the public sees no figures answered by fewer than five people. Interview
// files are raw material for staff only (evaluation.FileItem), on the
// admin path.

// evalInstrumentView is one instrument as the report shows it.
type evalInstrumentView struct {
	ID             int64
	Kind, Title    string
	Period, HeldOn string
	Notes          string
	Link           string // the IKM survey's own report
	Restricted     bool   // a survey this reader may not read
	Frozen         bool   // the result stored at the close
	AsOf           string // when the result was read
	Respondents    int
	Small          bool   // public, and fewer than five answered: no figures
	IKM, Grade     string // an IKM survey's value and grade, "" without answers
	Questions      []evalQuestionView
	Files          []evalFileView
}

// evalQuestionView is a satisfaction question's result.
type evalQuestionView struct {
	Text, Kind, Mean, Score string
	Respondents             int
}

// evalFileView is an interview file with its staff-only address.
type evalFileView struct {
	ID              int64
	Name, URL, Size string
}

// evalInstruments reads cycle c's instruments for viewer v as the report
// shows them in lang: results frozen once closed, read now while open,
// redacted for the public.
func (s *Server) evalInstruments(ctx context.Context, v forum.Viewer, c *evaluation.Cycle, public bool, lang string) ([]evalInstrumentView, error) {
	ins, err := evaluation.Instruments(ctx, s.db, c.ID)
	if err != nil {
		return nil, err
	}
	loc := tz.Default().Loc
	out := make([]evalInstrumentView, 0, len(ins))
	for i := range ins {
		in := &ins[i]
		iv := evalInstrumentView{ID: in.ID, Kind: in.Kind, Title: in.Title, Period: in.Period, HeldOn: in.HeldOn, Notes: in.Notes}
		if in.Kind == evaluation.InstrumentSurvey {
			it, err := evaluation.SurveySource(ctx, s.db, in.RefID)
			switch {
			case errors.Is(err, errs.ErrNotFound): // a deleted survey keeps its frozen figures
			case err != nil:
				return nil, err
			default: // a survey this reader may not read shows nothing of itself
				iv.Restricted = forum.Can(ctx, v, forum.ActRead, it) != nil
			}
		}
		if iv.Restricted {
			iv.Title = ""
			out = append(out, iv)
			continue
		}
		if in.Kind != evaluation.InstrumentInterview {
			res, err := in.Frozen()
			if err != nil {
				return nil, err
			}
			iv.Frozen = res != nil
			if res == nil {
				if res, err = evaluation.ResultOf(ctx, s.db, in, s.now()); err != nil {
					return nil, err
				}
			}
			if public {
				res = res.Redacted()
				iv.Small = res.Respondents < indicators.MinCell
			}
			iv.Respondents, iv.AsOf = res.Respondents, res.ComputedAt.In(loc).Format("2006-01-02 15:04")
			if res.IKM != nil && !res.IKM.NoData {
				iv.IKM, iv.Grade = ikm.FormatIKM(res.IKM.Rounded, lang), string(res.IKM.Grade)
			}
			for _, q := range res.Survey {
				qv := evalQuestionView{Text: q.Question, Kind: q.Kind, Respondents: q.Respondents, Mean: "—", Score: "—"}
				if q.Mean != nil {
					qv.Mean = dashNumber(*q.Mean, lang)
				}
				if q.Score != nil {
					qv.Score = dashNumber(*q.Score, lang)
				}
				iv.Questions = append(iv.Questions, qv)
			}
		}
		if in.Kind == evaluation.InstrumentIKM {
			if u, err := polls.IKMUnitByRef(ctx, s.db, strconv.FormatInt(in.RefID, 10)); err == nil {
				iv.Link = "/ikm/" + url.PathEscape(u.Slug) + "/" + in.Period
			}
		}
		if !public {
			for _, f := range in.Files {
				iv.Files = append(iv.Files, evalFileView{ID: f.ID, Name: f.Name, Size: sizeText(f.Size, lang),
					URL: "/admin/evaluasi/" + strconv.FormatInt(c.ID, 10) + "/berkas/" + strconv.FormatInt(f.ID, 10) + "/" + url.PathEscape(f.Name)})
			}
		}
		out = append(out, iv)
	}
	return out, nil
}

// evalInstrumentChoices is what the admin's forms offer: the IKM units,
// the satisfaction surveys the admin may read, and the default IKM period
// (the semester the cycle starts in).
type evalInstrumentChoices struct {
	Units   []polls.IKMUnit
	Surveys []evaluation.SurveyChoice
	Period  string
}

func (s *Server) evalChoices(ctx context.Context, v forum.Viewer, c *evaluation.Cycle) (*evalInstrumentChoices, error) {
	out := &evalInstrumentChoices{}
	var err error
	if out.Units, err = polls.IKMUnits(ctx, s.db); err != nil {
		return nil, err
	}
	all, err := evaluation.SatisfactionSurveys(ctx, s.db)
	if err != nil {
		return nil, err
	}
	for _, sv := range all {
		if it, err := evaluation.SurveySource(ctx, s.db, sv.ID); err == nil && forum.Can(ctx, v, forum.ActRead, it) == nil {
			out.Surveys = append(out.Surveys, sv)
		}
	}
	start := c.From.In(ikm.Jakarta())
	out.Period = strconv.Itoa(start.Year()) + "-S1"
	if start.Month() > time.June {
		out.Period = strconv.Itoa(start.Year()) + "-S2"
	}
	return out, nil
}

// handleEvalInstrument adds an instrument from the form: kind "ikm" with
// unit and period, "survey" with survey, or "interview" with title,
// held_on and notes.
func (s *Server) handleEvalInstrument(w http.ResponseWriter, r *http.Request) {
	s.evalWrite(w, r, func(v forum.Viewer, c *evaluation.Cycle) error {
		in := &evaluation.Instrument{CycleID: c.ID, Kind: r.PostFormValue("kind"), Period: r.PostFormValue("period"),
			Title: r.PostFormValue("title"), HeldOn: r.PostFormValue("held_on"), Notes: r.PostFormValue("notes")}
		ref := r.PostFormValue("unit")
		if in.Kind == evaluation.InstrumentSurvey {
			ref = r.PostFormValue("survey")
		}
		in.RefID, _ = strconv.ParseInt(strings.TrimSpace(ref), 10, 64) // 0 when missing: refused as no such unit or survey
		return s.evalStore().AddInstrument(r.Context(), v, in)
	})
}

// handleEvalInstrumentEdit changes the interview {item}, or removes the
// instrument {item} when the form says delete=1.
func (s *Server) handleEvalInstrumentEdit(w http.ResponseWriter, r *http.Request) {
	st := s.evalStore()
	s.evalItemWrite(w, r, st.DeleteInstrument, func(ctx context.Context, v forum.Viewer, cycle, id int64) error {
		return st.EditInterview(ctx, v, cycle, id, r.PostFormValue("title"), r.PostFormValue("held_on"), r.PostFormValue("notes"))
	})
}

// handleEvalFileUpload attaches an uploaded file to the interview {item}.
// The body is a multipart form (csrf first, then file), read as the
// consultation files' uploads are (readUpload).
func (s *Server) handleEvalFileUpload(w http.ResponseWriter, r *http.Request) {
	s.evalWrite(w, r, func(v forum.Viewer, c *evaluation.Cycle) error {
		id, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
		if err != nil {
			return errs.ErrNotFound
		}
		http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadReadTime)) //nolint:errcheck // not every writer supports it
		up, err := readUpload(r)
		if err != nil {
			io.Copy(io.Discard, r.Body) //nolint:errcheck // best effort, so the client gets the answer
			return err
		}
		_, err = s.evalStore().AttachFile(r.Context(), v, c.ID, id, up.name, up.data)
		return err
	})
}

// handleEvalFileDelete removes the interview file {file}.
func (s *Server) handleEvalFileDelete(w http.ResponseWriter, r *http.Request) {
	s.evalWrite(w, r, func(v forum.Viewer, c *evaluation.Cycle) error {
		id, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
		if err != nil {
			return errs.ErrNotFound
		}
		return s.evalStore().DeleteFile(r.Context(), v, c.ID, id)
	})
}

// handleEvalFile serves /admin/evaluasi/{id}/berkas/{file}/{name} to
// staff (evaluation.FileItem), always as an attachment with the type
// decided at upload, private to the browser's cache.
func (s *Server) handleEvalFile(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v, err := s.readerViewer(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := forum.Can(ctx, v, forum.ActRead, evaluation.FileItem()); err != nil {
		s.serveError(w, r, err)
		return
	}
	c, err := s.evalCycle(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	f, err := evaluation.InstrumentFileOf(ctx, s.db, c.ID, id)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.serveStored(w, r, storedFile{ContentType: f.ContentType, SHA256: f.SHA256, Name: f.Name, Modified: f.CreatedAt},
		func() ([]byte, error) { return evaluation.InstrumentFileData(ctx, s.db, f) })
}

// evalInstrumentTable lays out the instruments for the exports, as the
// report shows them to the same reader: kind, title, period or date,
// respondents, and the result (the IKM with its grade, each satisfaction
// question's score on 0–100, or an interview's notes).
func evalInstrumentTable(ins []evalInstrumentView) dashTable {
	t := dashTable{Key: "eval_instruments", Head: []string{"eval.col.instrument", "eval.col.instrument_kind", "eval.col.when",
		"eval.col.respondents", "eval.col.result"}}
	for _, in := range ins {
		if in.Restricted {
			t.Rows = append(t.Rows, []any{dashKey("eval.instrument.restricted"), dashKey("eval.instrument." + in.Kind), "", nil, ""})
			continue
		}
		when, result := in.Period, ""
		var n any = in.Respondents
		switch in.Kind {
		case evaluation.InstrumentInterview:
			when, result, n = in.HeldOn, in.Notes, nil
		case evaluation.InstrumentIKM:
			if in.IKM != "" {
				result = in.IKM + " (" + in.Grade + ")"
			}
		default:
			var qs []string
			for _, q := range in.Questions {
				qs = append(qs, q.Text+": "+q.Score)
			}
			result = strings.Join(qs, "\n")
		}
		if in.Small {
			result = ""
		}
		t.Rows = append(t.Rows, []any{in.Title, dashKey("eval.instrument." + in.Kind), when, n, result})
	}
	return t
}
