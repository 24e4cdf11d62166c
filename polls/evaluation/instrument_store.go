package evaluation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/polls/ikm"
	"github.com/rembug/rembug/polls/indicators"
	"github.com/uptrace/bun"
)

// Instruments belong to the data collection, so they change only while
// the cycle is open: every write below takes the cycle's row (openCycle)
// in its transaction, and Close takes the same row before it freezes the
// results, so an instrument is either in the snapshot or refused.

// openCycle locks cycle id's row in tx and checks it is still open:
// errs.Conflict ("eval.error.instruments_closed") once closed.
func openCycle(ctx context.Context, tx bun.Tx, id int64) error {
	res, err := tx.NewRaw(`UPDATE evaluation_cycles SET status = status WHERE id = ? AND status = ?`, id, StatusOpen).Exec(ctx)
	if err != nil {
		return fmt.Errorf("lock cycle %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.Conflict, "eval.error.instruments_closed", nil)
	}
	return nil
}

// collecting runs write for admin v on cycle cycleID while it collects
// data: in one transaction that checks v administers it again and holds
// its row open (openCycle), with the transaction's time.
func (s *Store) collecting(ctx context.Context, v forum.Viewer, cycleID int64,
	write func(ctx context.Context, tx bun.Tx, c *Cycle, now time.Time) error) error {
	c, err := s.adminCycle(ctx, v, cycleID)
	if err != nil {
		return err
	}
	now := s.now()
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := admin(ctx, v, c); err != nil {
			return err
		}
		if err := openCycle(ctx, tx, c.ID); err != nil {
			return err
		}
		return write(ctx, tx, c, now)
	})
}

// AddInstrument adds in to its open cycle and sets its ID:
//   - an IKM survey (RefID a unit of ikm_units, Period one ikm.ParsePeriod
//     accepts: "eval.error.instrument_unit", "eval.error.instrument_period");
//   - a survey with a question tagged as measuring satisfaction, which v
//     may read ("eval.error.instrument_survey");
//   - an interview: Title 1–200 characters ("eval.error.interview_title"),
//     HeldOn a date "YYYY-MM-DD" ("eval.error.interview_date"), Notes up
//     to MaxInterviewNotes characters ("eval.error.interview_notes").
//
// A survey linked twice is errs.Conflict "eval.error.instrument_twice", a
// closed cycle errs.Conflict "eval.error.instruments_closed", another kind errs.Invalid
// "eval.error.instrument_kind". Title of a linked survey is its name.
func (s *Store) AddInstrument(ctx context.Context, v forum.Viewer, in *Instrument) error {
	return s.collecting(ctx, v, in.CycleID, func(ctx context.Context, tx bun.Tx, c *Cycle, now time.Time) error {
		in.RefID = max(in.RefID, 0)
		switch in.Kind {
		case InstrumentIKM:
			in.Title, in.HeldOn, in.Notes = "", "", ""
			p, err := ikm.ParsePeriod(strings.TrimSpace(in.Period))
			if err != nil {
				return invalid("eval.error.instrument_period")
			}
			in.Period = p.String()
			err = tx.NewRaw(`SELECT name FROM ikm_units WHERE id = ?`, in.RefID).Scan(ctx, &in.Title)
			if errors.Is(err, sql.ErrNoRows) {
				return invalid("eval.error.instrument_unit")
			} else if err != nil {
				return fmt.Errorf("ikm unit %d: %w", in.RefID, err)
			}
		case InstrumentSurvey:
			in.Period, in.Title, in.HeldOn, in.Notes = "", "", "", ""
			if err := s.linkableSurvey(ctx, tx, v, in); err != nil {
				return err
			}
		case InstrumentInterview:
			in.RefID, in.Period = 0, ""
			if err := checkInterview(in); err != nil {
				return err
			}
		default:
			return invalid("eval.error.instrument_kind")
		}
		if in.Kind != InstrumentInterview {
			n, err := tx.NewSelect().Model((*Instrument)(nil)).
				Where("cycle_id = ? AND kind = ? AND ref_id = ? AND period = ?", c.ID, in.Kind, in.RefID, in.Period).Count(ctx)
			if err != nil {
				return fmt.Errorf("instruments of cycle %d: %w", c.ID, err)
			}
			if n > 0 {
				return errs.E(errs.Conflict, "eval.error.instrument_twice", nil)
			}
		}
		in.ResultJSON, in.CreatedBy, in.CreatedAt = nil, v.User.ID, now
		if _, err := tx.NewInsert().Model(in).Exec(ctx); err != nil {
			return fmt.Errorf("add instrument: %w", err)
		}
		return forum.Audit(ctx, tx, v, "evaluation_instrument", "evaluation", c.ID, 0, in.Kind+" "+in.Title, now)
	})
}

