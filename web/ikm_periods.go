package web

import (
	"net/http"
	"net/url"

	"github.com/rembug/rembug/polls"
)

// ikmPeriodLink is one reporting period on an IKM unit's pages: a link to
// its report, or, without responses, a plain "no data yet" line (never an
// IKM of 0).
type ikmPeriodLink struct {
	Label, URL  string
	Respondents int
}

// ikmPeriodSemesters is how many semesters a unit's pages list.
const ikmPeriodSemesters = 4

// ikmPeriodLinks lists unit u's reporting periods (polls.IKMReportPeriods).
func (s *Server) ikmPeriodLinks(r *http.Request, u *polls.IKMUnit) ([]ikmPeriodLink, error) {
	ps, err := polls.IKMReportPeriods(r.Context(), s.db, u.ID, s.now(), ikmPeriodSemesters)
	if err != nil {
		return nil, err
	}
	out := make([]ikmPeriodLink, len(ps))
	for i, p := range ps {
		out[i] = ikmPeriodLink{Label: p.Period.Label(info(r).lang), Respondents: p.Respondents,
			URL: "/ikm/" + url.PathEscape(u.Slug) + "/" + p.Period.String()}
	}
	return out, nil
}
