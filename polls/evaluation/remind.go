package evaluation

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/grapheme"
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

// SubjectRecommendation is the notification subject kind of a
// recommendation (forum.NotifySubject): a reminder lists on the
// notifications page and counts in the header's bell like every other
// notification, and is mailed when mail is set up.
const SubjectRecommendation = "recommendation"

// Notification kinds of the reminders (kind prefixed "rec_").
const (
	NotifyDueSoon = "rec_" + RemindDueSoon
	NotifyOverdue = "rec_" + RemindOverdue
)

func init() { forum.RegisterSubject(SubjectRecommendation, describeRecommendations) }

// describeRecommendations describes recommendations ids for their
// notifications: the recommendation's text (cut to 120 characters) as the
// title, its page, and the access rule's item (ItemRecommendation: the
// cycle's rule, and the owning agency's officers).
func describeRecommendations(ctx context.Context, db bun.IDB, ids []int64) (map[int64]forum.Subject, error) {
	var rows []struct {
		ID        int64      `bun:"id"`
		CycleID   int64      `bun:"cycle_id"`
		Body      string     `bun:"body"`
		Agency    *int64     `bun:"owner_agency_id"`
		Published *time.Time `bun:"published_at"`
	}
	err := db.NewSelect().TableExpr("evaluation_recommendations AS r").Join("JOIN evaluation_cycles AS c ON c.id = r.cycle_id").
		ColumnExpr("r.id, r.cycle_id, r.body, r.owner_agency_id, c.published_at").Where("r.id IN (?)", bun.In(ids)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("recommendations %v: %w", ids, err)
	}
	out := make(map[int64]forum.Subject, len(rows))
	for _, r := range rows {
		it := (&Recommendation{OwnerAgencyID: r.Agency}).Item(r.Published != nil)
		out[r.ID] = forum.Subject{Title: grapheme.Truncate(r.Body, 120), URL: RecommendationURL(r.CycleID, r.ID), Item: it}
	}
	return out, nil
}

// RecommendationURL is the page of recommendation id: its text, owner,
// due date, status and progress, read by whoever may read it
// (ItemRecommendation).
func RecommendationURL(cycleID, id int64) string {
	return "/evaluasi/" + strconv.FormatInt(cycleID, 10) + "/rekomendasi/" + strconv.FormatInt(id, 10)
}

// Reminder is the ledger of reminders sent to owners of a recommendation:
// users who are officers of its owning agency. Each recommendation, due
// date and kind reminds each user once (a new due date reminds again).
// The reminder itself is a notification (SubjectRecommendation).
type Reminder struct {
	bun.BaseModel `bun:"table:evaluation_reminders"`

	ID               int64     `bun:"id,pk,autoincrement"`
	RecommendationID int64     `bun:"recommendation_id,notnull"`
	UserID           int64     `bun:"user_id,notnull"`
	Kind             string    `bun:"kind,notnull"`
	Due              string    `bun:"due,notnull"`
	CreatedAt        time.Time `bun:"created_at,notnull"`
}

// Remind is the periodic reminder job (run it every few minutes through
// storage.RunOnce, so one node of the cluster does it): every planned or
// in-progress recommendation with an owning agency whose due date (in
// loc) is at most RemindDays away notifies the agency's officers once
// (NotifyDueSoon), and once more when it is overdue (NotifyOverdue),
// through forum.NotifySubject: whether a recipient may read the
// recommendation is asked of forum.Can at the moment the notification is
// made, with their rights read then; a recipient who may not gets none.
// It returns the notifications made, for the caller to mail; running it
// again at once makes none.
func (s *Store) Remind(ctx context.Context, loc *time.Location) ([]forum.Delivery, error) {
	now := s.now()
	today := now.In(loc).Format(time.DateOnly)
	soon := now.In(loc).AddDate(0, 0, RemindDays).Format(time.DateOnly)
	var recs []Recommendation
	if err := s.db.NewSelect().Model(&recs).Where("status IN (?, ?) AND owner_agency_id IS NOT NULL AND due <= ?",
		RecPlanned, RecInProgress, soon).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("recommendations due: %w", err)
	}
	var made []forum.Delivery
	for _, r := range recs {
		kind := RemindDueSoon
		if r.Due < today {
			kind = RemindOverdue
		}
		err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			var users []int64
			if err := tx.NewSelect().Table("agency_officers").Column("user_id").Where("agency_id = ?", *r.OwnerAgencyID).
				Where("user_id NOT IN (SELECT user_id FROM evaluation_reminders WHERE recommendation_id = ? AND kind = ? AND due = ?)", r.ID, kind, r.Due).
				Order("user_id").Scan(ctx, &users); err != nil {
				return fmt.Errorf("owners of recommendation %d: %w", r.ID, err)
			}
			ds, err := forum.NotifySubject(ctx, tx, users, "rec_"+kind, SubjectRecommendation, r.ID, now)
			if err != nil {
				return fmt.Errorf("remind owners of recommendation %d: %w", r.ID, err)
			}
			for _, d := range ds {
				if _, err := tx.NewInsert().Model(&Reminder{RecommendationID: r.ID, UserID: d.UserID, Kind: kind, Due: r.Due, CreatedAt: now}).Exec(ctx); err != nil {
					return fmt.Errorf("remind user %d of recommendation %d: %w", d.UserID, r.ID, err)
				}
			}
			made = append(made, ds...)
			return nil
		})
		if err != nil {
			return made, err
		}
	}
	return made, nil
}
