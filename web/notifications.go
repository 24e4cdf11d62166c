package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/rancangan"
)

// notificationsData is the notifications page: about proposals and
// comments (forum), answers to the user's inputs on draft regulations
// (rancangan.Notices) and, for staff, about complaints.
type notificationsData struct {
	Forum      []forum.NotificationView
	Drafts     []rancangan.Notice
	Complaints []complaint.StaffNotice
}

// handleNotifications lists the signed-in user's notifications that they
// may see now (forum.Notifications and complaint.Store.StaffNotifications
// judge visibility when showing, so a removed member, hidden content or a
// complaint forwarded away never shows).
func (s *Server) handleNotifications(w http.ResponseWriter, r *http.Request) {
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	var d notificationsData
	if d.Forum, err = forum.Notifications(r.Context(), s.db, v, 100); err == nil {
		d.Drafts, err = rancangan.Notices(r.Context(), s.db, v, 100, false)
	}
	if err == nil {
		d.Complaints, err = s.complaints.StaffNotifications(r.Context(), s.complaints.Actor(v, ""), 100)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "notifications", s.msgs.T(info(r).lang, "notify.title"), d)
}

// handleNotificationsRead marks every notification read.
func (s *Server) handleNotificationsRead(w http.ResponseWriter, r *http.Request) {
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	err = s.forum.MarkNotificationsRead(r.Context(), v)
	if err == nil {
		err = s.drafts.MarkNoticesRead(r.Context(), v)
	}
	if err == nil {
		err = s.complaints.MarkStaffNotificationsRead(r.Context(), s.complaints.Actor(v, ""))
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/notifikasi", http.StatusSeeOther)
}

// handleFollow follows or (with off=1) unfollows the {ref} consultation,
// or the {ref} proposal on /p/ paths, and goes back.
func (s *Server) handleFollow(w http.ResponseWriter, r *http.Request) {
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	var (
		c    *forum.Consultation
		p    *forum.Proposal
		back string
	)
	if strings.HasPrefix(r.URL.Path, "/p/") {
		if p, c, err = s.proposalFor(r, v); err == nil {
			back = proposalURL(p)
		}
	} else if c, err = s.consultationFor(r, v); err == nil {
		back = "/k/" + c.Slug
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := s.forum.Follow(r.Context(), v, c, p, r.PostFormValue("off") != "1"); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// deliver emails notifications just created (when mail is configured),
// each in its recipient's language, with titles as plain text. Failures
// are logged; the in-app notification stays either way.
func (s *Server) deliver(r *http.Request, ds []forum.Delivery, c *forum.Consultation, p *forum.Proposal, err error) {
	if err != nil {
		s.log.Error("notify", "request_id", info(r).id, "err", err)
		return
	}
	if !s.mailOn() {
		return
	}
	for _, d := range ds {
		if d.User.Email == "" {
			continue
		}
		lang := d.User.Lang
		if _, ok := s.msgs.loc[lang]; !ok {
			lang = defaultLang
		}
		subject := s.msgs.T(lang, "notify."+d.Kind, "Title", p.Title)
		body := subject + "\n\n" + s.msgs.T(lang, "notify.mail_consultation", "Title", c.Title) + "\n" +
			s.mailLink(proposalURL(p)) + "\n\n" + s.msgs.T(lang, "notify.mail_footer", "URL", s.mailLink("/notifikasi")) + "\n"
		s.mail(r.Context(), message{To: d.User.Email, Subject: subject, Body: body, Ref: refOf(notificationRef, d.ID)})
	}
}

// deliverSubjects emails notifications about subjects just created (an
// evaluation recommendation due soon) when mail is configured, each in its
// recipient's language with the subject's title as plain text; the queue
// outbox asks forum.Deliverable again just before sending.
func (s *Server) deliverSubjects(ctx context.Context, ds []forum.Delivery) {
	if !s.mailOn() {
		return
	}
	for _, d := range ds {
		if d.User.Email == "" || d.Subject == nil {
			continue
		}
		lang := d.User.Lang
		if _, ok := s.msgs.loc[lang]; !ok {
			lang = defaultLang
		}
		subject := s.msgs.T(lang, "notify."+d.Kind, "Title", d.Subject.Title)
		body := subject + "\n\n" + s.mailLink(d.Subject.URL) + "\n\n" + s.msgs.T(lang, "notify.mail_footer", "URL", s.mailLink("/notifikasi")) + "\n"
		s.mail(ctx, message{To: d.User.Email, Subject: subject, Body: body, Ref: refOf(notificationRef, d.ID)})
	}
}

// unreadDraftNotices counts the signed-in user's unread answers to their
// draft inputs that they may still read, for the header's bell. A fault is
// logged and counts none.
func (s *Server) unreadDraftNotices(r *http.Request) int {
	v, err := s.readerViewer(r)
	if err == nil && v.User != nil {
		var ns []rancangan.Notice
		if ns, err = rancangan.Notices(r.Context(), s.db, v, 100, true); err == nil {
			return len(ns)
		}
	}
	if err != nil {
		s.log.Error("unread draft notices", "request_id", info(r).id, "err", err)
	}
	return 0
}
