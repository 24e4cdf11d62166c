package complaint

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/rembug/rembug/forum/errs"
)

// Group-by dimensions of Stats.
const (
	ByAgency    = "agency"
	ByTopic     = "topic"
	ByKecamatan = "kecamatan"
)

// Hours summarizes first-response times in hours.
type Hours struct {
	Median float64 `json:"median"`
	P90    float64 `json:"p90"`
}

// Group is one row of Stats: complaints received in the period with Key
// (an agency, topic or kecamatan name; "" for none), how many have a first
// response, the first-response time over those, the share of those whose
// first response met the response target in working days, and the mean
// citizen rating (1–4) over rated ones (0 when none). Excluded counts the
// answered complaints left out of FirstResponseHours and SLAMetShare
// because they were answered before they were received (see
// AnsweredBeforeReceived); they still count in Received and Answered.
type Group struct {
	Key                string  `json:"key"`
	Received           int     `json:"received"`
	Assisted           int     `json:"assisted"` // of Received, recorded by an officer for a citizen at the desk (dibantu petugas)
	Answered           int     `json:"answered"`
	Excluded           int     `json:"excluded"`
	FirstResponseHours Hours   `json:"first_response_hours"`
	SLAMetShare        float64 `json:"sla_met_share"`
	Rated              int     `json:"rated"`
	MeanRating         float64 `json:"mean_rating"`
}

// AnsweredBeforeReceived reports whether a complaint's first response or
// official answer is recorded before its receipt. Such a record is a fault
// of its source (the Surabaya Media Center file has two: ids 162295 and
// 165359); the complaint is kept, but every response-time figure (first
// response and resolution hours, the share within the target) leaves it
// out and shows how many it left out. This is the one place that rule is
// decided.
func AnsweredBeforeReceived(received time.Time, first, answered *time.Time) bool {
	return first != nil && first.Before(received) || answered != nil && answered.Before(received)
}

// Stats groups the complaints received in [from, to) (local dates, the
// store's time zone; zero values leave that end open) by "agency", "topic"
// or "kecamatan", largest group first. A complaint routed to several
// agencies counts in each. Merged and rejected complaints are left out.
// Percentiles interpolate linearly between order statistics (Hyndman and
// Fan type 7, the median of an even count is the mean of the middle two).
// KindInvalid for another by.
func (s *Store) Stats(ctx context.Context, from, to time.Time, by string) ([]Group, error) {
	rows, err := s.statRows(ctx, MapFilter{From: from, To: to}, by, false)
	if err != nil {
		return nil, err
	}
	return s.aggregate(rows), nil
}

// PooledKey is the key of PublicStats' pooled group: the groups with fewer
// than MinPublicCell complaints together.
const PooledKey = "*"

// MinPublicCell is the smallest group the public statistics show on its
// own; smaller ones are pooled, so that a published figure never narrows
// down to a few people's complaints.
const MinPublicCell = 5

// PublicStats is Stats over the public, non-confidential complaints only
// (the published statistics page, the public list's counts) that match f
// (MapFilter{}: all of them, all time), with every group under
// MinPublicCell complaints pooled into PooledKey, and the pool left out
// when it is itself under MinPublicCell. errs.ErrNotFound unless the pemda
// publishes complaints (Config.PublicList); errs.Invalid for an unknown
// status.
func (s *Store) PublicStats(ctx context.Context, by string, f MapFilter) ([]Group, error) {
	if !s.cfg.PublicList {
		return nil, errs.ErrNotFound
	}
	rows, err := s.statRows(ctx, f, by, true)
	if err != nil {
		return nil, err
	}
	n := map[string]int{}
	for _, r := range rows {
		n[r.Key]++
	}
	kept := rows[:0]
	pooled := 0
	for _, r := range rows {
		if n[r.Key] < MinPublicCell {
			r.Key = PooledKey
			pooled++
		}
		kept = append(kept, r)
	}
	if pooled > 0 && pooled < MinPublicCell {
		kept = slices.DeleteFunc(kept, func(r statRow) bool { return r.Key == PooledKey })
	}
	return s.aggregate(kept), nil
}

