package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/export"
)

// byRegion is the ?by= value of the breakdown by the respondents' kecamatan.
const byRegion = "region"

// pollResults is a survey with its results, and optionally a breakdown: by
// region (By = byRegion) or by a single-choice or yes/no question (By its
// code). Every view (page, live update, API, CSV, XLSX) is built from it.
type pollResults struct {
	Survey  *polls.Survey
	Qs      []polls.Question
	All     []polls.Answers
	Res     []polls.QuestionResult
	By      string
	Groups  []polls.Group // nil without a breakdown
	byQ     *polls.Question
	regions []string
}

// visibleSurvey returns survey id and its questions when the request's
// viewer may read it (readSurvey), else errs.ErrNotFound.
func (s *Server) visibleSurvey(r *http.Request, id int64) (*polls.Survey, []polls.Question, error) {
	v, err := s.readerViewer(r)
	if err != nil {
		return nil, nil, err
	}
	return s.readSurvey(r.Context(), v, id)
}

// readSurvey returns survey id and its questions when v may read it by the
// access rule (forum.Can on a poll of its consultation), else
// errs.ErrNotFound.
func (s *Server) readSurvey(ctx context.Context, v forum.Viewer, id int64) (*polls.Survey, []polls.Question, error) {
	sv, qs, err := polls.SurveyByID(ctx, s.db, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := forum.ConsultationByRef(ctx, s.db, strconv.FormatInt(sv.ConsultationID, 10))
	if err != nil {
		return nil, nil, err
	}
	if err := forum.Can(ctx, v, forum.ActRead, forum.Item{Kind: forum.ItemPoll, Consultation: c}); err != nil {
		return nil, nil, err
	}
	return sv, qs, nil
}

// surveyResults computes the results of survey sv with the breakdown by
// ("" for none): polls.Results for the whole survey, then
// polls.ResultsByRegion or polls.ResultsBy for the groups, each passed
// through polls.Disclose (what any output may show).
func (s *Server) surveyResults(ctx context.Context, sv *polls.Survey, qs []polls.Question, by string) (*pollResults, error) {
	d := &pollResults{Survey: sv, Qs: qs, By: by}
	var err error
	if by == byRegion {
		d.All, d.regions, err = polls.AnswersWithRegions(ctx, s.db, sv)
	} else {
		d.All, err = polls.AllAnswers(ctx, s.db, sv, s.now())
	}
	if err != nil {
		return nil, err
	}
	if d.Res, err = polls.Results(qs, d.All); err != nil {
		return nil, fmt.Errorf("results of survey %d: %w", sv.ID, err)
	}
	polls.Disclose(sv, d.Res, s.minCell)
	switch by {
	case "":
	case byRegion:
		d.Groups, err = polls.ResultsByRegion(sv, qs, d.All, d.regions)
	default:
		var split [][]polls.QuestionResult
		if split, err = polls.ResultsBy(qs, d.All, by); err == nil {
			for i := range qs {
				if qs[i].Code == by {
					d.byQ = &qs[i]
				}
			}
			for g, res := range split {
				n := 0
				if len(res) > 0 {
					n = res[indexOf(qs, by)].Answered
				}
				d.Groups = append(d.Groups, polls.Group{Kind: polls.GroupOption, Option: g, Question: indexOf(qs, by), Respondents: n, Results: res})
			}
		}
	}
	if err != nil {
		return nil, err
	}
	for g := range d.Groups {
		polls.Disclose(sv, d.Groups[g].Results, s.minCell)
	}
	return d, nil
}

func indexOf(qs []polls.Question, code string) int {
	for i := range qs {
		if qs[i].Code == code {
			return i
		}
	}
	return 0
}

// loadResults reads the {id} survey that the viewer may see and its results
// with the ?by= breakdown.
func (s *Server) loadResults(r *http.Request) (*pollResults, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errs.ErrNotFound
	}
	sv, qs, err := s.visibleSurvey(r, id)
	if err != nil {
		return nil, err
	}
	return s.surveyResults(r.Context(), sv, qs, r.URL.Query().Get("by"))
}

