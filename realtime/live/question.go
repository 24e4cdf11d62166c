package live

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/grapheme"
	"github.com/uptrace/bun"
)

// MaxQuestionLength is the longest question, in characters.
const MaxQuestionLength = 500

// Ask adds viewer v's question (asked by v's participant) to an open
// session: approved at once under post-moderation, pending under
// pre-moderation. name is the asker's display name, ignored when
// anonymous. v's right to ask (forum.Can write on the session: the
// consultation open with live sessions on in its phase, a member of the
// session's focus group, a signed-in user unless the session lets guests
// take part, not blocked) is decided inside the write's transaction, with
// those facts read again there (forum.InTx), so a change between the page
// load and the question refuses it: ErrNotFound when v no longer reads the
// session, otherwise forum.Can's errs.Forbidden error. Errors: ErrClosed, ErrText (empty or
// longer than MaxQuestionLength), ErrAnonymous (the session does not allow
// it), an errs.RateLimited error with key RateLimitKey, data Count and a
// retry-after of 60 s (an upper bound) when the participant asked PerMinute
// questions in the last 60 s.
func (s *Service) Ask(ctx context.Context, v forum.Viewer, sess *Session, name, text string, anonymous bool) (*Question, error) {
	pid := v.ParticipantID
	text, err := cleanText(text, MaxQuestionLength)
	if err != nil {
		return nil, err
	}
	if anonymous && !sess.AllowAnonymous {
		return nil, ErrAnonymous
	}
	name = strings.TrimSpace(strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", ""), ""))
	if anonymous {
		name = ""
	} else {
		name = grapheme.Prefix(name, 80, grapheme.Runes)
	}
	q := &Question{SessionID: sess.ID, ParticipantID: &pid, AuthorName: name, Anonymous: anonymous, Text: text, Status: StatusApproved,
		Version: 1}
	if sess.Premoderate {
		q.Status = StatusPending
	}
	limit := sess.PerMinute
	if limit <= 0 {
		limit = DefaultQuestionsPerMinute
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		q.CreatedAt, q.UpdatedAt = now, now
		cur, err := sessionWhere(ctx, tx, "id = ?", sess.ID)
		if err != nil {
			return err
		}
		if !cur.Open {
			return ErrClosed
		}
		// Count and insert one after the other per participant, so that
		// concurrent questions cannot all pass the limit. The row is
		// taken before the access check, which holds a guest's row in
		// share mode (a merge at sign-in waits for it): two questions
		// each holding it shared and then asking for it exclusively
		// would deadlock.
		if err := forum.LockParticipant(ctx, tx, pid); err != nil {
			return err
		}
		if err := authorizeWrite(ctx, v, cur); err != nil {
			return err
		}
		n, err := tx.NewSelect().Model((*Question)(nil)).
			Where("session_id = ? AND participant_id = ? AND created_at > ?", sess.ID, pid, now.Add(-time.Minute)).Count(ctx)
		if err != nil {
			return err
		}
		if n >= int64(limit) {
			return errs.Limited(RateLimitKey, time.Minute, map[string]any{"Count": limit})
		}
		if _, err = tx.NewInsert().Model(q).Exec(ctx); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.cache.putQuestion(q)
	s.publishQuestion(ctx, q)
	return q, nil
}

func questionWhere(ctx context.Context, db bun.IDB, sessionID, id int64) (*Question, error) {
	var q Question
	err := db.NewSelect().Model(&q).Where("id = ? AND session_id = ?", id, sessionID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &q, nil
}

// Moderation actions on a question.
const (
	ActApprove   = "approve"   // pending or hidden → approved
	ActHide      = "hide"      // pending or approved → hidden (leaves the stage)
	ActHighlight = "highlight" // approved → on stage (one at a time)
	ActLower     = "lower"     // the question leaves the stage
	ActAnswered  = "answered"  // approved → answered (leaves the stage)
	ActReopen    = "reopen"    // answered → not answered
	ActArchive   = "archive"   // any but merged → archived (leaves the stage)
	ActEdit      = "edit"      // new text (a typo), any but merged
	ActMerge     = "merge"     // into another question: its upvotes move there
)

// Moderate applies moderator v's action to question qid of sess. text is
// the new text of ActEdit; into is the target of ActMerge. Every change is
// written in one transaction with its audit row ("live_question.<action>"),
// then published. v's right (forum.Can moderate on the session: a global
// moderator or admin, or a moderator of its consultation) is decided inside
// that transaction with v's roles read again there (forum.InTx). Errors:
// ErrNotFound, ErrTransition (the action does not apply to the question's
// status), ErrText, forum.Can's errs.Forbidden error.
func (s *Service) Moderate(ctx context.Context, v forum.Viewer, sess *Session, qid int64, action, text string, into int64) error {
	var changed []*Question
	var stage *Session
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		changed, stage = nil, nil
		cur, err := sessionWhere(ctx, tx, "id = ?", sess.ID)
		if err != nil {
			return err
		}
		if err := authorizeModerate(ctx, v, cur); err != nil {
			return err
		}
		q, err := questionWhere(ctx, tx, sess.ID, qid)
		if err != nil {
			return err
		}
		onStage := cur.StageID != nil && *cur.StageID == qid
		setStage := func(id *int64) {
			cur.StageID = id
			stage = cur
		}
		is := func(states ...string) bool {
			for _, st := range states {
				if q.Status == st {
					return true
				}
			}
			return false
		}
		switch action {
		case ActApprove:
			if !is(StatusPending, StatusHidden) {
				return ErrTransition
			}
			q.Status = StatusApproved
		case ActHide:
			if !is(StatusPending, StatusApproved) {
				return ErrTransition
			}
			q.Status = StatusHidden
		case ActHighlight:
			if !is(StatusApproved) || !cur.Open {
				return ErrTransition
			}
			setStage(&qid)
			q = nil
		case ActLower:
			if !onStage {
				return ErrTransition
			}
			setStage(nil)
			q = nil
		case ActAnswered, ActReopen:
			if !is(StatusApproved) || q.Answered == (action == ActAnswered) {
				return ErrTransition
			}
			q.Answered = action == ActAnswered
			q.AnsweredAt = nil
			if q.Answered {
				q.AnsweredAt = &now
			}
		case ActArchive:
			if is(StatusMerged, StatusArchived) {
				return ErrTransition
			}
			q.Status = StatusArchived
		case ActEdit:
			var err error
			if text, err = cleanText(text, MaxQuestionLength); err != nil {
				return err
			}
			if is(StatusMerged) {
				return ErrTransition
			}
			q.Text = text
		case ActMerge:
			target, err := s.merge(ctx, tx, q, into)
			if err != nil {
				return err
			}
			changed = append(changed, target)
		default:
			return ErrTransition
		}
		if q != nil {
			if onStage && (!q.Public() || q.Answered) {
				setStage(nil)
			}
			q.Version++
			q.UpdatedAt = now
			if _, err := tx.NewUpdate().Model(q).WherePK().Exec(ctx); err != nil {
				return err
			}
			changed = append(changed, q)
		}
		if stage != nil {
			stage.Version++
			stage.UpdatedAt = now
			if _, err := tx.NewUpdate().Model(stage).Column("stage_question_id", "version", "updated_at").WherePK().Exec(ctx); err != nil {
				return err
			}
		}
		return audit(ctx, tx, v, auditQuestion, action, qid, cur, now, "")
	})
	if err != nil {
		return err
	}
	for _, q := range changed {
		s.cache.putQuestion(q)
		s.publishQuestion(ctx, q)
	}
	if stage != nil {
		s.cache.putSession(stage)
		s.publishSession(ctx, stage)
	}
	return nil
}

// merge folds q into question into: upvotes of q's voters who had not
// upvoted the target move to it (nobody counts twice), q becomes merged with
// no upvotes. It returns the updated target; the caller saves q.
func (s *Service) merge(ctx context.Context, tx bun.Tx, q *Question, into int64) (*Question, error) {
	if into == q.ID || q.Status == StatusMerged {
		return nil, ErrTransition
	}
	target, err := questionWhere(ctx, tx, q.SessionID, into)
	if err != nil {
		return nil, err
	}
	if target.Status == StatusMerged || target.Status == StatusArchived {
		return nil, ErrTransition
	}
	if _, err := tx.NewRaw(`INSERT INTO live_upvotes (question_id, participant_id, created_at)
		SELECT ?, u.participant_id, u.created_at FROM live_upvotes u
		WHERE u.question_id = ? AND NOT EXISTS (
			SELECT 1 FROM live_upvotes t WHERE t.question_id = ? AND t.participant_id = u.participant_id)`,
		target.ID, q.ID, target.ID).Exec(ctx); err != nil {
		return nil, err
	}
	if _, err := tx.NewDelete().Model((*upvote)(nil)).Where("question_id = ?", q.ID).Exec(ctx); err != nil {
		return nil, err
	}
	n, err := tx.NewSelect().Model((*upvote)(nil)).Where("question_id = ?", target.ID).Count(ctx)
	if err != nil {
		return nil, err
	}
	target.Upvotes = int(n)
	target.Version++
	target.UpdatedAt = s.now().UTC()
	if _, err := tx.NewUpdate().Model(target).Column("upvotes", "version", "updated_at").WherePK().Exec(ctx); err != nil {
		return nil, err
	}
	q.Status, q.MergedInto, q.Upvotes = StatusMerged, &target.ID, 0
	return target, nil
}

// cleanText trims s and refuses it with ErrText when it is empty, longer
// than max characters, not valid UTF-8 or holds a NUL byte (which neither
// SQLite through bun nor PostgreSQL stores as text: a 400, not a 500).
func cleanText(s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 || utf8.RuneCountInString(s) > max {
		return "", ErrText
	}
	return s, nil
}
