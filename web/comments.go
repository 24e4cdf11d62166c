package web

import (
	"net/http"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// handleComment adds a comment or a reply (form field parent) to the
// {ref} proposal.
func (s *Server) handleComment(w http.ResponseWriter, r *http.Request) {
	v, p, c, err := s.viewerAndProposal(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	align, err := forum.AlignmentFrom(r.PostFormValue("alignment"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	parent, _ := strconv.ParseInt(r.PostFormValue("parent"), 10, 64)
	in := forum.CommentInput{Body: r.PostFormValue("body"), Alignment: align, ParentID: parent}
	cm, ds, err := s.forum.AddComment(r.Context(), v, c, p, in)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.deliver(r, ds, c, p, nil)
	http.Redirect(w, r, proposalURL(p)+"#c"+strconv.FormatInt(cm.ID, 10), http.StatusSeeOther)
}

// commentFor loads the {id} comment for v, and its proposal.
func (s *Server) commentFor(r *http.Request, v forum.Viewer) (*forum.Comment, *forum.Consultation, *forum.Proposal, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, nil, err
	}
	cm, c, err := forum.CommentFor(r.Context(), s.db, v, id)
	if err != nil {
		return nil, nil, nil, err
	}
	p, _, err := forum.ProposalFor(r.Context(), s.db, v, cm.ProposalID)
	if err != nil {
		return nil, nil, nil, err
	}
	return cm, c, p, nil
}

// handleCommentAction votes on (up/down), edits or deletes a comment.
func (s *Server) handleCommentAction(w http.ResponseWriter, r *http.Request) {
	v, err := s.forumViewer(r, true)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	cm, c, p, err := s.commentFor(r, v)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ctx := r.Context()
	switch r.PathValue("action") {
	case "up":
		err = s.forum.VoteComment(ctx, v, c, cm, 1)
	case "down":
		err = s.forum.VoteComment(ctx, v, c, cm, -1)
	case "edit":
		err = s.forum.EditComment(ctx, v, cm, r.PostFormValue("body"))
	case "delete":
		err = s.forum.DeleteComment(ctx, v, cm)
	default:
		err = errs.ErrNotFound
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, proposalURL(p)+"#c"+strconv.FormatInt(cm.ID, 10), http.StatusSeeOther)
}

// handleCommentEditForm shows the edit form of the viewer's own comment.
func (s *Server) handleCommentEditForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	cm, _, p, err := s.commentFor(r, v)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if cm.AuthorID != v.ParticipantID || v.ParticipantID == 0 {
		s.serveError(w, r, errs.E(errs.Forbidden, "error.action_forbidden", nil))
		return
	}
	s.render(w, r, http.StatusOK, "comment_edit", s.msgs.T(info(r).lang, "comment.edit"), map[string]any{"Comment": cm, "P": p})
}