// linkableSurvey checks survey in.RefID exists, has a satisfaction
// question and is readable by v, and sets in.Title to its title.
func (s *Store) linkableSurvey(ctx context.Context, tx bun.Tx, v forum.Viewer, in *Instrument) error {
	refused := invalid("eval.error.instrument_survey")
	it, err := SurveySource(ctx, tx, in.RefID)
	if errors.Is(err, errs.ErrNotFound) {
		return refused
	} else if err != nil {
		return err
	}
	if forum.Can(ctx, v, forum.ActRead, it) != nil {
		return refused
	}
	measures, err := indicators.MeasuresSatisfaction(ctx, tx, in.RefID)
	if err != nil {
		return err
	}
	if !measures {
		return refused
	}
	return tx.NewRaw(`SELECT title FROM surveys WHERE id = ?`, in.RefID).Scan(ctx, &in.Title)
}

// checkInterview trims an interview and checks its title, date and notes.
func checkInterview(in *Instrument) error {
	trimInterview(in)
	switch {
	case in.Title == "" || longer(in.Title, 200):
		return invalid("eval.error.interview_title")
	case longer(in.Notes, MaxInterviewNotes):
		return invalid("eval.error.interview_notes")
	}
	if _, err := time.Parse(time.DateOnly, in.HeldOn); err != nil {
		return invalid("eval.error.interview_date")
	}
	return nil
}

// instrumentIn reads instrument id of cycle cycleID in tx,
// errs.ErrNotFound when the cycle has no such instrument.
func instrumentIn(ctx context.Context, tx bun.Tx, cycleID, id int64) (*Instrument, error) {
	var in Instrument
	err := tx.NewSelect().Model(&in).Where("id = ? AND cycle_id = ?", id, cycleID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("instrument %d: %w", id, err)
	}
	return &in, nil
}

// EditInterview replaces the title, date and notes of interview id of
// open cycle cycleID (checked as AddInstrument); errs.ErrNotFound when the
// cycle has no such interview.
func (s *Store) EditInterview(ctx context.Context, v forum.Viewer, cycleID, id int64, title, heldOn, notes string) error {
	return s.collecting(ctx, v, cycleID, func(ctx context.Context, tx bun.Tx, c *Cycle, now time.Time) error {
		edit := &Instrument{Title: title, HeldOn: heldOn, Notes: notes}
		if err := checkInterview(edit); err != nil {
			return err
		}
		in, err := instrumentIn(ctx, tx, c.ID, id)
		if err != nil {
			return err
		}
		if in.Kind != InstrumentInterview {
			return errs.ErrNotFound
		}
		if _, err := tx.NewRaw(`UPDATE evaluation_instruments SET title = ?, held_on = ?, notes = ? WHERE id = ?`,
			edit.Title, edit.HeldOn, edit.Notes, id).Exec(ctx); err != nil {
			return fmt.Errorf("edit interview %d: %w", id, err)
		}
		return forum.Audit(ctx, tx, v, "evaluation_instrument_edit", "evaluation", c.ID, 0, in.Kind+" "+edit.Title, now)
	})
}

