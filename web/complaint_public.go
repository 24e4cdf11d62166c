package web

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/errs"
)

// complaintPublicData is the public list's data: one page of complaints as
// anyone may see them (masked), and the counts per kecamatan.
type complaintPublicData struct {
	Items       []*complaint.Presented
	Next        string
	ByKecamatan []complaint.Group
}

// handleComplaintPublic lists the public, non-confidential complaints,
// masked, newest first, 50 a page, with their counts per kecamatan (groups
// under complaint.MinPublicCell pooled): only when the pemda publishes
// complaints (404 otherwise).
func (s *Server) handleComplaintPublic(w http.ResponseWriter, r *http.Request) {
	if !s.complaints.Published() {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	pg, err := s.complaints.List(r.Context(), complaint.Actor{}, complaint.Filter{PublicOnly: true, Cursor: r.URL.Query().Get("cursor")})
	var d complaintPublicData
	if err == nil {
		d.Items, d.Next = pg.Items, pg.Next
		d.ByKecamatan, err = s.complaints.PublicStats(r.Context(), complaint.ByKecamatan)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "complaint_public", s.msgs.T(info(r).lang, "complaint.public.title"), d)
}

// complaintStatsTable is one table of the public statistics page: its
// title's translation key, its groups and how many complaints its
// response times leave out (complaint.AnsweredBeforeReceived).
type complaintStatsTable struct {
	Title    string
	Rows     []complaint.Group
	Excluded int
}

// handleComplaintStats shows, per agency and per kecamatan, how many public
// non-confidential complaints were received and answered, the median first
// response in hours, the share answered within the target and the mean
// rating (1–4): the agencies' satisfaction figure. Groups under
// complaint.MinPublicCell are pooled. 404 unless the pemda publishes
// complaints.
func (s *Server) handleComplaintStats(w http.ResponseWriter, r *http.Request) {
	var d []complaintStatsTable
	for _, by := range []string{complaint.ByAgency, complaint.ByKecamatan} {
		gs, err := s.complaints.PublicStats(r.Context(), by)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		t := complaintStatsTable{Title: "complaint.stats.by_" + by, Rows: gs}
		for _, g := range gs {
			t.Excluded += g.Excluded
		}
		d = append(d, t)
	}
	s.render(w, r, http.StatusOK, "complaint_stats", s.msgs.T(info(r).lang, "complaint.stats.title"), d)
}

// mapLink is one filter link of the public map.
type mapLink struct {
	Label, Href string
	On          bool
}

// mapCircle is one drawn cell of the map's SVG: its centre and radius in
// the SVG's units and its count.
type mapCircle struct {
	X, Y, R float64
	Count   int
}

// complaintMapData is the public map page's data.
type complaintMapData struct {
	complaint.PublicMap
	Circles                   []mapCircle
	Topics, Statuses, Periods []mapLink
	Min, Drawn                int
	W, H, FW, FH              float64
}

// mapPeriods are the map's period filters in days (0: all time).
var mapPeriods = []int{0, 30, 90, 365}

// handleComplaintMap shows where the public, non-confidential complaints
// were filed: a server-drawn SVG of 0.0025° grid cells (about 250 m) with
// at least complaint.MinMapCell complaints each, and tables per kecamatan
// and per topic. Filters are links: topik (topic id), status, periode
// (days: 30, 90 or 365). 404 unless the pemda publishes complaints; 400 for
// a malformed filter.
func (s *Server) handleComplaintMap(w http.ResponseWriter, r *http.Request) {
	if !s.complaints.Published() {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	lang := info(r).lang
	qv := r.URL.Query()
	var f complaint.MapFilter
	f.Status = complaint.Status(qv.Get("status"))
	topic, days := qv.Get("topik"), qv.Get("periode")
	if topic != "" {
		id, err := strconv.ParseInt(topic, 10, 64)
		if err != nil || id <= 0 {
			s.serveError(w, r, errs.E(errs.Invalid, "complaint.map.bad_filter", nil))
			return
		}
		f.TopicID = id
	}
	nDays := 0
	if days != "" {
		n, err := strconv.Atoi(days)
		if err != nil || !slices.Contains(mapPeriods, n) {
			s.serveError(w, r, errs.E(errs.Invalid, "complaint.map.bad_filter", nil))
			return
		}
		nDays = n
	}
	if nDays > 0 {
		today := s.now().In(s.complaints.Location())
		f.From = today.AddDate(0, 0, -nDays+1)
	}
	m, err := s.complaints.PublicMap(r.Context(), f)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	topics, err := s.complaints.Topics(r.Context())
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	link := func(k, v string) string {
		q := url.Values{}
		for _, kk := range []string{"topik", "status", "periode"} {
			if x := qv.Get(kk); x != "" && kk != k {
				q.Set(kk, x)
			}
		}
		if v != "" {
			q.Set(k, v)
		}
		if e := q.Encode(); e != "" {
			return "/pengaduan/peta?" + e
		}
		return "/pengaduan/peta"
	}
	all := s.msgs.T(lang, "complaint.map.all")
	d := complaintMapData{PublicMap: m, Min: complaint.MinMapCell, W: 320, H: 320}
	d.Topics = append(d.Topics, mapLink{all, link("topik", ""), topic == ""})
	for _, t := range topics {
		v := strconv.FormatInt(t.ID, 10)
		d.Topics = append(d.Topics, mapLink{t.Name, link("topik", v), topic == v})
	}
	d.Statuses = append(d.Statuses, mapLink{all, link("status", ""), f.Status == ""})
	for _, st := range complaint.Statuses {
		if st == complaint.StatusRejected || st == complaint.StatusMerged {
			continue
		}
		d.Statuses = append(d.Statuses, mapLink{s.msgs.T(lang, "complaint.status."+string(st)), link("status", string(st)), f.Status == st})
	}
	for _, n := range mapPeriods {
		label, v := all, ""
		if n > 0 {
			v = strconv.Itoa(n)
			label = s.msgs.T(lang, "complaint.map.days", "Count", n)
		}
		d.Periods = append(d.Periods, mapLink{label, link("periode", v), days == v})
	}
	if len(m.Cells) > 0 {
		// Equirectangular: a degree of longitude drawn cos(latitude) as
		// wide as one of latitude, scaled to fit 320 units with a margin
		// of 20 for the largest circle.
		k := math.Cos((m.South + m.North) / 2 * math.Pi / 180)
		spanX, spanY := (m.East-m.West)*k, m.North-m.South
		scale := 280 / math.Max(spanX, spanY)
		d.W, d.H = spanX*scale+40, spanY*scale+40
		maxN := 0
		for _, c := range m.Cells {
			maxN = max(maxN, c.Count)
		}
		for _, c := range m.Cells {
			d.Circles = append(d.Circles, mapCircle{
				X: math.Round((((c.West+c.East)/2-m.West)*k*scale+20)*10) / 10,
				Y: math.Round(((m.North-(c.South+c.North)/2)*scale+20)*10) / 10,
				R: math.Round((3+15*math.Sqrt(float64(c.Count)/float64(maxN)))*10) / 10, Count: c.Count})
		}
	}
	d.Drawn, d.FW, d.FH = m.Located-m.Hidden, d.W-1, d.H-1
	s.render(w, r, http.StatusOK, "complaint_map", s.msgs.T(lang, "complaint.map.title"), d)
}
