package complaint

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

// LaporExportColumns are the columns of the LAPOR! reconciliation export,
// in order: the tracking number, the SP4N-LAPOR! tracking id ("" when not
// yet linked), the status, the local times received, first answered and
// closed (YYYY-MM-DD HH:MM, the store's zone), the agencies (names joined
// by "; "), the topic, kecamatan, kelurahan and the text as the exporter
// may read it (masked for analysts).
var LaporExportColumns = []string{"number", "lapor_id", "status", "received_at", "answered_at", "closed_at",
	"agencies", "topic", "kecamatan", "kelurahan", "text"}

// LaporImportColumns are the columns of the LAPOR! id import: a rembug
// tracking number and the LAPOR! tracking id to link to it ("" unlinks).
var LaporImportColumns = []string{"number", "lapor_id"}

// ExportLapor writes every complaint a may export (the complaint desk and
// analysts: forum.Can export of the complaint), oldest first, as
// LaporExportColumns through forum.CSVWriter. errs.Forbidden for anyone
// else. The LAPOR! API is not public: the pemda's LAPOR! liaison reconciles
// both systems with this file and ImportLapor.
func (s *Store) ExportLapor(ctx context.Context, a Actor, w io.Writer) error {
	if !a.System && !a.Viewer.Analyst() {
		return errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	var ids []int64
	if err := s.db.NewSelect().Table("complaints").Column("id").Order("received_at", "id").Scan(ctx, &ids); err != nil {
		return fmt.Errorf("lapor export: %w", err)
	}
	cw := forum.NewCSVWriter(w)
	if err := cw.Write(LaporExportColumns...); err != nil {
		return err
	}
	local := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(s.cfg.Location).Format("2006-01-02 15:04")
	}
	for _, id := range ids {
		c, err := load(ctx, s.db, id)
		if err != nil {
			return err
		}
		if s.Can(ctx, a, forum.ActExport, forum.ItemComplaint, c) != nil {
			continue
		}
		p, err := s.Present(ctx, a, c, false)
		if err != nil {
			return err
		}
		if err := cw.Write(p.Number, c.LaporID, string(p.Status), local(&p.ReceivedAt), local(p.FirstResponseAt),
			local(p.ClosedAt), strings.Join(p.Agencies, "; "), p.Topic, p.Kecamatan, p.Kelurahan, p.Text); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// ImportLapor links complaints to their LAPOR! tracking ids from a CSV file
// with LaporImportColumns (header required, a UTF-8 byte order mark
// allowed), all rows or none: every bad row (unknown number, an id over 60
// characters, a number twice) is reported as a RowError (file:row), and
// nothing changes. Each changed complaint gets its timeline event and audit
// row in the one transaction. Complaint desk only (forum.Can moderate).
// It returns how many complaints changed.
func (s *Store) ImportLapor(ctx context.Context, a Actor, file string, r io.Reader) (int, error) {
	if !a.System && !a.Viewer.ModeratesAll() {
		return 0, errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return 0, RowErrors{{file, 1, "no header: " + err.Error()}}
	}
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\ufeff")
	}
	if len(head) != 2 || strings.TrimSpace(head[0]) != "number" || strings.TrimSpace(head[1]) != "lapor_id" {
		return 0, RowErrors{{file, 1, "header must be " + strings.Join(LaporImportColumns, ",")}}
	}
	type link struct {
		row          int
		number, id   string
		complaintID  int64
		previousLink string
	}
	var links []link
	var bad RowErrors
	seen := map[string]int{}
	for n := 2; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			bad = append(bad, RowError{file, n, err.Error()})
			continue
		}
		if len(rec) != 2 {
			bad = append(bad, RowError{file, n, fmt.Sprintf("want 2 columns, got %d", len(rec))})
			continue
		}
		l := link{row: n, number: strings.TrimSpace(rec[0]), id: strings.TrimSpace(rec[1])}
		switch {
		case len(l.id) > 60:
			bad = append(bad, RowError{file, n, "lapor_id longer than 60 characters"})
		case seen[l.number] != 0:
			bad = append(bad, RowError{file, n, fmt.Sprintf("number %s already on row %d", l.number, seen[l.number])})
		default:
			seen[l.number] = n
			links = append(links, l)
		}
	}
	for i, l := range links {
		var c Complaint
		err := s.db.NewSelect().Model(&c).Column("id", "lapor_id").Where("number = ?", l.number).Scan(ctx)
		if err != nil {
			bad = append(bad, RowError{file, l.row, fmt.Sprintf("unknown complaint number %q", l.number)})
			continue
		}
		links[i].complaintID, links[i].previousLink = c.ID, c.LaporID
	}
	if bad != nil {
		return 0, bad
	}
	changed := 0
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		now := s.now()
		changed = 0
		for _, l := range links {
			if l.id == l.previousLink {
				continue
			}
			c := &Complaint{ID: l.complaintID, Number: l.number}
			if _, err := tx.NewUpdate().Table("complaints").Set("lapor_id = ?, updated_at = ?", l.id, now).
				Where("id = ?", l.complaintID).Exec(ctx); err != nil {
				return fmt.Errorf("%s:%d: %w", file, l.row, err)
			}
			if err := event(ctx, tx, c, "lapor_id", a, 0, l.id, true, now); err != nil {
				return err
			}
			e := &forum.AuditEntry{ActorUserID: a.UserID(), Action: "complaint.lapor_id", TargetKind: "complaint",
				TargetID: l.complaintID, Reason: file, CreatedAt: now}
			if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
				return fmt.Errorf("audit lapor id: %w", err)
			}
			changed++
		}
		return nil
	})
	return changed, err
}
