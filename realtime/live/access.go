package live

import (
	"context"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// Item returns session sess as the access rule (forum.Can) sees it: a
// live session of its consultation, inside its focus group when it has
// one, letting guests take part when its settings do, with the
// consultation's current stage for writes. The consultation is read
// through the node's cache (Options.CacheTTL), as websocket joins ask this
// for every connection.
func (s *Service) Item(ctx context.Context, sess *Session) (forum.Item, error) {
	c, phases, err := s.cache.consultation(ctx, s, sess.ConsultationID)
	if err != nil {
		return forum.Item{}, err
	}
	st := forum.StageAt(c, phases, s.now())
	return item(sess, c, &st), nil
}

func item(sess *Session, c *forum.Consultation, st *forum.Stage) forum.Item {
	it := forum.Item{Kind: forum.ItemLiveSession, Consultation: c, Stage: st, Guests: sess.AllowGuests}
	if sess.FocusGroupID != nil {
		it.GroupID = *sess.FocusGroupID
	}
	return it
}

// authorizeWrite is Authorize(ActWrite) inside a write transaction (ctx
// from forum.InTx), for sess as read there: forum.Can reads the
// consultation's status and stage again in that transaction, so neither
// the node's cache nor a second connection is asked.
func authorizeWrite(ctx context.Context, v forum.Viewer, sess *Session) error {
	err := forum.Can(ctx, v, forum.ActWrite, item(sess, &forum.Consultation{ID: sess.ConsultationID}, &forum.Stage{}))
	if errs.KindOf(err) == errs.NotFound {
		return ErrNotFound
	}
	return err
}

// authorizeModerate is Authorize(ActModerate) inside a write transaction
// (ctx from forum.InTx), for sess as read there: forum.Can reads v's role
// and per-consultation roles and the consultation again in that
// transaction, so a moderator removed or demoted after the page loaded is
// refused (forum.Can's errs.Forbidden error; ErrNotFound when v no longer
// reads the session). Every staff write of the Service calls it first.
func authorizeModerate(ctx context.Context, v forum.Viewer, sess *Session) error {
	err := forum.Can(ctx, v, forum.ActModerate, item(sess, &forum.Consultation{ID: sess.ConsultationID}, nil))
	if errs.KindOf(err) == errs.NotFound {
		return ErrNotFound
	}
	return err
}

// Authorize is forum.Can for session sess: ActRead for its pages and its
// public channel, ActWrite to ask, upvote and answer, ActModerate for its
// moderation page and channel and the presenter view, ActExport for its
// record. It returns nil, ErrNotFound (a session v may not read is
// missing), or the rule's KindForbidden error.
func (s *Service) Authorize(ctx context.Context, v forum.Viewer, a forum.Action, sess *Session) error {
	it, err := s.Item(ctx, sess)
	if err != nil {
		return err
	}
	err = forum.Can(ctx, v, a, it)
	if errs.KindOf(err) == errs.NotFound {
		return ErrNotFound
	}
	return err
}

// Recheck makes this node read consultation id again at once: call it
// before re-checking open connections after the consultation changed.
func (s *Service) Recheck(id int64) { s.cache.forgetConsultation(id) }
