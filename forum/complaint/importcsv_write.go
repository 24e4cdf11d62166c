package complaint

import (
	"context"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/uptrace/bun"
)

const importChunk = 500

// importRows writes rows in tx: directory entries first, then the new
// complaints in chunks with their routes, timeline, outbox rows and one
// audit row for the whole import.
func (s *Store) importRows(ctx context.Context, tx bun.Tx, a Actor, file string, rows []importRow, rep *ImportReport) error {
	now := s.now()
	var existing []string
	if err := tx.NewSelect().Table("complaints").Column("idem_key").
		Where("channel = ? AND idem_key IS NOT NULL", ChannelImport).Scan(ctx, &existing); err != nil {
		return fmt.Errorf("imported ids: %w", err)
	}
	done := make(map[string]bool, len(existing))
	for _, k := range existing {
		done[k] = true
	}
	agencies, topics, areas := map[string]int64{}, map[string]int64{}, map[[2]string]int64{}
	count := func(table string) (int, error) {
		n, err := tx.NewSelect().Table(table).Count(ctx)
		return int(n), err
	}
	before := [3]int{}
	for i, t := range []string{"complaint_agencies", "complaint_topics", "complaint_areas"} {
		n, err := count(t)
		if err != nil {
			return err
		}
		before[i] = n
	}
	var fresh []importRow
	for _, r := range rows {
		if done[r.id] {
			rep.Skipped++
			continue
		}
		fresh = append(fresh, r)
		var err error
		if _, ok := agencies[r.agency]; !ok {
			if agencies[r.agency], err = ensureAgency(ctx, tx, r.agency, now); err != nil {
				return err
			}
		}
		if _, ok := topics[r.topic]; !ok && r.topic != "" {
			if topics[r.topic], err = ensureTopic(ctx, tx, r.topic, now); err != nil {
				return err
			}
		}
		if k := [2]string{r.kec, r.kel}; areas[k] == 0 {
			if areas[k], err = ensureArea(ctx, tx, r.kec, r.kel); err != nil {
				return err
			}
		}
	}
	for i, t := range []string{"complaint_agencies", "complaint_topics", "complaint_areas"} {
		n, err := count(t)
		if err != nil {
			return err
		}
		*[]*int{&rep.Agencies, &rep.Topics, &rep.Areas}[i] = n - before[i]
	}
	for start := 0; start < len(fresh); start += importChunk {
		chunk := fresh[start:min(start+importChunk, len(fresh))]
		if err := s.importChunk(ctx, tx, chunk, agencies, topics, areas, now, rep); err != nil {
			return err
		}
	}
	e := &forum.AuditEntry{ActorUserID: a.UserID(), Action: "complaint.import", TargetKind: "complaint_import",
		Reason: fmt.Sprintf("%s: %d rows, %d imported, %d already present", file, rep.Rows, rep.Imported, rep.Skipped), CreatedAt: now}
	if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("audit import: %w", err)
	}
	return nil
}

func (s *Store) importChunk(ctx context.Context, tx bun.Tx, rows []importRow, agencies, topics map[string]int64,
	areas map[[2]string]int64, now time.Time, rep *ImportReport) error {
	cs := make([]*Complaint, len(rows))
	for i, r := range rows {
		key := r.id
		c := &Complaint{Status: StatusRouted, Channel: ChannelImport, IdemKey: &key, Body: r.text,
			ResponseBucket: r.bucket, ReceivedAt: r.received, RoutedAt: &r.received, UpdatedAt: now}
		if id, ok := topics[r.topic]; ok {
			c.TopicID = &id
		}
		area := areas[[2]string{r.kec, r.kel}]
		c.AreaID = &area
		if r.answered != nil {
			c.Status = StatusClosed
			c.FirstResponse, c.AnsweredAt, c.ClosedAt = r.answered, r.answered, r.answered
			rep.Answered++
		} else {
			rep.WithoutAnswers++
		}
		n, err := s.allocate(ctx, tx, r.received.In(s.cfg.Location).Year())
		if err != nil {
			return err
		}
		c.Number = n
		cs[i] = c
	}
	if _, err := tx.NewInsert().Model(&cs).Exec(ctx); err != nil {
		return fmt.Errorf("insert imported complaints: %w", err)
	}
	var ids []struct {
		ID     int64  `bun:"id"`
		Number string `bun:"number"`
	}
	numbers := make([]string, len(cs))
	for i, c := range cs {
		numbers[i] = c.Number
	}
	if err := tx.NewSelect().Table("complaints").Column("id", "number").Where("number IN (?)", bun.In(numbers)).Scan(ctx, &ids); err != nil {
		return fmt.Errorf("imported ids: %w", err)
	}
	byNumber := make(map[string]int64, len(ids))
	for _, x := range ids {
		byNumber[x.Number] = x.ID
	}
	type route struct {
		bun.BaseModel `bun:"table:complaint_routes"`
		ComplaintID   int64     `bun:"complaint_id"`
		AgencyID      int64     `bun:"agency_id"`
		RoutedAt      time.Time `bun:"routed_at"`
	}
	routes := make([]route, len(cs))
	var events []Event
	for i, c := range cs {
		c.ID = byNumber[c.Number]
		ag := agencies[rows[i].agency]
		routes[i] = route{ComplaintID: c.ID, AgencyID: ag, RoutedAt: c.ReceivedAt}
		events = append(events, Event{ComplaintID: c.ID, Kind: "received", CreatedAt: c.ReceivedAt},
			Event{ComplaintID: c.ID, Kind: "routed", AgencyID: ag, Internal: true, CreatedAt: c.ReceivedAt})
		if c.AnsweredAt != nil {
			events = append(events, Event{ComplaintID: c.ID, Kind: "answer", AgencyID: ag, CreatedAt: *c.AnsweredAt})
		}
		rep.Imported++
	}
	for _, q := range []any{&routes, &events} {
		if _, err := tx.NewInsert().Model(q).Exec(ctx); err != nil {
			return fmt.Errorf("import rows: %w", err)
		}
	}
	return nil
}
