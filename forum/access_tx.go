package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
)

// txFacts is what Can needs to decide inside a write transaction: the
// transaction to read the facts from, the write's time (for the phase) and
// the viewers already read again in it.
type txFacts struct {
	tx      bun.IDB
	now     time.Time
	viewers map[[2]int64]Viewer
	cons    map[int64]consFacts
}

// consFacts is a consultation and its stage as read in the transaction.
type consFacts struct {
	c     *Consultation
	stage *Stage // nil until a check needs it
}

type txFactsKey struct{}

// InTx returns ctx for write transaction tx, whose time is now. Can called
// with the returned context does not trust the facts its Viewer and Item
// carry from before the transaction: it reads them again in tx first
// (fresh), so that a change committed between the page load and the write
// (a member removed, a role or a consultation role taken away, a block, the
// consultation closed or made draft, the phase moved on) refuses the write.
// Every Store's transaction helper calls it, so no write method has to.
func InTx(ctx context.Context, tx bun.IDB, now time.Time) context.Context {
	return context.WithValue(ctx, txFactsKey{}, &txFacts{tx: tx, now: now, viewers: map[[2]int64]Viewer{}, cons: map[int64]consFacts{}})
}

// factsOf returns the transaction facts of ctx, nil outside a Store write.
func factsOf(ctx context.Context) *txFacts {
	f, _ := ctx.Value(txFactsKey{}).(*txFacts)
	return f
}

// fresh re-reads in the transaction the facts Can's decision rests on:
// v's role (a deleted user becomes a guest), the consultations v
// moderates and analyzes by name, v's current focus-group memberships and
// its participant's blocks (LoadViewer), it's consultation (its status; a
// consultation gone is errs.ErrNotFound) and, when the caller gave one, its
// stage at the write's time (the phases as stored now). A viewer loaded in
// this transaction is taken as is. What is read again is kept for the
// transaction's other checks (a notification's fan-out checks every
// recipient against the same consultation), so a write checks its right
// before it changes a consultation, a phase or a role itself.
func (f *txFacts) fresh(ctx context.Context, v Viewer, it Item) (Viewer, Item, error) {
	if v.fresh != f && (v.User != nil || v.ParticipantID != 0) {
		uid := int64(0)
		if v.User != nil {
			uid = v.User.ID
		}
		key := [2]int64{uid, v.ParticipantID}
		if got, ok := f.viewers[key]; ok {
			v = got
		} else {
			var u *User
			if uid != 0 {
				var err error
				if u, err = UserByID(ctx, f.tx, uid); err != nil && !errors.Is(err, errs.ErrNotFound) {
					return v, it, err
				}
			}
			var nv Viewer
			var err error
			if u == nil {
				// A guest (or a user deleted since) has no roles,
				// memberships or agencies: only its blocks are read.
				nv, err = f.guest(ctx, v.ParticipantID)
			} else {
				nv, err = LoadViewer(ctx, f.tx, u, v.ParticipantID)
			}
			if err != nil {
				return v, it, err
			}
			f.viewers[key] = nv
			v = nv
		}
		if v.retired {
			return v, it, errSignedInMeanwhile
		}
	}
	if c := it.Consultation; c != nil && c.ID != 0 {
		cf, ok := f.cons[c.ID]
		// The stage is read only for a kind whose write rule consults a
		// feature (canWrite); the others decide on the status alone.
		needStage := it.Stage != nil && policies[it.Kind].Feature != ""
		if !ok && needStage {
			var err error
			if cf, err = f.consultationAndStage(ctx, c.ID); err != nil {
				return v, it, err
			}
		} else if !ok {
			cf.c = new(Consultation)
			err := f.tx.NewSelect().Model(cf.c).Where("id = ?", c.ID).Limit(1).Scan(ctx)
			if errors.Is(err, sql.ErrNoRows) {
				return v, it, errs.ErrNotFound
			}
			if err != nil {
				return v, it, fmt.Errorf("consultation %d: %w", c.ID, err)
			}
		}
		it.Consultation = cf.c
		if needStage {
			if cf.stage == nil {
				st, err := StageOf(ctx, f.tx, cf.c, f.now)
				if err != nil {
					return v, it, err
				}
				cf.stage = &st
			}
			it.Stage = cf.stage
		}
		f.cons[c.ID] = cf
	}
	return v, it, nil
}

