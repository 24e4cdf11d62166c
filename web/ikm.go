package web

import (
	"html/template"
	"math"
	"net/http"
	"strings"

	"github.com/rembug/rembug/forum/locale"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
)

// decimalIn formats f with n decimals in lang's way (forum/locale).
func decimalIn(f float64, n int, lang string) string { return locale.In(lang).Dec(f, n) }

// ikmReportPage is the data of ikm_report.html.
type ikmReportPage struct {
	Report     *polls.IKMReport
	Period     string
	IKM        string
	Index      string
	Grade      string
	GradeLabel string
	Missing    string
	NRRChart   template.HTML
	TrendChart template.HTML
	Elements   []ikmElementRow
	Weakest    []ikmElementRow
	Profile    []ikmProfileView
	Trend      []ikmTrendRow
	APIURL     string
}

type ikmElementRow struct {
	Code, Label, NRR string
	Answered         int
}

type ikmProfileView struct {
	Field string
	Rows  []ikmProfileRow
}

type ikmProfileRow struct {
	Label string
	Count int
}

type ikmTrendRow struct {
	Period, IKM, Grade string
	Respondents        int
	NoData             bool // said in words, never an IKM or a count of 0
}

func (s *Server) ikmReport(r *http.Request) (*polls.IKMReport, error) {
	u, err := polls.IKMUnitByRef(r.Context(), s.db, r.PathValue("unit"))
	if err != nil {
		return nil, err
	}
	p, err := ikm.ParsePeriod(r.PathValue("period"))
	if err != nil {
		return nil, errs.E(errs.Invalid, "ikm.error.bad_period", nil)
	}
	return polls.BuildIKMReportWith(r.Context(), s.db, u, p, s.complaints.RatingsOf)
}

func (s *Server) handleIKMReport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.ikmReport(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	lang := info(r).lang
	res := rep.Result
	pg := ikmReportPage{Report: rep, Period: rep.Period.Label(lang), Missing: strings.Join(res.Missing, ", "),
		APIURL: "/api/v1/ikm/" + rep.Unit.Slug + "/" + rep.Period.String()}
	if !res.NoData {
		pg.IKM, pg.Index = ikm.FormatIKM(res.Rounded, lang), decimalIn(res.Index, 3, lang)
		pg.Grade, pg.GradeLabel = string(res.Grade), res.Grade.Label(lang)
	}
	row := func(e ikm.ElementResult) ikmElementRow {
		nrr := "—"
		if e.Answered > 0 {
			nrr = decimalIn(e.NRR, 3, lang)
		}
		return ikmElementRow{Code: e.Code, Label: e.Label(lang), NRR: nrr, Answered: e.Answered}
	}
	var labels []string
	var nrrs []float64
	for _, e := range res.Elements {
		pg.Elements = append(pg.Elements, row(e))
		labels, nrrs = append(labels, e.Code+" "+e.Label(lang)), append(nrrs, e.NRR)
	}
	for _, e := range rep.Weakest {
		pg.Weakest = append(pg.Weakest, row(e))
	}
	show3 := func(f float64) string { return decimalIn(f, 3, lang) }
	if res.NoData {
		labels, nrrs = nil, nil
	}
	pg.NRRChart = scoreChart(s.msgs.T(lang, "ikm.report.nrr_chart"), labels, nrrs, nil, ikm.MaxScore, show3, s.msgs.T(lang, "chart.no_data"))
	for _, f := range rep.Profile {
		v := ikmProfileView{Field: s.msgs.T(lang, "ikm.profile."+f.Field)}
		for _, c := range f.Counts {
			label := c.LabelEN
			if lang == "id" {
				label = c.LabelID
			}
			v.Rows = append(v.Rows, ikmProfileRow{Label: label, Count: c.Count})
		}
		v.Rows = append(v.Rows, ikmProfileRow{Label: s.msgs.T(lang, "ikm.profile.unknown"), Count: f.Unknown})
		pg.Profile = append(pg.Profile, v)
	}
	var tl []string
	var tv []float64
	for _, t := range rep.Trend {
		tr := ikmTrendRow{Period: t.Period.Label(lang), IKM: "—", Respondents: t.Result.Respondents, NoData: t.Result.NoData}
		if !t.Result.NoData {
			tr.IKM, tr.Grade = ikm.FormatIKM(t.Result.Rounded, lang), string(t.Result.Grade)
		}
		pg.Trend = append(pg.Trend, tr)
		v := math.NaN() // a period nobody answered is missing, never an IKM of 0
		if !t.Result.NoData {
			v = float64(t.Result.Rounded) / 100
		}
		tl, tv = append(tl, tr.Period), append(tv, v)
	}
	pg.TrendChart = scoreChart(s.msgs.T(lang, "ikm.report.trend"), tl, tv, nil, 100, func(f float64) string {
		return decimalIn(f, 2, lang)
	}, s.msgs.T(lang, "ikm.report.no_data_short"))
	title := s.msgs.T(lang, "ikm.report.title") + " · " + rep.Unit.Name + " · " + pg.Period
	s.render(w, r, http.StatusOK, "ikm_report", title, pg)
}

