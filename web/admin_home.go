package web

import (
	"net/http"
	"net/url"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// staffLink is one staff tool as pages link it: a translation key and a
// path.
type staffLink struct {
	Key string
	URL string
}

// siteTool is a staff tool that acts on the whole site, with the access
// question (forum.Can on the site) that decides who sees its link; the
// tool's own handler asks the same question again.
type siteTool struct {
	staffLink
	act forum.Action
	// officers also shows the link to complaint officers of an agency.
	officers bool
}

// siteTools lists the site-wide staff tools of the admin home, in the
// order staff use them. Administer is admins only; Export on the site is
// every staff role (analysts included).
var siteTools = []siteTool{
	{staffLink{"staff.consultations", "/admin/konsultasi"}, forum.ActAdminister, false},
	{staffLink{"staff.users", "/admin/pengguna"}, forum.ActAdminister, false},
	{staffLink{"staff.ikm", "/admin/ikm"}, forum.ActAdminister, false},
	{staffLink{"staff.complaints", "/admin/pengaduan"}, forum.ActExport, true},
	{staffLink{"staff.kiosk", "/kiosk"}, forum.ActAssist, false},
	{staffLink{"staff.dashboard", "/admin/dasbor"}, forum.ActExport, false},
	{staffLink{"staff.evaluation", "/admin/evaluasi"}, forum.ActExport, false},
	{staffLink{"staff.audit", "/admin/audit"}, forum.ActAdminister, false},
	{staffLink{"staff.outbox", "/admin/kotak-keluar"}, forum.ActAdminister, false},
	{staffLink{"staff.branding", "/admin/merek"}, forum.ActAdminister, false},
	{staffLink{"staff.guides", "/panduan"}, forum.ActAdminister, false},
	{staffLink{"staff.embed", "/admin/sematan"}, forum.ActAdminister, false},
	{staffLink{"staff.style", "/admin/gaya"}, forum.ActExport, false},
}

// consultationTools returns the staff tools of consultation c that v may
// use, each checked with forum.Can: its settings, moderators and analysts
// (administer), its moderation queue (read by moderators and analysts),
// its live sessions and focus groups (moderate), its statements (moderate)
// and its report (export). The consultation page and the admin home both
// show them.
func (s *Server) consultationTools(r *http.Request, v forum.Viewer, c *forum.Consultation) []staffLink {
	k := "/k/" + url.PathEscape(c.Slug)
	var out []staffLink
	add := func(ok bool, key, path string) {
		if ok {
			out = append(out, staffLink{key, path})
		}
	}
	add(s.allowed(r, v, forum.ActAdminister, c.Item()), "staff.settings", adminURL(c))
	add(s.allowed(r, v, forum.ActRead, forum.Item{Kind: forum.ItemModerationLog, Consultation: c}), "staff.moderation", k+"/moderation")
	add(s.allowed(r, v, forum.ActModerate, c.Item()), "staff.live", k+"/live")
	add(s.allowed(r, v, forum.ActModerate, c.Item()), "staff.groups", k+"/kelompok")
	add(s.allowed(r, v, forum.ActModerate, forum.Item{Kind: forum.ItemDraftText, Consultation: c}), "rancangan.title", k+"/rancangan")
	add(s.allowed(r, v, forum.ActModerate, forum.Item{Kind: forum.ItemPoll, Consultation: c}), "staff.surveys", k+"/survei")
	add(s.allowed(r, v, forum.ActExport, c.Item()), "staff.report", k+"/report")
	return out
}

// adminHomePage is the data of admin_home.html.
type adminHomePage struct {
	Site          []staffLink
	Consultations []adminHomeRow
}

// adminHomeRow is one consultation of the admin home with its tools.
type adminHomeRow struct {
	C     forum.Consultation
	Tools []staffLink
}

// handleAdminHome is /admin: every staff tool the viewer may use, site-wide
// ones first, then each consultation they look after with its own tools.
// Someone with no staff tool at all gets 403.
func (s *Server) handleAdminHome(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	var d adminHomePage
	for _, t := range siteTools {
		if s.allowed(r, v, t.act, forum.Item{Kind: forum.ItemSite}) || t.officers && len(v.Agencies()) > 0 {
			d.Site = append(d.Site, t.staffLink)
		}
	}
	cs, err := forum.StaffConsultations(r.Context(), s.db, v)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	for i := range cs {
		if tools := s.consultationTools(r, v, &cs[i]); len(tools) > 0 {
			d.Consultations = append(d.Consultations, adminHomeRow{C: cs[i], Tools: tools})
		}
	}
	if len(d.Site) == 0 && len(d.Consultations) == 0 {
		s.serveError(w, r, errs.E(errs.Forbidden, "error.action_forbidden", nil))
		return
	}
	s.render(w, r, http.StatusOK, "admin_home", s.msgs.T(info(r).lang, "staff.title"), d)
}

// hasStaffHome reports whether signed-in user u has anything on the admin
// home: a staff role, a consultation they moderate or analyse by name, an
// agency whose complaints they handle, or kiosk mode (an assisted-entry
// officer), read with the request's viewer, loaded once per request.
func (s *Server) hasStaffHome(r *http.Request, u *forum.User) bool {
	if u.Staff() {
		return true
	}
	v, err := s.readerViewer(r)
	if err != nil {
		s.log.Error("viewer for the header", "request_id", info(r).id, "err", err)
		return false
	}
	return len(v.ModeratedConsultations()) > 0 || len(v.AnalyzedConsultations()) > 0 || len(v.Agencies()) > 0 ||
		s.allowed(r, v, forum.ActAssist, forum.Item{Kind: forum.ItemSite})
}