// consultationAndStage reads consultation id and, when it is open, its
// phases in one query (a consultation row per phase, or one row without a
// phase), and works out its stage at the write's time (StageAt).
// errs.ErrNotFound when the consultation is gone.
func (f *txFacts) consultationAndStage(ctx context.Context, id int64) (consFacts, error) {
	var rows []struct {
		Consultation  `bun:",extend"`
		PhaseID       *int64     `bun:"p_id"`
		PhaseKind     *string    `bun:"p_kind"`
		PhaseFeatures *string    `bun:"p_features"`
		PhaseStarts   *time.Time `bun:"p_starts_at"`
		PhaseEnds     *time.Time `bun:"p_ends_at"`
	}
	err := f.tx.NewRaw(`SELECT c.*, p.id AS p_id, p.kind AS p_kind, p.features AS p_features,
		p.starts_at AS p_starts_at, p.ends_at AS p_ends_at
		FROM consultations c LEFT JOIN phases p ON p.consultation_id = c.id AND c.status = ?
		WHERE c.id = ? ORDER BY p.starts_at, p.id`, StatusOpen, id).Scan(ctx, &rows)
	if err != nil {
		return consFacts{}, fmt.Errorf("consultation %d and its phases: %w", id, err)
	}
	if len(rows) == 0 {
		return consFacts{}, errs.ErrNotFound
	}
	c := rows[0].Consultation
	var ps []Phase
	for _, r := range rows {
		if r.PhaseID != nil {
			ps = append(ps, Phase{ID: *r.PhaseID, ConsultationID: id, Kind: *r.PhaseKind, Features: *r.PhaseFeatures,
				StartsAt: *r.PhaseStarts, EndsAt: *r.PhaseEnds})
		}
	}
	st := StageAt(&c, ps, f.now)
	return consFacts{c: &c, stage: &st}, nil
}

// errSignedInMeanwhile refuses a write by a guest that was merged into an
// account after the write's viewer was loaded: the request was sent as the
// guest just before the person signed in (MergeParticipant).
var errSignedInMeanwhile = errs.E(errs.Conflict, "error.signed_in_meanwhile", nil)

// guest is the viewer of a guest (or a deleted user) acting as participant
// pid, read again in the transaction: its blocks, and whether it has been
// merged into an account (retired). On PostgreSQL the participant's row is
// held in share mode until the write commits (retiredGuests), so that a
// merge waits for the write or the write sees the merge.
func (f *txFacts) guest(ctx context.Context, pid int64) (Viewer, error) {
	v := Viewer{ParticipantID: pid, loaded: true, fresh: f}
	retired, err := retiredGuests(ctx, f.tx, []int64{pid})
	if err != nil {
		return Viewer{}, err
	}
	v.retired = retired[pid]
	if err := f.tx.NewRaw("SELECT consultation_id FROM blocks WHERE participant_id = ? ORDER BY consultation_id", pid).Scan(ctx, &v.blocks); err != nil {
		return Viewer{}, fmt.Errorf("blocks of participant %d: %w", pid, err)
	}
	return v, nil
}

