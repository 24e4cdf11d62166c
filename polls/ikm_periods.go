package polls

import (
	"context"
	"fmt"
	"time"

	"github.com/rembug/rembug/polls/ikm"
	"github.com/uptrace/bun"
)

// IKMPeriodCount is one reporting period of a unit with the number of its
// responses (0: no data, which a report must say rather than show an IKM).
type IKMPeriodCount struct {
	Period      ikm.Period
	Respondents int
}

// IKMReportPeriods lists the reporting periods of unit that its pages link:
// the n semesters (the PermenPANRB 14/2017 cycle) ending with the one that
// holds now, newest first, then the years they touch, newest first, each
// with its number of responses. Periods are in Asia/Jakarta time.
func IKMReportPeriods(ctx context.Context, db bun.IDB, unit int64, now time.Time, n int) ([]IKMPeriodCount, error) {
	local := now.In(ikm.Jakarta())
	sem := 1
	if local.Month() > time.June {
		sem = 2
	}
	cur, err := ikm.ParsePeriod(fmt.Sprintf("%04d-S%d", local.Year(), sem))
	if err != nil {
		return nil, err
	}
	sems := PreviousPeriods(cur, n)
	var ps []ikm.Period
	for i := len(sems) - 1; i >= 0; i-- {
		ps = append(ps, sems[i])
	}
	for y := local.Year(); y >= sems[0].Year; y-- {
		p, err := ikm.ParsePeriod(fmt.Sprintf("%04d", y))
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	out := make([]IKMPeriodCount, len(ps))
	for i, p := range ps {
		c, err := db.NewSelect().Model((*ikmRow)(nil)).
			Where("unit_id = ? AND starts_at >= ? AND ends_at <= ?", unit, p.Start.UTC(), p.End.UTC()).Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("ikm responses of unit %d in %s: %w", unit, p, err)
		}
		out[i] = IKMPeriodCount{Period: p, Respondents: int(c)}
	}
	return out, nil
}
