package web

import (
	"net/http"
	"net/url"

	"github.com/rembug/rembug/forum"
)

// usersPage is the data of admin_users.html.
type usersPage struct {
	Query string
	Rows  []forum.UserRow
	Roles []string
	Self  int64
	// Full says the list stopped at forum.MaxUserRows: search to narrow.
	Full bool
}

// handleAdminUsers lists and searches accounts (name, email, phone) for
// admins, with a role form and a block form per row.
func (s *Server) handleAdminUsers(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	q := r.URL.Query().Get("q")
	rows, err := forum.ListUsers(r.Context(), s.db, v, q)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_users", s.msgs.T(info(r).lang, "staff.users"), usersPage{Query: q, Rows: rows,
		Roles: []string{forum.RoleParticipant, forum.RoleAssistant, forum.RoleAnalyst, forum.RoleModerator, forum.RoleAdmin}, Self: v.User.ID,
		Full: len(rows) == forum.MaxUserRows})
}

// usersBack is the user list the forms return to, keeping the search.
func usersBack(r *http.Request) string {
	if q := r.PostFormValue("q"); q != "" {
		return "/admin/pengguna?q=" + url.QueryEscape(q)
	}
	return "/admin/pengguna"
}

// handleAdminUserRole changes one user's global role (forum.Store.SetRole).
func (s *Server) handleAdminUserRole(w http.ResponseWriter, r *http.Request) {
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err == nil {
		err = s.forum.SetRole(r.Context(), v, id, r.PostFormValue("role"))
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, usersBack(r), http.StatusSeeOther)
}

// handleAdminUserBlock blocks (block=1, with a reason) or unblocks one
// user site-wide (forum.Store.SetUserBlocked).
func (s *Server) handleAdminUserBlock(w http.ResponseWriter, r *http.Request) {
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err == nil {
		err = s.forum.SetUserBlocked(r.Context(), v, id, r.PostFormValue("block") == "1", r.PostFormValue("reason"))
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, usersBack(r), http.StatusSeeOther)
}

// handleAdminConsultationRole names or removes a moderator or analyst of
// the {ref} consultation, found by email (forum.Store.SetConsultationRole).
func (s *Server) handleAdminConsultationRole(w http.ResponseWriter, r *http.Request) {
	v, c, ok := s.adminConsultation(w, r)
	if !ok {
		return
	}
	id, err := formID(r, "user"), error(nil)
	if r.PostFormValue("remove") == "" {
		var u *forum.User
		if u, err = forum.UserByEmail(r.Context(), s.db, r.PostFormValue("email")); err == nil {
			id = u.ID
		}
	}
	if err == nil {
		err = s.forum.SetConsultationRole(r.Context(), v, c, id, r.PostFormValue("role"), r.PostFormValue("remove") == "")
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, adminURL(c)+"#peran", http.StatusSeeOther)
}
