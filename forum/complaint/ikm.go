package complaint

import (
	"context"
	"fmt"
	"time"
)

// RatingsOf returns the citizens' ratings (1–4, the IKM answer scale) of
// complaints routed to the agency named agency (compared without regard to
// case or surrounding spaces) and closed in [from, to), oldest first. They
// are the answers the IKM element "penanganan pengaduan, saran dan masukan"
// (U8 of PermenPANRB 14/2017) takes from complaints: an IKM unit with the
// agency's name counts them with its survey answers to U8. A complaint
// routed to several agencies counts for each; unrated ones not at all.
func (s *Store) RatingsOf(ctx context.Context, agency string, from, to time.Time) ([]int, error) {
	var out []int
	err := s.db.NewSelect().TableExpr("complaints AS c").ColumnExpr("c.rating").
		Join("JOIN complaint_routes AS r ON r.complaint_id = c.id").
		Join("JOIN complaint_agencies AS a ON a.id = r.agency_id").
		Where("LOWER(TRIM(a.name)) = LOWER(TRIM(?))", agency).
		Where("c.rating BETWEEN 1 AND 4 AND c.closed_at >= ? AND c.closed_at < ?", from.UTC(), to.UTC()).
		OrderExpr("c.closed_at, c.id").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("ratings of agency %q: %w", agency, err)
	}
	return out, nil
}
