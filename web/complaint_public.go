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
// anyone may see them (masked), the counts per kecamatan, and the filter
// form's choices and current values.
type complaintPublicData struct {
	Items       []*complaint.Presented
	Next        string
	NextHref    string // the next page's address with the filters kept
	ByKecamatan []complaint.Group
	// Query is the filters as a query string ("" for none), kept by the
	// next-page link; the other fields fill the filter form.
	Query      string
	Status     string
	Topic      int64
	Agency     int64
	Kecamatan  string
	From, To   string
	Statuses   []complaint.Status
	Topics     []complaint.Topic
	Agencies   []complaint.Agency
	Kecamatans []string
}

// publicFilters are the query parameters of the public list's filters.
var publicFilters = []string{"status", "topik", "instansi", "kecamatan", "dari", "sampai"}

// publicFilter reads the public list's filters from r: status, topik
// (topic id), instansi (agency id), kecamatan (name), dari and sampai
// (local dates YYYY-MM-DD, received in [dari, sampai]). 400
// complaint.map.bad_filter for a malformed one.
func publicFilter(r *http.Request) (complaint.Filter, error) {
	q := r.URL.Query()
	f := complaint.Filter{PublicOnly: true, Cursor: q.Get("cursor"), Status: complaint.Status(q.Get("status")),
		Kecamatan: q.Get("kecamatan")}
	bad := errs.E(errs.Invalid, "complaint.map.bad_filter", nil)
	for _, p := range []struct {
		name string
		to   *int64
	}{{"topik", &f.TopicID}, {"instansi", &f.AgencyID}} {
		if v := q.Get(p.name); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				return f, bad
			}
			*p.to = id
		}
	}
	var err error
	if f.From, err = localDate(r, "dari"); err != nil {
		return f, bad
	}
	if f.To, err = localDate(r, "sampai"); err != nil {
		return f, bad
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // the end day is included
	}
	return f, nil
}

// handleComplaintPublic lists the public, non-confidential complaints
// (the one public rule, complaint.Filter.PublicOnly), masked, newest
// first, 50 a page with a keyset cursor, filtered by the publicFilter
// parameters through a plain GET form, with their counts per kecamatan
// of the same filtered complaints (groups under complaint.MinPublicCell
// pooled): only when the pemda
// publishes complaints (404 otherwise).
func (s *Server) handleComplaintPublic(w http.ResponseWriter, r *http.Request) {
	if !s.complaints.Published() {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	f, err := publicFilter(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ctx := r.Context()
	qv := r.URL.Query()
	d := complaintPublicData{Status: string(f.Status), Topic: f.TopicID, Agency: f.AgencyID, Kecamatan: f.Kecamatan,
		From: qv.Get("dari"), To: qv.Get("sampai")}
	keep := url.Values{}
	for _, k := range publicFilters {
		if v := qv.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	d.Query = keep.Encode()
	for _, st := range complaint.Statuses {
		if st != complaint.StatusRejected && st != complaint.StatusMerged {
			d.Statuses = append(d.Statuses, st)
		}
	}
	pg, err := s.complaints.List(ctx, complaint.Actor{}, f)
	if err == nil {
		d.Items, d.Next = pg.Items, pg.Next
		if pg.Next != "" {
			next := url.Values{}
			for k, v := range keep {
				next[k] = v
			}
			next.Set("cursor", pg.Next)
			d.NextHref = "/pengaduan?" + next.Encode()
		}
		d.ByKecamatan, err = s.complaints.PublicStats(ctx, complaint.ByKecamatan, f.Narrowing())
	}
	if err == nil {
		d.Topics, err = s.complaints.Topics(ctx)
	}
	if err == nil {
		d.Agencies, err = s.complaints.Agencies(ctx)
	}
	var areas []complaint.Area
	if err == nil {
		areas, err = s.complaints.Areas(ctx)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	for _, a := range areas {
		if !slices.Contains(d.Kecamatans, a.Kecamatan) {
			d.Kecamatans = append(d.Kecamatans, a.Kecamatan)
		}
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
		gs, err := s.complaints.PublicStats(r.Context(), by, complaint.MapFilter{})
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
	// The agency and kecamatan form: its choices, current values, and the
	// link filters it carries along.
	Agencies     []complaint.Agency
	Kecamatans   []string
	Agency       int64
	Kecamatan    string
	Keep         map[string]string
	W, H, FW, FH float64
}

// mapPeriods are the map's period filters in days (0: all time).
var mapPeriods = []int{0, 30, 90, 365}

// handleComplaintMap shows where the public, non-confidential complaints
// were filed: a server-drawn SVG of 0.0025° grid cells (about 250 m) with
// at least complaint.MinMapCell complaints each, and tables per kecamatan
// and per topic. Filters are links: topik (topic id), status, periode
// (days: 30, 90 or 365), and by a GET form instansi (agency id) and
// kecamatan (name). 404 unless the pemda publishes complaints; 400 for
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
	if v := qv.Get("instansi"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.serveError(w, r, errs.E(errs.Invalid, "complaint.map.bad_filter", nil))
			return
		}
		f.AgencyID = id
	}
	f.Kecamatan = qv.Get("kecamatan")
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
		for _, kk := range []string{"topik", "status", "periode", "instansi", "kecamatan"} {
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
	// 320 units wide: style.css caps the drawing at 320 px
	// (.complaint-map svg), as the page's CSP allows no inline style.
	d := complaintMapData{PublicMap: m, Min: complaint.MinMapCell, W: 320, H: 320, Agency: f.AgencyID, Kecamatan: f.Kecamatan,
		Keep: map[string]string{}}
	for _, k := range []string{"topik", "status", "periode"} {
		if v := qv.Get(k); v != "" {
			d.Keep[k] = v
		}
	}
	if d.Agencies, err = s.complaints.Agencies(r.Context()); err != nil {
		s.serveError(w, r, err)
		return
	}
	areas, err := s.complaints.Areas(r.Context())
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	for _, a := range areas {
		if !slices.Contains(d.Kecamatans, a.Kecamatan) {
			d.Kecamatans = append(d.Kecamatans, a.Kecamatan)
		}
	}
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
