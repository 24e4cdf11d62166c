package complaint

import (
	"context"
	"fmt"
	"strconv"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/complaint/routing"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/search/indonesian"
)

// autoRouteSetting names the settings row holding the auto-route threshold.
const autoRouteSetting = "complaint_auto_route_threshold"

// trainRouter builds the routing model from every routed complaint with
// text (including imported ones).
func (s *Store) trainRouter(ctx context.Context) error {
	m := routing.New(indonesian.NewAnalyzer(0))
	var rows []struct {
		Body   string `bun:"body"`
		Agency string `bun:"agency"`
		Topic  string `bun:"topic"`
	}
	err := s.db.NewRaw(`SELECT c.body, ag.name AS agency, COALESCE(tp.name, '') AS topic
		FROM complaints c JOIN complaint_routes r ON r.complaint_id = c.id
		JOIN complaint_agencies ag ON ag.id = r.agency_id
		LEFT JOIN complaint_topics tp ON tp.id = c.topic_id
		WHERE c.body <> '' AND c.status NOT IN (?, ?) ORDER BY c.id`, StatusRejected, StatusMerged).Scan(ctx, &rows)
	if err != nil {
		return fmt.Errorf("routing history: %w", err)
	}
	for _, r := range rows {
		m.Learn(r.Body, r.Agency, r.Topic)
	}
	s.router = m
	return nil
}

// learn feeds a freshly routed complaint to the routing model.
func (s *Store) learn(ctx context.Context, c *Complaint) {
	if c == nil || c.Body == "" {
		return
	}
	p := &Presented{}
	if err := s.names(ctx, c, p); err != nil {
		return // the model misses one example; routing itself committed
	}
	for _, ag := range p.Agencies {
		s.router.Learn(c.Body, ag, p.Topic)
	}
}

// Suggest returns up to 3 agencies (with a topic and a confidence) for a
// complaint text, learned from this pemda's routed complaints; none before
// any complaint with text was routed.
func (s *Store) Suggest(text string) []routing.Suggestion {
	return s.router.Suggest(text, 3)
}

// AutoRouteThreshold returns the confidence (0–1) above which new
// complaints are routed to the top suggestion without triage; 0 (the
// default) means never.
func (s *Store) AutoRouteThreshold(ctx context.Context) (float64, error) {
	var v string
	err := s.db.NewSelect().Table("settings").Column("value").Where("name = ?", autoRouteSetting).Scan(ctx, &v)
	if err != nil {
		return 0, nil // unset
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, nil
	}
	return f, nil
}

// SetAutoRouteThreshold sets it with its audit row in one transaction;
// admins only (errs.Forbidden), errs.Invalid outside [0, 1].
func (s *Store) SetAutoRouteThreshold(ctx context.Context, a Actor, t float64) error {
	if t < 0 || t > 1 {
		return errs.E(errs.Invalid, "complaint.error.threshold", nil)
	}
	v := strconv.FormatFloat(t, 'f', -1, 64)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := administer(ctx, tx, a, s.now()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value", autoRouteSetting, v)
		if err != nil {
			return fmt.Errorf("auto-route threshold: %w", err)
		}
		return auditDirectory(ctx, tx, a, "complaint.auto_route_threshold", 0, v, s.now())
	})
}

// autoRoute routes a new complaint to its top suggestion when the admin
// set a threshold and the suggestion's confidence reaches it.
func (s *Store) autoRoute(ctx context.Context, c *Complaint) {
	t, _ := s.AutoRouteThreshold(ctx)
	if t <= 0 || c.Body == "" {
		return
	}
	sg := s.Suggest(c.Body)
	if len(sg) == 0 || sg[0].Score < t {
		return
	}
	var id int64
	if err := s.db.NewSelect().Table("complaint_agencies").Column("id").Where("name = ?", sg[0].Agency).Scan(ctx, &id); err != nil {
		return
	}
	if routed, err := s.Route(ctx, SystemActor, c.ID, []int64{id}, fmt.Sprintf("auto %.2f", sg[0].Score)); err == nil {
		*c = *routed
	}
}
