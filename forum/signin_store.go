package forum

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// SignIn starts a session for user u in one transaction: it ends session
// prev (the one the browser presented; "" for none), moves everything the
// guest participant of visitor id visitor did ("" for none) to u's
// participant through the merge steps m, and creates a fresh session. It
// returns the new session's token (valid for SessionTTL). A failure leaves
// the old session, the guest's rows and u's as they were.
func (s *Store) SignIn(ctx context.Context, u *User, prev, visitor string, m *Mergers) (string, error) {
	var tok string
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if prev != "" {
			if err := DeleteSession(ctx, tx, prev); err != nil {
				return err
			}
		}
		if visitor != "" {
			guest, err := FindParticipant(ctx, tx, ParticipantGuest, visitor)
			switch {
			case errs.KindOf(err) == errs.NotFound:
			case err != nil:
				return err
			default:
				me, err := UserParticipant(ctx, tx, u, now)
				if err != nil {
					return err
				}
				if err := m.Merge(ctx, tx, guest.ID, me.ID); err != nil {
					return err
				}
			}
		}
		var err error
		tok, err = CreateSession(ctx, tx, u.ID, now)
		return err
	})
	return tok, err
}

// SignOut ends session tok (every device holding a copy of its cookie).
func (s *Store) SignOut(ctx context.Context, tok string) error {
	return DeleteSession(ctx, s.db, tok)
}
