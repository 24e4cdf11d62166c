package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
)

// ikmFormPage is the data of ikm_form.html: the nine elements with their
// 1–4 answers, and the profile questions.
type ikmFormPage struct {
	Unit     *polls.IKMUnit
	Elements []itemView
	Profile  []ikmSelect
	Done     bool
	Error    string
	Periods  []ikmPeriodLink // the unit's reports (ikm_periods.go)
}

type ikmSelect struct {
	Name, Label string
	Options     []choiceView
}

// ikmForm builds the form of unit u, with the unit's element labels.
func (s *Server) ikmForm(r *http.Request, u *polls.IKMUnit) (*ikmFormPage, error) {
	lang := info(r).lang
	pg := &ikmFormPage{Unit: u, Done: r.URL.Query().Get("done") == "1"}
	els, err := polls.IKMElements(r.Context(), s.db, u.ID)
	if err != nil {
		return nil, err
	}
	for i, e := range els {
		iv := itemView{Label: e.Label(lang), Name: "u" + strconv.Itoa(i+1)}
		for sc := ikm.MinScore; sc <= ikm.MaxScore; sc++ {
			iv.Scale = append(iv.Scale, choiceView{Value: strconv.Itoa(sc), Label: e.Answer(sc, lang),
				Checked: r.PostFormValue(iv.Name) == strconv.Itoa(sc)})
		}
		pg.Elements = append(pg.Elements, iv)
	}
	fields := []struct {
		name    string
		choices []ikm.Choice
	}{{"age", ikm.AgeBands()}, {"sex", ikm.Sexes()}, {"education", ikm.Educations()}, {"occupation", ikm.Occupations()}}
	for _, f := range fields {
		sel := ikmSelect{Name: f.name, Label: s.msgs.T(lang, "ikm.profile."+f.name)}
		for _, c := range f.choices {
			label := c.LabelEN
			if lang == "id" {
				label = c.LabelID
			}
			sel.Options = append(sel.Options, choiceView{Value: c.Code, Label: label, Checked: r.PostFormValue(f.name) == c.Code})
		}
		pg.Profile = append(pg.Profile, sel)
	}
	return pg, nil
}

func (s *Server) handleIKMForm(w http.ResponseWriter, r *http.Request) {
	u, err := polls.IKMUnitByRef(r.Context(), s.db, r.PathValue("unit"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	pg, err := s.ikmForm(r, u)
	if err == nil {
		pg.Periods, err = s.ikmPeriodLinks(r, u)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "ikm_form", u.Name, pg)
}

func (s *Server) handleIKMSubmit(w http.ResponseWriter, r *http.Request) {
	v := s.viewerOf(r)
	u, err := polls.IKMUnitByRef(r.Context(), s.db, r.PathValue("unit"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	resp := ikmResponseOf(r)
	me, err := s.participant(r.Context(), v, true)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if me == nil {
		s.serveError(w, r, errs.E(errs.Forbidden, "error.csrf", nil))
		return
	}
	if err := s.polls.SubmitIKM(r.Context(), u.ID, me.ID, resp); err != nil {
		code, _, msg := s.errorText(info(r).lang, err)
		if code >= http.StatusInternalServerError {
			s.serveError(w, r, err)
			return
		}
		pg, ferr := s.ikmForm(r, u)
		if ferr != nil {
			s.serveError(w, r, ferr)
			return
		}
		pg.Error = msg
		s.render(w, r, code, "ikm_form", u.Name, pg)
		return
	}
	http.Redirect(w, r, "/ikm/"+url.PathEscape(u.Slug)+"?done=1", http.StatusSeeOther)
}