// statRow is one complaint (once per agency for ByAgency) in a group.
type statRow struct {
	Key          string     `bun:"grp"`
	ReceivedAt   time.Time  `bun:"received_at"`
	FirstAt      *time.Time `bun:"first_response_at"`
	AnsweredAt   *time.Time `bun:"answered_at"`
	Complex      bool       `bun:"complex"`
	Rating       int        `bun:"rating"`
	ResponseDays int        `bun:"response_days"`
	Assisted     bool       `bun:"assisted"`
}

// statRows reads the rows of Stats over the complaints matching f;
// publicOnly keeps the public, non-confidential complaints.
func (s *Store) statRows(ctx context.Context, f MapFilter, by string, publicOnly bool) ([]statRow, error) {
	var keyExpr, join string
	switch by {
	case ByAgency:
		keyExpr, join = "ag.name", "JOIN complaint_routes r ON r.complaint_id = c.id JOIN complaint_agencies ag ON ag.id = r.agency_id"
	case ByTopic:
		keyExpr, join = "COALESCE(tp.name, '')", ""
	case ByKecamatan:
		keyExpr, join = "COALESCE(ar.kecamatan, '')", ""
	default:
		return nil, errs.E(errs.Invalid, "complaint.error.group_by", nil)
	}
	cond, fargs, err := s.narrowSQL("c.", f)
	if err != nil {
		return nil, err
	}
	q := `SELECT ` + keyExpr + ` AS grp, c.received_at, c.first_response_at, c.answered_at, c.complex, c.rating,
		COALESCE(tp.response_days, 0) AS response_days, c.assisted_at IS NOT NULL AS assisted
		FROM complaints c ` + join + `
		LEFT JOIN complaint_topics tp ON tp.id = c.topic_id
		LEFT JOIN complaint_areas ar ON ar.id = c.area_id
		WHERE c.status NOT IN (?, ?) AND ` + cond
	args := append([]any{StatusMerged, StatusRejected}, fargs...)
	if publicOnly {
		q += " AND " + publicWhere("c.")
	}
	var rows []statRow
	if err := s.db.NewRaw(q, args...).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("complaint stats by %s: %w", by, err)
	}
	return rows, nil
}

// aggregate sums rows into groups, largest first.
func (s *Store) aggregate(rows []statRow) []Group {
	cal := s.Calendar()
	type acc struct {
		g      Group
		hours  []float64
		met    int
		rating int
	}
	groups := map[string]*acc{}
	for _, r := range rows {
		a := groups[r.Key]
		if a == nil {
			a = &acc{g: Group{Key: r.Key}}
			groups[r.Key] = a
		}
		a.g.Received++
		if r.Assisted {
			a.g.Assisted++
		}
		if r.Rating > 0 {
			a.g.Rated++
			a.rating += r.Rating
		}
		if r.FirstAt == nil {
			continue
		}
		a.g.Answered++
		if AnsweredBeforeReceived(r.ReceivedAt, r.FirstAt, r.AnsweredAt) {
			a.g.Excluded++
			continue
		}
		a.hours = append(a.hours, r.FirstAt.Sub(r.ReceivedAt).Hours())
		if !r.FirstAt.After(cal.Deadline(r.ReceivedAt, or(r.ResponseDays, DefaultResponseDays))) {
			a.met++
		}
	}
	out := make([]Group, 0, len(groups))
	for _, a := range groups {
		if len(a.hours) > 0 {
			slices.Sort(a.hours)
			a.g.FirstResponseHours = Hours{Median: round2(Percentile(a.hours, 0.5)), P90: round2(Percentile(a.hours, 0.9))}
			a.g.SLAMetShare = round4(float64(a.met) / float64(len(a.hours)))
		}
		if a.g.Rated > 0 {
			a.g.MeanRating = round2(float64(a.rating) / float64(a.g.Rated))
		}
		out = append(out, a.g)
	}
	slices.SortFunc(out, func(a, b Group) int {
		if a.Received != b.Received {
			return b.Received - a.Received
		}
		if a.Key < b.Key {
			return -1
		}
		return 1
	})
	return out
}

// localMidnight returns midnight starting d's calendar date in the store's
// zone (d's own zone is ignored: only its date counts).
func (s *Store) localMidnight(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, s.cfg.Location).UTC()
}

// Percentile returns the q-quantile (0–1) of sorted xs by linear
// interpolation (Hyndman–Fan type 7); NaN for no values.
func Percentile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := q * float64(n-1)
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
func round4(x float64) float64 { return math.Round(x*10000) / 10000 }