// groups returns the breakdown's groups with their names in lang: option
// labels for a question, the kecamatan, "Lainnya" / "Other" and "Tidak
// diketahui" / "Unknown" for the pooled groups.
func (s *Server) groups(lang string, d *pollResults) []polls.Group {
	out := make([]polls.Group, len(d.Groups))
	for i, g := range d.Groups {
		switch g.Kind {
		case polls.GroupOption:
			g.Name = answerLabel(s, lang, d.byQ, g.Option)
		case polls.GroupOther:
			g.Name = s.msgs.T(lang, "pollx.group.other")
		case polls.GroupUnknown:
			g.Name = s.msgs.T(lang, "pollx.group.unknown")
		}
		out[i] = g
	}
	return out
}

// byText names the breakdown in lang: "kecamatan" or the question's text.
func (s *Server) byText(lang string, d *pollResults) string {
	if d.By == byRegion {
		return s.msgs.T(lang, "pollx.by_region")
	}
	if d.byQ != nil {
		return d.byQ.Text
	}
	return ""
}

// addBreakdown fills each choice question's per-group counts in results,
// in the order of the whole survey's result; the cells polls.HiddenCells
// hides show export.Hidden.
func (s *Server) addBreakdown(lang string, d *pollResults, results []resultView) {
	groups := s.groups(lang, d)
	var names []string
	for _, g := range groups {
		names = append(names, s.msgs.T(lang, "pollx.group", "Name", g.Name, "Count", g.Respondents))
	}
	hidden := polls.HiddenCells(d.Res, groups, s.minCell)
	for i := range results {
		v := &results[i]
		if v.Detail.Summary == nil {
			continue
		}
		v.Groups = names
		for _, o := range v.Detail.Summary.Order {
			row := make([]string, len(groups))
			for g := range groups {
				row[g] = strconv.Itoa(groups[g].Results[i].Votes()[o])
				if hidden[i][g][o] {
					row[g] = export.Hidden
				}
			}
			v.ByGroup = append(v.ByGroup, row)
		}
	}
}

// safeName keeps the letters, digits, '-' and '_' of s, for file names.
func safeName(s string) string {
	b := []byte{}
	for i := 0; i < len(s) && len(b) < 40; i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b = append(b, c)
		}
	}
	return string(b)
}

// apiBreakdown is the "breakdown" of GET /api/v1/polls/{id}/results?by=.
type apiBreakdown struct {
	By     string     `json:"by"`
	Text   string     `json:"text"`
	Groups []apiGroup `json:"groups"`
}

type apiGroup struct {
	Kind        string        `json:"kind"`
	Name        string        `json:"name"`
	Respondents int           `json:"respondents"`
	Questions   []apiGroupRes `json:"questions"`
}

// apiGroupRes is one question's counts in a group, options in the order of
// the whole survey's result.
type apiGroupRes struct {
	Code     string           `json:"code"`
	Answered int              `json:"answered"`
	Options  []apiGroupOption `json:"options"`
}

// apiGroupOption is one breakdown cell: votes and percent are null and
// hidden is true when polls.HiddenCells hides it.
type apiGroupOption struct {
	Label   string   `json:"label"`
	Votes   *int     `json:"votes"`
	Percent *float64 `json:"percent"`
	Hidden  bool     `json:"hidden,omitempty"`
}

func (s *Server) apiBreakdown(lang string, d *pollResults) *apiBreakdown {
	if d.Groups == nil {
		return nil
	}
	b := &apiBreakdown{By: d.By, Text: s.byText(lang, d), Groups: []apiGroup{}}
	groups := s.groups(lang, d)
	rows := export.BreakdownRows(b.Text, d.Res, groups, s.minCell, lang).Rows[1:]
	k := 0
	for _, g := range groups {
		ag := apiGroup{Kind: g.Kind, Name: g.Name, Respondents: g.Respondents, Questions: []apiGroupRes{}}
		for i := range d.Res {
			if d.Res[i].Votes() == nil {
				continue
			}
			q := apiGroupRes{Code: d.Res[i].Question.Code, Answered: g.Results[i].Answered, Options: []apiGroupOption{}}
			for range d.Res[i].Votes() {
				row := rows[k]
				k++
				o := apiGroupOption{Label: row[5].(string)}
				if n, ok := row[6].(int); ok {
					p := float64(row[7].(export.Percent))
					o.Votes, o.Percent = &n, &p
				} else {
					o.Hidden = true
				}
				q.Options = append(q.Options, o)
			}
			ag.Questions = append(ag.Questions, q)
		}
		b.Groups = append(b.Groups, ag)
	}
	return b
}