// apiIKM is GET /api/v1/ikm/{unit}/{period}: NRR per element U1..U9 (0 when
// nobody answered it), the index (1–4) and the IKM (25–100, two decimals).
// For a period without answers index, ikm and grade are null (no data, never
// an IKM of 0), as in the trend.
type apiIKM struct {
	Unit        string     `json:"unit"`
	Period      string     `json:"period"`
	Respondents int        `json:"respondents"`
	NRR         []float64  `json:"nrr"`
	Index       *float64   `json:"index"`
	IKM         *float64   `json:"ikm"`
	Grade       *ikm.Grade `json:"grade"`
	Complete    bool       `json:"complete"`
	Missing     []string   `json:"missing"`
	Trend       []apiTrend `json:"trend"`
	// ComplaintRatings is how many citizens' ratings of complaint answers
	// closed in the period count as answers to U8.
	ComplaintRatings int `json:"complaint_ratings"`
	// Assisted of Respondents were recorded by an officer for a citizen
	// at the desk (dibantu petugas); the others answered themselves.
	Assisted int `json:"assisted"`
	// Elements are U1..U9 with the unit's labels (codes never change).
	Elements []apiIKMElement `json:"elements"`
}

// apiIKMElement is one element of the API answer: its stable code, the
// unit's labels, its NRR and how many respondents answered it.
type apiIKMElement struct {
	Code     string  `json:"code"`
	Label    string  `json:"label"` // in the request's language
	LabelID  string  `json:"label_id"`
	LabelEN  string  `json:"label_en"`
	NRR      float64 `json:"nrr"`
	Answered int     `json:"answered"`
}

// apiTrend is one period of the trend: its IKM (25–100, two decimals), or
// null for a period without answers (no data, never an IKM of 0).
type apiTrend struct {
	Period      string   `json:"period"`
	Respondents int      `json:"respondents"`
	IKM         *float64 `json:"ikm"`
}

func (s *Server) handleAPIIKM(w http.ResponseWriter, r *http.Request) {
	rep, err := s.ikmReport(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	res := rep.Result
	out := apiIKM{Unit: rep.Unit.Slug, Period: rep.Period.String(), Respondents: res.Respondents,
		Complete: res.Complete, Missing: res.Missing, ComplaintRatings: rep.ComplaintRatings, Assisted: rep.Assisted}
	if !res.NoData {
		index, value, grade := res.Index, float64(res.Rounded)/100, res.Grade
		out.Index, out.IKM, out.Grade = &index, &value, &grade
	}
	if out.Missing == nil {
		out.Missing = []string{}
	}
	for _, e := range res.Elements {
		out.NRR = append(out.NRR, e.NRR)
		out.Elements = append(out.Elements, apiIKMElement{Code: e.Code, Label: e.Label(info(r).lang), LabelID: e.LabelID,
			LabelEN: e.LabelEN, NRR: e.NRR, Answered: e.Answered})
	}
	for _, t := range rep.Trend {
		row := apiTrend{Period: t.Period.String(), Respondents: t.Result.Respondents}
		if !t.Result.NoData {
			v := math.Round(float64(t.Result.Rounded)) / 100
			row.IKM = &v
		}
		out.Trend = append(out.Trend, row)
	}
	writeJSON(w, http.StatusOK, out)
}
