package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/rancangan"
)

// Draft regulations (raperda): the list of a consultation's drafts and the
// drafters' upload form, the draft's text with a link to each unit's
// inputs, and a unit's page where citizens give their input
// (rancangan_*.go for the rest).

// draftsPage is the data of rancangan_list.html.
type draftsPage struct {
	C         *forum.Consultation
	Drafts    []rancangan.Draft
	Groups    []forum.FocusGroup
	Moderator bool
}

// draftTextPage is the data of rancangan.html.
type draftTextPage struct {
	Tabs      draftTabs
	C         *forum.Consultation
	D         *rancangan.Draft
	Doc       *rancangan.Document
	Version   int // the version shown
	Versions  []rancangan.Version
	Counts    map[string]int // published inputs by anchor
	Moderator bool
}

// unitPage is the data of rancangan_unit.html.
type unitPage struct {
	Tabs      draftTabs
	C         *forum.Consultation
	D         *rancangan.Draft
	Unit      rancangan.Unit
	Rows      []rancangan.Row
	Supported map[int64]bool
	Stances   []string
	CanWrite  bool
	SignedIn  bool
	Moderator bool
	Me        int64
}

// draftTabs is the data of the "raperda_tabs" template
// (part_rancangan.html): the draft's views, the current one marked.
type draftTabs struct {
	Lang, Base, Current string
	Moderator           bool
}

// tabs returns the draft views of d for v, current being "teks",
// "matriks", "laporan", "versi" or "tanggapi".
func (s *Server) tabs(r *http.Request, v forum.Viewer, c *forum.Consultation, d *rancangan.Draft, current string) draftTabs {
	return draftTabs{Lang: info(r).lang, Base: draftURL(c, d, ""), Current: current, Moderator: s.allowed(r, v, forum.ActModerate, d.Item(c))}
}

// draftURL is the page of draft d of c, at anchor ("" for the top).
func draftURL(c *forum.Consultation, d *rancangan.Draft, anchor string) string {
	return rancangan.Path(c.Slug, d.ID, anchor)
}

// viewerAndDraft is the first step of the draft handlers: who is asking,
// the {ref} consultation and its {id} draft they may read.
func (s *Server) viewerAndDraft(r *http.Request, create bool) (forum.Viewer, *forum.Consultation, *rancangan.Draft, error) {
	v, c, err := s.viewerAndConsultation(r, create)
	if err != nil {
		return v, nil, nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return v, nil, nil, err
	}
	d, err := rancangan.DraftFor(r.Context(), s.db, v, c, id)
	return v, c, d, err
}

// handleDrafts lists a consultation's drafts and, for its moderators, the
// form to upload a new one.
func (s *Server) handleDrafts(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	d := draftsPage{C: c, Moderator: s.allowed(r, v, forum.ActModerate, c.Item())}
	if d.Drafts, err = rancangan.Drafts(r.Context(), s.db, v, c); err != nil {
		s.serveError(w, r, err)
		return
	}
	if d.Moderator {
		if d.Groups, err = forum.FocusGroupsFor(r.Context(), s.db, v, c); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "rancangan_list", s.msgs.T(info(r).lang, "rancangan.title"), d)
}

// draftSource reads the draft text of a form: an uploaded Markdown or
// plain-text file ("file") or the pasted text ("text"). A file of another
// type is errs.Invalid.
func draftSource(r *http.Request) (string, error) {
	f, h, err := r.FormFile("file")
	if err == nil {
		defer f.Close()
		name := strings.ToLower(h.Filename)
		if !strings.HasSuffix(name, ".md") && !strings.HasSuffix(name, ".txt") && !strings.HasSuffix(name, ".markdown") {
			return "", errs.E(errs.Invalid, "rancangan.file_type", nil)
		}
		b, err := io.ReadAll(io.LimitReader(f, 2<<20+1))
		if err != nil {
			return "", errs.Wrap(errs.Invalid, "error.bad_form", err)
		}
		return string(b), nil
	}
	return r.PostFormValue("text"), nil
}

