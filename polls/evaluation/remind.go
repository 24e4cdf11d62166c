package evaluation

import (
	"context"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/uptrace/bun"
)

// RemindDays is how many days before its due date a recommendation's
// owners are reminded.
const RemindDays = 7

// Reminder kinds: due within RemindDays, or past its due date.
const (
	RemindDueSoon = "due_soon"
	RemindOverdue = "overdue"
)

// Reminder is one reminder sent to an owner of a recommendation: a user
// who is an officer of its owning agency. Each recommendation, due date
// and kind reminds each user once (a new due date reminds again).
type Reminder struct {
	bun.BaseModel `bun:"table:evaluation_reminders"`

	ID               int64      `bun:"id,pk,autoincrement"`
	RecommendationID int64      `bun:"recommendation_id,notnull"`
	UserID           int64      `bun:"user_id,notnull"`
	Kind             string     `bun:"kind,notnull"`
	Due              string     `bun:"due,notnull"`
	CreatedAt        time.Time  `bun:"created_at,notnull"`
	ReadAt           *time.Time `bun:"read_at"`
}

// Remind is the periodic reminder job (run it every few minutes through
// storage.RunOnce, so one node of the cluster does it): every planned or
// in-progress recommendation with an owning agency whose due date (in
// loc) is at most RemindDays away reminds the agency's officers once
// (RemindDueSoon), and once more when it is overdue (RemindOverdue).
// Whether a recipient may read the cycle is asked of forum.Can at the
// moment the reminder is made, with their rights read then; a recipient
// who may not gets none. It returns how many reminders it made; running
// it again at once makes none.
func (s *Store) Remind(ctx context.Context, loc *time.Location) (int, error) {
	now := s.now()
	today := now.In(loc).Format(time.DateOnly)
	soon := now.In(loc).AddDate(0, 0, RemindDays).Format(time.DateOnly)
	var recs []Recommendation
	if err := s.db.NewSelect().Model(&recs).Where("status IN (?, ?) AND owner_agency_id IS NOT NULL AND due <= ?",
		RecPlanned, RecInProgress, soon).Order("id").Scan(ctx); err != nil {
		return 0, fmt.Errorf("recommendations due: %w", err)
	}
	made := 0
	for _, r := range recs {
		kind := RemindDueSoon
		if r.Due < today {
			kind = RemindOverdue
		}
		err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			c, err := Get(ctx, tx, r.CycleID)
			if err != nil {
				return err
			}
			var users []int64
			if err := tx.NewSelect().Table("agency_officers").Column("user_id").Where("agency_id = ?", *r.OwnerAgencyID).
				Where("user_id NOT IN (SELECT user_id FROM evaluation_reminders WHERE recommendation_id = ? AND kind = ? AND due = ?)", r.ID, kind, r.Due).
				Order("user_id").Scan(ctx, &users); err != nil {
				return fmt.Errorf("owners of recommendation %d: %w", r.ID, err)
			}
			viewers, err := forum.LoadViewers(ctx, tx, users)
			if err != nil {
				return fmt.Errorf("owners of recommendation %d: %w", r.ID, err)
			}
			for _, u := range users {
				v, ok := viewers[u]
				if !ok || forum.Can(ctx, v, forum.ActRead, forum.Item{Kind: forum.ItemEvaluation, Published: c.Published()}) != nil {
					continue
				}
				if _, err := tx.NewInsert().Model(&Reminder{RecommendationID: r.ID, UserID: u, Kind: kind, Due: r.Due, CreatedAt: now}).Exec(ctx); err != nil {
					return fmt.Errorf("remind user %d of recommendation %d: %w", u, r.ID, err)
				}
				made++
			}
			return nil
		})
		if err != nil {
			return made, err
		}
	}
	return made, nil
}