// DeleteInstrument removes instrument id, with its files, from open cycle
// cycleID; errs.ErrNotFound when the cycle has no such instrument.
func (s *Store) DeleteInstrument(ctx context.Context, v forum.Viewer, cycleID, id int64) error {
	return s.collecting(ctx, v, cycleID, func(ctx context.Context, tx bun.Tx, c *Cycle, now time.Time) error {
		in, err := instrumentIn(ctx, tx, c.ID, id)
		if err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM evaluation_files WHERE instrument_id = ?`, `DELETE FROM evaluation_instruments WHERE id = ?`} {
			if _, err := tx.NewRaw(q, id).Exec(ctx); err != nil {
				return fmt.Errorf("delete instrument %d: %w", id, err)
			}
		}
		return forum.Audit(ctx, tx, v, "evaluation_instrument_delete", "evaluation", c.ID, 0, in.Kind+" "+in.Title, now)
	})
}

// AttachFile stores a file (the client's name and the content) on
// interview id of open cycle cycleID and returns it without its content.
// Errors: forum.CheckUpload's for a document (empty, over
// forum.MaxDocumentBytes, not a PDF, office document or image by its
// content), "eval.error.file_count"
// (over MaxInterviewFiles); errs.ErrNotFound when the cycle has no such
// interview.
func (s *Store) AttachFile(ctx context.Context, v forum.Viewer, cycleID, id int64, name string, data []byte) (*InstrumentFile, error) {
	var f *InstrumentFile
	err := s.collecting(ctx, v, cycleID, func(ctx context.Context, tx bun.Tx, c *Cycle, now time.Time) error {
		up, err := forum.CheckUpload(forum.FileDocument, name, data)
		if err != nil {
			return err
		}
		in, err := instrumentIn(ctx, tx, c.ID, id)
		if err != nil {
			return err
		}
		if in.Kind != InstrumentInterview {
			return errs.ErrNotFound
		}
		n, err := tx.NewSelect().Model((*InstrumentFile)(nil)).Where("instrument_id = ?", id).Count(ctx)
		if err != nil {
			return fmt.Errorf("files of instrument %d: %w", id, err)
		}
		if n >= MaxInterviewFiles {
			return errs.E(errs.Invalid, "eval.error.file_count", map[string]any{"Max": MaxInterviewFiles})
		}
		f = &InstrumentFile{InstrumentID: id, Name: up.Name, ContentType: up.Type.MIME, Size: up.Size,
			SHA256: up.SHA256, CreatedAt: now, Data: []byte{}}
		if _, err := tx.NewInsert().Model(f).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert file: %w", err)
		}
		if err := storage.SetBytes(ctx, tx, "evaluation_files", "data", f.ID, data); err != nil {
			return err
		}
		return forum.Audit(ctx, tx, v, "evaluation_file_add", "evaluation", c.ID, 0, in.Title+": "+up.Name, now)
	})
	if err != nil {
		return nil, err
	}
	f.Data = nil
	return f, nil
}

// DeleteFile removes file id from open cycle cycleID; errs.ErrNotFound
// when the cycle has no such file.
func (s *Store) DeleteFile(ctx context.Context, v forum.Viewer, cycleID, id int64) error {
	return s.collecting(ctx, v, cycleID, func(ctx context.Context, tx bun.Tx, c *Cycle, now time.Time) error {
		f, err := InstrumentFileOf(ctx, tx, c.ID, id)
		if err != nil {
			return err
		}
		if _, err := tx.NewRaw(`DELETE FROM evaluation_files WHERE id = ?`, id).Exec(ctx); err != nil {
			return fmt.Errorf("delete file %d: %w", id, err)
		}
		return forum.Audit(ctx, tx, v, "evaluation_file_delete", "evaluation", c.ID, 0, f.Name, now)
	})
}

// freezeInstruments stores the result of each linked survey of cycle id,
// read in tx (Close's transaction, which holds the cycle's row).
func freezeInstruments(ctx context.Context, tx bun.Tx, id int64, now time.Time) error {
	ins, err := Instruments(ctx, tx, id)
	if err != nil {
		return err
	}
	for i := range ins {
		res, err := ResultOf(ctx, tx, &ins[i], now)
		if err != nil {
			return err
		}
		if res == nil { // an interview
			continue
		}
		b, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("result of instrument %d: %w", ins[i].ID, err)
		}
		if _, err := tx.NewRaw(`UPDATE evaluation_instruments SET result = ? WHERE id = ?`, string(b), ins[i].ID).Exec(ctx); err != nil {
			return fmt.Errorf("freeze instrument %d: %w", ins[i].ID, err)
		}
	}
	return nil
}