// handleDraftCreate stores a new draft from the upload form (moderators).
func (s *Server) handleDraftCreate(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	src, err := draftSource(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	group, _ := strconv.ParseInt(r.PostFormValue("group"), 10, 64)
	d, err := s.drafts.Create(r.Context(), v, c, group, r.PostFormValue("title"), src)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, draftURL(c, d, ""), http.StatusSeeOther)
}

// handleDraftText shows a draft's text (the current version, or ?v=N) with the
// number of inputs on each unit and a link to give one.
func (s *Server) handleDraftText(w http.ResponseWriter, r *http.Request) {
	v, c, d, err := s.viewerAndDraft(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ctx := r.Context()
	p := draftTextPage{C: c, D: d, Version: atoiOr(r.URL.Query().Get("v"), d.CurrentVersion),
		Moderator: s.allowed(r, v, forum.ActModerate, d.Item(c)), Tabs: s.tabs(r, v, c, d, "teks")}
	if p.Doc, err = s.drafts.Document(ctx, d, p.Version); err != nil {
		s.serveError(w, r, err)
		return
	}
	if p.Versions, err = rancangan.Versions(ctx, s.db, d); err != nil {
		s.serveError(w, r, err)
		return
	}
	rows, err := rancangan.Matrix(ctx, s.db, v, c, d, rancangan.Filter{})
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	p.Counts = map[string]int{}
	for _, row := range rows {
		p.Counts[row.Anchor]++
	}
	s.render(w, r, http.StatusOK, "rancangan", d.Title, p)
}

// handleDraftUnit shows one unit of the current version, the inputs on it
// with the drafters' answers, and the form to give one.
func (s *Server) handleDraftUnit(w http.ResponseWriter, r *http.Request) {
	v, c, d, err := s.viewerAndDraft(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ctx := r.Context()
	doc, err := s.drafts.Document(ctx, d, d.CurrentVersion)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	anchor := r.PathValue("anchor")
	if _, has := doc.Unit(anchor); r.URL.Query().Get("v") != "" || !has {
		from := r.URL.Query().Get("v")
		// A link made for an earlier version: follow the Pasal that later
		// versions renumbered to the same article's anchor now.
		to, err := rancangan.ResolveAnchor(ctx, s.db, d, anchor, atoiOr(from, 0))
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		if to != anchor || from != "" {
			http.Redirect(w, r, unitURL(c.Slug, d.ID, to), http.StatusFound)
			return
		}
	}
	u, ok := doc.Unit(anchor)
	if !ok || !u.Commentable() {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	p := unitPage{C: c, D: d, Unit: u, Stances: rancangan.Stances, SignedIn: v.User != nil, Me: v.ParticipantID,
		Moderator: s.allowed(r, v, forum.ActModerate, d.Item(c)), Tabs: s.tabs(r, v, c, d, "teks")}
	st, err := forum.StageOf(ctx, s.db, c, s.now())
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	in := rancangan.Input{FocusGroupID: d.FocusGroupID, State: forum.StatePublished}
	it := in.Item(c)
	it.Stage = &st
	// A signed-in user gets a participant with their first input (the
	// post creates it), so the form is offered as if they had one; guests
	// are offered sign-in.
	probe := v
	if probe.ParticipantID == 0 && probe.User != nil {
		probe.ParticipantID = -1
	}
	p.CanWrite = s.allowed(r, probe, forum.ActWrite, it)
	if p.Rows, err = rancangan.Matrix(ctx, s.db, v, c, d, rancangan.Filter{Anchor: u.Anchor}); err != nil {
		s.serveError(w, r, err)
		return
	}
	ids := make([]int64, len(p.Rows))
	for i, row := range p.Rows {
		ids[i] = row.ID
	}
	if p.Supported, err = rancangan.Supported(ctx, s.db, v.ParticipantID, ids); err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "rancangan_unit", u.Label()+" — "+d.Title, p)
}
