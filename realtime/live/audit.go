package live

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
)

// The audit log's target kinds of this package. A moderator's write is
// logged as action "<kind>.<action>", e.g. "live_question.hide".
const (
	auditSession  = "live_session"
	auditQuestion = "live_question"
	auditPoll     = "live_poll"
)

// AuditCodes returns every audit action code this package writes, and its
// target kinds, for the audit log's labels. Participants' writes (asking,
// upvoting, answering a poll) are not logged: they are the hot path, and an
// audit row naming the participant would link an anonymous question.
func AuditCodes() (actions, kinds []string) {
	for kind, acts := range map[string][]string{
		auditSession:  {"create", "open", "end"},
		auditQuestion: {ActApprove, ActHide, ActHighlight, ActLower, ActAnswered, ActReopen, ActArchive, ActEdit, ActMerge},
		auditPoll:     {"create", PollLaunch, PollClose, PollShow, PollHide},
	} {
		kinds = append(kinds, kind)
		for _, a := range acts {
			actions = append(actions, kind+"."+a)
		}
	}
	return actions, kinds
}

// inTx runs fn in one transaction and hands it the write's time, read once
// from the clock so that the change and its audit row carry the same time.
// forum.Can called with fn's ctx reads its facts again inside the
// transaction (forum.InTx).
func (s *Service) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx, now time.Time) error) error {
	now := s.now().UTC()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(forum.InTx(ctx, tx, now), tx, now)
	})
}

// audit writes moderator v's action on item id (of kind) of session sess
// through forum.Audit, in the write's transaction tx.
func audit(ctx context.Context, tx bun.Tx, v forum.Viewer, kind, action string, id int64, sess *Session, now time.Time, reason string) error {
	return forum.Audit(ctx, tx, v, kind+"."+action, kind, id, sess.ConsultationID, reason, now)
}
