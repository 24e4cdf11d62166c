package evaluation

import (
	"encoding/json"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls/indicators"
	"github.com/uptrace/bun"
)

// Cycle states: open while data is collected, closed once the snapshot is
// taken.
const (
	StatusOpen   = "open"
	StatusClosed = "closed"
)

// Cycle is one evaluation period. From and To bound it, [From, To), as
// instants (midnights in the installation's zone); Plan is the schedule
// and instruments in markdown (forum/markup); Targets is the target per
// Metric key (JSON object of numbers, in the Metric's unit); Snapshot is
// the JSON of the indicators.Report computed when the cycle closed, empty
// while open; PublishedAt is set while its report is public.
type Cycle struct {
	bun.BaseModel `bun:"table:evaluation_cycles"`

	ID          int64      `bun:"id,pk,autoincrement"`
	Name        string     `bun:"name,notnull"`
	From        time.Time  `bun:"from_at,notnull"`
	To          time.Time  `bun:"to_at,notnull"`
	Plan        string     `bun:"plan,notnull"`
	TargetsJSON string     `bun:"targets,notnull"`
	Status      string     `bun:"status,notnull"`
	Snapshot    *string    `bun:"snapshot"`
	ClosedAt    *time.Time `bun:"closed_at"`
	PublishedAt *time.Time `bun:"published_at"`
	CreatedBy   int64      `bun:"created_by,notnull"`
	CreatedAt   time.Time  `bun:"created_at,notnull"`
}

// Published reports whether c's report is public.
func (c *Cycle) Published() bool { return c.PublishedAt != nil }

// Targets returns the targets of c's plan by Metric key.
func (c *Cycle) Targets() map[string]float64 {
	out := map[string]float64{}
	json.Unmarshal([]byte(c.TargetsJSON), &out) //nolint:errcheck // written by Open from a map
	return out
}

// Report returns c's snapshot, nil while the cycle is open.
func (c *Cycle) Report() (*indicators.Report, error) {
	if c.Snapshot == nil {
		return nil, nil
	}
	var r indicators.Report
	if err := json.Unmarshal([]byte(*c.Snapshot), &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Finding is an observation of the analysis (temuan), about one indicator
// (Section, a key of indicators.Sections) or the service as a whole ("").
type Finding struct {
	bun.BaseModel `bun:"table:evaluation_findings"`

	ID        int64     `bun:"id,pk,autoincrement"`
	CycleID   int64     `bun:"cycle_id,notnull"`
	Section   string    `bun:"section,notnull"`
	Body      string    `bun:"body,notnull"`
	CreatedBy int64     `bun:"created_by,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// Recommendation states, as Decidim's accountability results have them.
const (
	RecPlanned    = "planned"
	RecInProgress = "in_progress"
	RecDone       = "done"
	RecDropped    = "dropped" // needs a reason
)

// RecStatuses lists the recommendation states in their usual order.
var RecStatuses = []string{RecPlanned, RecInProgress, RecDone, RecDropped}

// Recommendation is a follow-up action (rekomendasi) of a cycle: what is
// to be done, by whom (OwnerAgencyID, the agency record in
// complaint_agencies; Owner is its name as read, or the free text of a
// recommendation written before owners were linked), by when (Due,
// "YYYY-MM-DD" in the installation's zone), where it stands (Status; a
// dropped one has its Reason) and its progress Updates, oldest first.
type Recommendation struct {
	bun.BaseModel `bun:"table:evaluation_recommendations"`

	ID      int64  `bun:"id,pk,autoincrement"`
	CycleID int64  `bun:"cycle_id,notnull"`
	Body    string `bun:"body,notnull"`
	Owner   string `bun:"owner,notnull"`
	// OwnerAgencyID is the owning agency; nil for an old free-text owner.
	OwnerAgencyID *int64    `bun:"owner_agency_id"`
	Due           string    `bun:"due,notnull"`
	Status        string    `bun:"status,notnull"`
	Reason        string    `bun:"reason,notnull"`
	CreatedBy     int64     `bun:"created_by,notnull"`
	CreatedAt     time.Time `bun:"created_at,notnull"`
	UpdatedAt     time.Time `bun:"updated_at,notnull"`

	Updates []Update `bun:"-"`
}

// Item is r (of cycle published or not) as the access rule sees it:
// forum.ItemRecommendation, read by whoever reads the cycle and by the
// officers of its owning agency.
func (r *Recommendation) Item(published bool) forum.Item {
	it := forum.Item{Kind: forum.ItemRecommendation, Published: published}
	if r.OwnerAgencyID != nil {
		it.Agency = *r.OwnerAgencyID
	}
	return it
}

// Overdue reports whether r is still to be done after its due date, with
// today "YYYY-MM-DD" in the installation's zone.
func (r *Recommendation) Overdue(today string) bool {
	return (r.Status == RecPlanned || r.Status == RecInProgress) && r.Due < today
}

// Update is one progress note on a recommendation, with the status it set.
type Update struct {
	bun.BaseModel `bun:"table:evaluation_updates"`

	ID               int64     `bun:"id,pk,autoincrement"`
	RecommendationID int64     `bun:"recommendation_id,notnull"`
	Status           string    `bun:"status,notnull"`
	Note             string    `bun:"note,notnull"`
	CreatedBy        int64     `bun:"created_by,notnull"`
	CreatedAt        time.Time `bun:"created_at,notnull"`
}