// retiredGuests reads which of participants pids have been merged into an
// account, holding their rows in share mode on PostgreSQL until tx ends
// (MergeParticipant takes the row for update first). pids are sorted, so
// two transactions holding the same rows take them in one order.
func retiredGuests(ctx context.Context, tx bun.IDB, pids []int64) (map[int64]bool, error) {
	q := "SELECT id, merged_into IS NOT NULL AS retired FROM participants WHERE id IN (?) ORDER BY id"
	if storage.Postgres(tx) {
		q += " FOR SHARE"
	}
	var rows []struct {
		ID      int64 `bun:"id"`
		Retired bool  `bun:"retired"`
	}
	if err := tx.NewRaw(q, bun.In(pids)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("retired guests: %w", err)
	}
	out := make(map[int64]bool, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Retired
	}
	return out, nil
}

// ReadViewersAgain reads again, inside the write transaction of ctx
// (InTx), the rights of every viewer in vs that the transaction has not
// read yet, in three queries whatever their number (users, their
// consultation roles, memberships and agencies, and their participants'
// blocks), and keeps them for the transaction's Can checks, which then
// read nothing more for them. It is for writes committed together (the
// live upvotes' group commit): each write is still checked by Can, against
// what this transaction read. The viewers are read as Can would read them
// one by one (a deleted user becomes a guest). Outside a write transaction
// it does nothing.
func ReadViewersAgain(ctx context.Context, vs []Viewer) error {
	f := factsOf(ctx)
	if f == nil {
		return nil
	}
	want := map[[2]int64]bool{}
	var uids, pids []int64
	for _, v := range vs {
		if v.fresh == f || (v.User == nil && v.ParticipantID == 0) {
			continue
		}
		key := [2]int64{0, v.ParticipantID}
		if v.User != nil {
			key[0] = v.User.ID
		}
		if _, ok := f.viewers[key]; ok || want[key] {
			continue
		}
		want[key] = true
		if key[0] != 0 {
			uids = append(uids, key[0])
		}
		if key[1] != 0 {
			pids = append(pids, key[1])
		}
	}
	if len(want) == 0 {
		return nil
	}
	users, err := LoadViewers(ctx, f.tx, slices.Compact(slices.Sorted(slices.Values(uids))))
	if err != nil {
		return err
	}
	blocks := map[int64][]int64{}
	if len(pids) > 0 {
		var rows []struct {
			P int64 `bun:"participant_id"`
			C int64 `bun:"consultation_id"`
		}
		if err := f.tx.NewRaw("SELECT participant_id, consultation_id FROM blocks WHERE participant_id IN (?)",
			bun.In(slices.Compact(slices.Sorted(slices.Values(pids))))).Scan(ctx, &rows); err != nil {
			return fmt.Errorf("blocks of %d participants: %w", len(pids), err)
		}
		for _, r := range rows {
			blocks[r.P] = append(blocks[r.P], r.C)
		}
	}
	var guests []int64
	for key := range want {
		if key[0] == 0 && key[1] != 0 {
			guests = append(guests, key[1])
		}
	}
	retired := map[int64]bool{}
	if len(guests) > 0 {
		if retired, err = retiredGuests(ctx, f.tx, slices.Sorted(slices.Values(guests))); err != nil {
			return err
		}
	}
	for key := range want {
		v, ok := users[key[0]]
		if !ok {
			v = Viewer{loaded: true, fresh: f}
		}
		v.ParticipantID = key[1]
		v.blocks = slices.Sorted(slices.Values(blocks[key[1]]))
		v.retired = key[0] == 0 && retired[key[1]]
		f.viewers[key] = v
	}
	return nil
}

// holdParticipant holds participant pid's row in share mode in write tx
// on PostgreSQL (SQLite has one writer), so that a block of pid, which
// takes the row for update (lockParticipant), and a write by pid run one
// after the other and the write's access check (Can, which reads the
// blocks again inside tx) sees the block or finishes before it.
func holdParticipant(ctx context.Context, tx bun.Tx, pid int64) error {
	if pid == 0 || !storage.Postgres(tx) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT id FROM participants WHERE id = ? FOR SHARE", pid); err != nil {
		return fmt.Errorf("hold participant %d: %w", pid, err)
	}
	return nil
}
