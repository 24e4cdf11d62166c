package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/realtime/live"
)

// groupPage is the data of group.html. Inside is set when the viewer sees
// the group's content (members, its moderators, admins); Members, the
// invitation forms and the live session form only for moderators. Links
// holds invitations just made, shown once; Live the group's live sessions
// the viewer may open.
type groupPage struct {
	C         *forum.Consultation
	G         *forum.FocusGroup
	Inside    bool
	Moderator bool
	Members   []forum.Member
	Invites   []forum.GroupInvite // live invitations, for moderators to revoke
	Links     []inviteLink
	Live      []live.Session
	Base      string
}

// inviteLink is an invitation as the group page shows it once: the full
// URL to copy and its QR code (qr.go).
type inviteLink struct {
	Email string
	URL   string
	QR    template.URL
}

// handleGroups lists a consultation's focus groups the viewer may know
// of (listed ones by name only) and, for moderators, the form to create
// one.
func (s *Server) handleGroups(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	gs, err := forum.FocusGroupsFor(r.Context(), s.db, v, c)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	mod := s.allowed(r, v, forum.ActModerate, c.Item())
	s.render(w, r, http.StatusOK, "groups", s.msgs.T(info(r).lang, "groups.title")+" · "+c.Title,
		map[string]any{"C": c, "Groups": gs, "Moderator": mod})
}

// handleGroupCreate creates a focus group (moderators of the
// consultation only) and opens its page.
func (s *Server) handleGroupCreate(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	g := &forum.FocusGroup{ConsultationID: c.ID, Name: r.PostFormValue("name"), Listed: r.PostFormValue("listed") == "1"}
	if err := s.forum.CreateFocusGroup(r.Context(), v, g); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, groupURL(c, g), http.StatusSeeOther)
}

func groupURL(c *forum.Consultation, g *forum.FocusGroup) string {
	return "/k/" + url.PathEscape(c.Slug) + "/kelompok/" + strconv.FormatInt(g.ID, 10)
}

// groupFor loads the {ref} consultation and its {id} group for v: a
// group v may not know of is 404, like a missing one.
func (s *Server) groupFor(r *http.Request) (forum.Viewer, *groupPage, error) {
	v, err := s.forumViewer(r, false)
	if err != nil {
		return v, nil, err
	}
	c, err := s.consultationFor(r, v)
	if err != nil {
		return v, nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return v, nil, err
	}
	g, err := forum.FocusGroupByID(r.Context(), s.db, v, c, id)
	if err != nil {
		return v, nil, err
	}
	d := &groupPage{C: c, G: g, Base: "/k/" + url.PathEscape(c.Slug) + "/proposals?group=" + strconv.FormatInt(g.ID, 10)}
	err = forum.Can(r.Context(), v, forum.ActRead, forum.Item{Kind: forum.ItemProposal, Consultation: c, GroupID: g.ID})
	switch {
	case err == nil:
		d.Inside = true
	case errs.KindOf(err) != errs.NotFound:
		return v, nil, err
	}
	if d.Moderator = s.allowed(r, v, forum.ActModerate, c.Item()); d.Moderator {
		if d.Members, err = forum.Members(r.Context(), s.db, v, g); err != nil {
			return v, nil, err
		}
		if d.Invites, err = forum.GroupInvites(r.Context(), s.db, v, g, s.now().UTC()); err != nil {
			return v, nil, err
		}
	}
	if d.Inside {
		if d.Live, err = s.groupSessions(r, v, c, g); err != nil {
			return v, nil, err
		}
	}
	return v, d, nil
}

// handleGroup shows a focus group: its name to whoever may know of it,
// and to those inside the link to its discussion; moderators also see
// the members and the invitation forms.
func (s *Server) handleGroup(w http.ResponseWriter, r *http.Request) {
	_, d, err := s.groupFor(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "group", d.G.Name, d)
}

// handleGroupInvite makes an invitation link anyone signed in may use
// (field days, 1 to 90) or, with emails, one link per address that only
// that user may use (mailed when mail is configured), and shows them
// once on the group page.
func (s *Server) handleGroupInvite(w http.ResponseWriter, r *http.Request) {
	v, d, err := s.groupFor(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	days := atoiOr(r.PostFormValue("days"), 7)
	if days < 1 || days > 90 {
		s.serveError(w, r, errs.E(errs.Invalid, "error.invite_days", nil))
		return
	}
	ttl := time.Duration(days) * 24 * time.Hour
	var links []forum.EmailInvite
	if emails := r.PostFormValue("emails"); emails != "" {
		links, err = s.forum.InviteEmails(r.Context(), v, d.G, emails, ttl)
	} else {
		var tok string
		if tok, err = s.forum.Invite(r.Context(), v, d.G, ttl); err == nil {
			links = []forum.EmailInvite{{Token: tok}}
		}
	}
	for _, l := range links {
		if err != nil {
			break
		}
		il := inviteLink{Email: l.Email, URL: s.publicURL(r, "/undangan/"+l.Token)}
		il.QR, err = qrDataURI(il.URL)
		d.Links = append(d.Links, il)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if s.mailOn() {
		lang := info(r).lang
		for _, l := range links {
			if l.Email != "" {
				subject := s.msgs.T(lang, "invite.mail_subject", "Name", d.G.Name)
				body := subject + "\n\n" + s.msgs.T(lang, "notify.mail_consultation", "Title", d.C.Title) + "\n" +
					s.mailLink("/undangan/"+l.Token) + "\n\n" + s.msgs.T(lang, "invite.mail_expiry", "Days", days) + "\n"
				s.mail(r.Context(), message{To: l.Email, Subject: subject, Body: body, Secret: true, Expires: s.now().Add(ttl)})
			}
		}
	}
	s.render(w, r, http.StatusOK, "group", d.G.Name, d)
}

// handleGroupRemove removes member {user} from the group.
func (s *Server) handleGroupRemove(w http.ResponseWriter, r *http.Request) {
	v, d, err := s.groupFor(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	user, err := pathID(r, "user")
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := s.forum.RemoveMember(r.Context(), v, d.G, user); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, groupURL(d.C, d.G)+"#members", http.StatusSeeOther)
}

// handleGroupRevoke ends the group's invitation named by the form's key
// (forum.Store.RevokeInvite): its link refuses from then on.
func (s *Server) handleGroupRevoke(w http.ResponseWriter, r *http.Request) {
	v, d, err := s.groupFor(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := s.forum.RevokeInvite(r.Context(), v, d.G, r.PostFormValue("key")); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, groupURL(d.C, d.G)+"#invites", http.StatusSeeOther)
}

// handleInvite shows an invitation: the group's name and a button to
// join, or a sign-in prompt.
func (s *Server) handleInvite(w http.ResponseWriter, r *http.Request) {
	g, c, err := s.forum.InviteGroup(r.Context(), r.PathValue("token"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "invite", g.Name, map[string]any{"G": g, "C": c, "Token": r.PathValue("token"),
		"SignedIn": s.viewerOf(r).User != nil})
}

// handleInviteAccept joins the signed-in user to the invitation's group.
func (s *Server) handleInviteAccept(w http.ResponseWriter, r *http.Request) {
	u := s.viewerOf(r).User
	if u == nil {
		s.serveError(w, r, errs.E(errs.Forbidden, "error.sign_in_required", nil))
		return
	}
	g, c, err := s.forum.InviteGroup(r.Context(), r.PathValue("token"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if _, err := s.forum.AcceptInvite(r.Context(), u, r.PathValue("token")); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, groupURL(c, g), http.StatusSeeOther)
}
