package meeting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// MeetingFor returns meeting id of consultation c when v may read it
// (forum.Can); errs.ErrNotFound otherwise.
func MeetingFor(ctx context.Context, db bun.IDB, v forum.Viewer, c *forum.Consultation, id int64) (*Meeting, error) {
	m := new(Meeting)
	err := db.NewSelect().Model(m).Where("id = ? AND consultation_id = ?", id, c.ID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("meeting %d: %w", id, err)
	}
	if err := forum.Can(ctx, v, forum.ActRead, m.Item(c)); err != nil {
		return nil, err
	}
	return m, nil
}

// Meetings returns the meetings of c that v reads, by start time.
func Meetings(ctx context.Context, db bun.IDB, v forum.Viewer, c *forum.Consultation) ([]Meeting, error) {
	var all []Meeting
	if err := db.NewSelect().Model(&all).Where("consultation_id = ?", c.ID).OrderExpr("starts_at, id").Limit(1000).Scan(ctx); err != nil {
		return nil, fmt.Errorf("meetings of %d: %w", c.ID, err)
	}
	out := all[:0]
	for _, m := range all {
		if forum.Can(ctx, v, forum.ActRead, m.Item(c)) == nil {
			out = append(out, m)
		}
	}
	return out, nil
}

// RegistrationOf returns participant p's registration for m, nil when
// there is none.
func RegistrationOf(ctx context.Context, db bun.IDB, m *Meeting, p int64) (*Registration, error) {
	if p == 0 {
		return nil, nil
	}
	r := new(Registration)
	err := db.NewSelect().Model(r).Where("meeting_id = ? AND participant_id = ?", m.ID, p).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("meeting %d registration: %w", m.ID, err)
	}
	return r, nil
}

// Registrations returns m's registrations in the order they came, with the
// participants' names, for its organizers (forum.Can ActModerate).
func Registrations(ctx context.Context, db bun.IDB, v forum.Viewer, c *forum.Consultation, m *Meeting) ([]Registration, error) {
	if err := forum.Can(ctx, v, forum.ActModerate, m.Item(c)); err != nil {
		return nil, err
	}
	var rs []Registration
	if err := db.NewSelect().Model(&rs).Where("meeting_id = ?", m.ID).OrderExpr("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("meeting %d registrations: %w", m.ID, err)
	}
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.ParticipantID
	}
	names, err := forum.Authors(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	for i, r := range rs {
		a := names[r.ParticipantID]
		rs[i].Name, rs[i].ShortID = a.Name, a.ShortID()
	}
	return rs, nil
}
