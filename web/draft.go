package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/rembug/rembug/forum/draft"
	"github.com/rembug/rembug/forum/errs"
)

// draftKind is one form a guest may start before signing in: where it
// posts (target), the fields kept, and the anchor of the page it came
// from that holds the form.
type draftKind struct {
	Name   string
	target *regexp.Regexp
	fields []string
	anchor string
}

// draftKinds are the forms whose text survives sign-in: a comment on a
// proposal, a new proposal, and a participant's statement.
var draftKinds = []draftKind{
	{"comment", regexp.MustCompile(`^/p/[^/?#]+/comments$`), []string{"body", "parent"}, "#ct"},
	{"proposal", regexp.MustCompile(`^/k/[^/?#]+/proposals$`), []string{"title", "body", "topics", "group"}, ""},
	{"statement", regexp.MustCompile(`^/k/[^/?#]+/pernyataan/kirim$`), []string{"text"}, "#write-st"},
}

// draftKindOf returns the kind of form that posts to target, or false.
func draftKindOf(target string) (draftKind, bool) {
	for _, k := range draftKinds {
		if k.target.MatchString(target) {
			return k, true
		}
	}
	return draftKind{}, false
}

// handleDraftSave keeps what a guest typed into a comment, proposal or
// statement form and sends them to sign in; the sign-in returns to the
// draft (handleDraft). With nothing typed it returns to the page itself.
func (s *Server) handleDraftSave(w http.ResponseWriter, r *http.Request) {
	target, back := r.PostFormValue("target"), localPath(r.PostFormValue("back"))
	k, ok := draftKindOf(target)
	if !ok {
		s.serveError(w, r, errs.E(errs.Invalid, "error.bad_form", nil))
		return
	}
	fields, typed := map[string]string{}, false
	for _, f := range k.fields {
		v := r.PostFormValue(f)
		fields[f] = v
		typed = typed || (f != "parent" && f != "group" && strings.TrimSpace(v) != "")
	}
	next := back + k.anchor
	if typed {
		tok, err := draft.Save(r.Context(), s.db, &draft.Draft{Target: target, Back: back, Fields: fields}, s.now().UTC())
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		next = "/masuk/draf/" + tok
	}
	http.Redirect(w, r, "/masuk?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// draftPage is a saved draft as its page shows it: Kind names the form.
type draftPage struct {
	*draft.Draft
	Kind string
}

// handleDraft shows a saved draft, filled in, for the signed-in person to
// send.
func (s *Server) handleDraft(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	d, err := draft.Load(r.Context(), s.db, r.PathValue("token"), s.now().UTC())
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	k, ok := draftKindOf(d.Target)
	if !ok {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "draft", s.msgs.T(info(r).lang, "draft.title_"+k.Name), draftPage{Draft: d, Kind: k.Name})
}
