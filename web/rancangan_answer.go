package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/rancangan"
)

// triagePage is the data of rancangan_triage.html: the drafters' list of
// inputs to answer, several at once.
type triagePage struct {
	Tabs      draftTabs
	C         *forum.Consultation
	D         *rancangan.Draft
	Doc       *rancangan.Document
	Rows      []rancangan.Row
	Filter    rancangan.Filter
	Decisions []string
	Versions  []int
	Back      string
}

// handleDraftTriage lists a draft's inputs for its drafters (moderators),
// unanswered ones first by default (?decision=belum), filtered by unit.
func (s *Server) handleDraftTriage(w http.ResponseWriter, r *http.Request) {
	v, c, d, err := s.viewerAndDraft(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := forum.Can(r.Context(), v, forum.ActModerate, d.Item(c)); err != nil {
		s.serveError(w, r, err)
		return
	}
	if r.URL.Query().Get("decision") == "" && r.URL.Query().Get("all") != "1" {
		q := r.URL.Query()
		q.Set("decision", "belum")
		r.URL.RawQuery = q.Encode()
	}
	p := triagePage{C: c, D: d, Filter: matrixFilter(r), Decisions: rancangan.Decisions, Back: r.URL.RequestURI(), Tabs: s.tabs(r, v, c, d, "tanggapi")}
	if p.Rows, err = rancangan.Matrix(r.Context(), s.db, v, c, d, p.Filter); err != nil {
		s.serveError(w, r, err)
		return
	}
	if p.Doc, err = s.drafts.Document(r.Context(), d, d.CurrentVersion); err != nil {
		s.serveError(w, r, err)
		return
	}
	for n := d.CurrentVersion; n >= 1; n-- {
		p.Versions = append(p.Versions, n)
	}
	s.render(w, r, http.StatusOK, "rancangan_triage", s.msgs.T(info(r).lang, "rancangan.triage")+" — "+d.Title, p)
}

// handleDraftAnswer answers the checked inputs (id, repeated) with one
// decision, reason and version, then returns to the list.
func (s *Server) handleDraftAnswer(w http.ResponseWriter, r *http.Request) {
	v, c, d, err := s.viewerAndDraft(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	a := rancangan.Answer{Decision: r.PostFormValue("decision"), Reason: r.PostFormValue("reason")}
	var ids []int64
	for _, x := range r.PostForm["id"] {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			s.serveError(w, r, errs.E(errs.Invalid, "error.bad_form", nil))
			return
		}
		ids = append(ids, id)
	}
	if a.Version, err = strconv.Atoi(r.PostFormValue("version")); err != nil {
		a.Version = -1 // refused as a bad version
	}
	notices, err := s.drafts.AnswerInputs(r.Context(), v, c, d, ids, a)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.mailDraftNotices(r, notices)
	backTo(w, r, draftURL(c, d, "")+"/tanggapi")
}

// versionsPage is the data of rancangan_versions.html.
type versionsPage struct {
	Tabs      draftTabs
	C         *forum.Consultation
	D         *rancangan.Draft
	Versions  []rancangan.Version
	From, To  int
	Changes   []rancangan.Change
	Moderator bool
	Source    string // the current version's text, to edit into the next
	Next      int    // the number the next version gets
}

// handleDraftVersions lists a draft's versions and shows the changes
// between two of them (?dari=1&ke=2; by default the last two), and for its
// drafters the form to upload the next version.
func (s *Server) handleDraftVersions(w http.ResponseWriter, r *http.Request) {
	v, c, d, err := s.viewerAndDraft(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	p := versionsPage{C: c, D: d, Moderator: s.allowed(r, v, forum.ActModerate, d.Item(c)),
		To: atoiOr(q.Get("ke"), d.CurrentVersion), Next: d.CurrentVersion + 1, Tabs: s.tabs(r, v, c, d, "versi")}
	p.From = atoiOr(q.Get("dari"), p.To-1)
	if p.Versions, err = rancangan.Versions(ctx, s.db, d); err != nil {
		s.serveError(w, r, err)
		return
	}
	if p.From >= 1 && p.From != p.To {
		from, err := s.drafts.Document(ctx, d, p.From)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		to, err := s.drafts.Document(ctx, d, p.To)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		for _, ch := range rancangan.Diff(from, to) {
			if ch.Kind != rancangan.ChangeSame {
				p.Changes = append(p.Changes, ch)
			}
		}
	}
	if p.Moderator {
		if p.Source, err = rancangan.Source(ctx, s.db, d, d.CurrentVersion); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "rancangan_versions", s.msgs.T(info(r).lang, "rancangan.versions")+" — "+d.Title, p)
}

// handleDraftVersionAdd stores the next version (drafters) and shows what
// changed.
func (s *Server) handleDraftVersionAdd(w http.ResponseWriter, r *http.Request) {
	v, c, d, err := s.viewerAndDraft(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	src, err := draftSource(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if _, err := s.drafts.AddVersion(r.Context(), v, c, d, src, r.PostFormValue("note")); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, draftURL(c, d, "")+"/versi?"+url.Values{"ke": {strconv.Itoa(d.CurrentVersion)}}.Encode(), http.StatusSeeOther)
}

// mailDraftNotices emails the answers just given to their authors when
// mail is configured, each in its recipient's language; the outbox asks
// rancangan.DeliverableNotice again just before sending, so an input
// hidden or a draft made private in between sends nothing. Faults are
// logged: the in-app notice is the record.
func (s *Server) mailDraftNotices(r *http.Request, ids []int64) {
	if !s.mailOn() {
		return
	}
	for _, id := range ids {
		n, u, ok, err := rancangan.DeliverableNotice(r.Context(), s.db, id)
		if err != nil {
			s.log.Error("draft notice mail", "request_id", info(r).id, "notice", id, "err", err)
			continue
		}
		if !ok || u.Email == "" {
			continue
		}
		lang := u.Lang
		if _, known := s.msgs.loc[lang]; !known {
			lang = defaultLang
		}
		subject := s.msgs.T(lang, "rancangan.notify", "Unit", n.Label, "Title", n.DraftTitle,
			"Decision", s.msgs.T(lang, "rancangan.decision."+n.Decision))
		path := unitURL(n.ConsultationSlug, n.DraftID, n.Anchor) + "#m" + strconv.FormatInt(n.InputID, 10)
		body := subject + "\n\n" + s.mailLink(path) + "\n\n" + s.msgs.T(lang, "notify.mail_footer", "URL", s.mailLink("/notifikasi")) + "\n"
		s.mail(r.Context(), message{To: u.Email, Subject: subject, Body: body, Ref: refOf(draftNoticeRef, id)})
	}
}
