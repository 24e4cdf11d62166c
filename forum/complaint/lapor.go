package complaint

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
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
// may read it (masked for analysts), and "true" when an officer recorded
// it for a citizen at the desk (dibantu petugas), "false" otherwise.
var LaporExportColumns = []string{"number", "lapor_id", "status", "received_at", "answered_at", "closed_at",
	"agencies", "topic", "kecamatan", "kelurahan", "text", "assisted"}

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
			local(p.ClosedAt), strings.Join(p.Agencies, "; "), p.Topic, p.Kecamatan, p.Kelurahan, p.Text, strconv.FormatBool(p.Assisted)); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// LaporLink is one row of a LAPOR! id import: the complaint's number, its
// LAPOR! id now (From) and in the file (To); From == To changes nothing.
type LaporLink struct {
	Row         int
	Number      string
	From, To    string
	complaintID int64
}

// Changes reports whether the link changes the complaint.
func (l LaporLink) Changes() bool { return l.From != l.To }

// PlanLapor reads a LAPOR! id import (LaporImportColumns, header required,
// a UTF-8 byte order mark allowed) and returns what importing it would do,
// row by row, without changing anything: the preview of ImportLapor. Every
// bad row (unknown number, an id over 60 characters, a number twice, a
// malformed line) is reported as a RowError (file:row, with a translation
// key). Complaint desk only (errs.Forbidden otherwise).
func (s *Store) PlanLapor(ctx context.Context, a Actor, file string, r io.Reader) ([]LaporLink, error) {
	if !a.System && !a.Viewer.ModeratesAll() {
		return nil, errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, RowErrors{{File: file, Row: 1, Msg: "no header: " + err.Error(), Key: "complaint.row.no_header"}}
	}
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\ufeff")
	}
	if len(head) != 2 || strings.TrimSpace(head[0]) != "number" || strings.TrimSpace(head[1]) != "lapor_id" {
		cols := strings.Join(LaporImportColumns, ",")
		return nil, RowErrors{{File: file, Row: 1, Msg: "header must be " + cols, Key: "complaint.row.header", Data: map[string]any{"Columns": cols}}}
	}
	var links []LaporLink
	var bad RowErrors
	seen := map[string]int{}
	for n := 2; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			bad = append(bad, RowError{File: file, Row: n, Msg: err.Error(), Key: "complaint.row.malformed"})
			continue
		}
		if len(rec) != 2 {
			bad = append(bad, RowError{File: file, Row: n, Msg: fmt.Sprintf("want 2 columns, got %d", len(rec)),
				Key: "complaint.row.columns", Data: map[string]any{"Got": len(rec)}})
			continue
		}
		l := LaporLink{Row: n, Number: strings.TrimSpace(rec[0]), To: strings.TrimSpace(rec[1])}
		switch {
		case len(l.To) > 60:
			bad = append(bad, RowError{File: file, Row: n, Msg: "lapor_id longer than 60 characters", Key: "complaint.row.lapor_long"})
		case seen[l.Number] != 0:
			bad = append(bad, RowError{File: file, Row: n, Msg: fmt.Sprintf("number %s already on row %d", l.Number, seen[l.Number]),
				Key: "complaint.row.twice", Data: map[string]any{"Number": l.Number, "Row": seen[l.Number]}})
		default:
			seen[l.Number] = n
			links = append(links, l)
		}
	}
	for i, l := range links {
		var c Complaint
		err := s.db.NewSelect().Model(&c).Column("id", "lapor_id").Where("number = ?", l.Number).Scan(ctx)
		if err != nil {
			bad = append(bad, RowError{File: file, Row: l.Row, Msg: fmt.Sprintf("unknown complaint number %q", l.Number),
				Key: "complaint.row.unknown", Data: map[string]any{"Number": l.Number}})
			continue
		}
		links[i].complaintID, links[i].From = c.ID, c.LaporID
	}
	if bad != nil {
		slices.SortStableFunc(bad, func(x, y RowError) int { return x.Row - y.Row })
		return nil, bad
	}
	return links, nil
}

// ImportLapor links complaints to their LAPOR! tracking ids from a CSV file
// as PlanLapor reads it, all rows or none: with any bad row nothing
// changes. Each changed complaint gets its timeline event and audit row in
// the one transaction. Complaint desk only (forum.Can moderate). It
// returns how many complaints changed.
func (s *Store) ImportLapor(ctx context.Context, a Actor, file string, r io.Reader) (int, error) {
	links, err := s.PlanLapor(ctx, a, file, r)
	if err != nil {
		return 0, err
	}
	changed := 0
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		now := s.now()
		changed = 0
		for _, l := range links {
			if !l.Changes() {
				continue
			}
			c := &Complaint{ID: l.complaintID, Number: l.Number}
			if _, err := tx.NewUpdate().Table("complaints").Set("lapor_id = ?, updated_at = ?", l.To, now).
				Where("id = ?", l.complaintID).Exec(ctx); err != nil {
				return fmt.Errorf("%s:%d: %w", file, l.Row, err)
			}
			if err := event(ctx, tx, c, "lapor_id", a, 0, l.To, true, now); err != nil {
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
