package rancangan

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// Audit actions and target kind the Store writes.
const (
	AuditCreate  = "draft.create"
	AuditVersion = "draft.version"
	AuditAnswer  = "draft.answer"
	AuditHide    = "draft.hide"
	AuditRestore = "draft.restore"
	AuditEdit    = "draft.edit_input"
	AuditDelete  = "draft.delete_input"
	auditKind    = "draft_text"
	auditInput   = "draft_input"
)

// Store owns the draft-regulation tables. Every exported write checks the
// viewer with forum.Can and runs in one transaction with its audit rows
// and notices. A Store is safe for concurrent use.
type Store struct {
	db  *bun.DB
	now func() time.Time

	docMu sync.Mutex
	docs  map[docKey]*Document // versions read, by draft and number (a version never changes)
}

// docKey names one version of one draft.
type docKey struct {
	draft int64
	n     int
}

// maxCachedDocs bounds the versions Document keeps in memory.
const maxCachedDocs = 64

// NewStore returns a Store over db (migrated with Migrate); now is the
// clock (nil for time.Now).
func NewStore(db *bun.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now, docs: map[docKey]*Document{}}
}

// Document is DocumentOf, kept in memory: a stored version never changes,
// so pages read each one from the database once (up to maxCachedDocs
// versions; then an arbitrary one is dropped). Callers must not modify the
// result.
func (s *Store) Document(ctx context.Context, d *Draft, n int) (*Document, error) {
	k := docKey{d.ID, n}
	s.docMu.Lock()
	doc, ok := s.docs[k]
	s.docMu.Unlock()
	if ok {
		return doc, nil
	}
	doc, err := DocumentOf(ctx, s.db, d, n)
	if err != nil {
		return nil, err
	}
	s.docMu.Lock()
	defer s.docMu.Unlock()
	if len(s.docs) >= maxCachedDocs {
		for old := range s.docs {
			delete(s.docs, old)
			break
		}
	}
	s.docs[k] = doc
	return doc, nil
}

func (s *Store) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// inTx runs fn in one transaction with the write's time, read once from
// the clock. forum.Can called with fn's ctx reads its facts again inside
// the transaction (forum.InTx), so fn re-checks the right its method
// checked before.
func (s *Store) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx, now time.Time) error) error {
	now := s.clock()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(forum.InTx(ctx, tx, now), tx, now)
	})
}

// text validates free text: valid UTF-8, trimmed, min to max runes; key
// names the field in the error ("rancangan.length_<field>").
func text(s, field string, min, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", errs.E(errs.Invalid, "error.utf8", nil)
	}
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\x00", ""), "\r\n", "\n"))
	if n := utf8.RuneCountInString(s); n < min || n > max {
		return "", errs.E(errs.Invalid, "rancangan.length_"+field, map[string]any{"Min": min, "Max": max})
	}
	return s, nil
}

// Create stores a new draft in consultation c (for focus group group, 0
// for the whole consultation) from its text (Parse) as version 1. The
// title is the given one or, when empty, the subject the text names. It
// needs v to moderate c (forum.Can); a text Parse refuses, a title too
// long or a group not of c is errs.Invalid. Nothing is written on error.
func (s *Store) Create(ctx context.Context, v forum.Viewer, c *forum.Consultation, group int64, title, source string) (*Draft, error) {
	d := &Draft{ConsultationID: c.ID, FocusGroupID: group}
	if err := forum.Can(ctx, v, forum.ActModerate, d.Item(c)); err != nil {
		return nil, err
	}
	doc, err := Parse(source)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(title) == "" {
		title = defaultTitle(doc.Title)
	}
	if d.Title, err = text(title, "title", 1, MaxTitleRunes); err != nil {
		return nil, err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := forum.Can(ctx, v, forum.ActModerate, d.Item(c)); err != nil {
			return err
		}
		if group != 0 {
			n, err := tx.NewSelect().Table("focus_groups").Where("id = ? AND consultation_id = ?", group, c.ID).Count(ctx)
			if err != nil {
				return fmt.Errorf("focus group %d: %w", group, err)
			}
			if n == 0 {
				return errs.E(errs.Invalid, "rancangan.bad_group", nil)
			}
		}
		d.CurrentVersion, d.CreatedAt, d.UpdatedAt = 1, now, now
		if _, err := tx.NewInsert().Model(d).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("insert draft: %w", err)
		}
		if err := insertVersion(ctx, tx, v, d, 1, source, "", doc, now); err != nil {
			return err
		}
		return forum.Audit(ctx, tx, v, AuditCreate, auditKind, d.ID, c.ID, "", now)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// AddVersion stores a new version of draft d (number CurrentVersion+1)
// from its text, with the drafters' note on what changed; its units become
// the current ones. It needs v to moderate d; a text Parse refuses is
// errs.Invalid; a version added by someone else at the same time is
// errs.Conflict ("rancangan.version_conflict"). On success d is updated.
func (s *Store) AddVersion(ctx context.Context, v forum.Viewer, c *forum.Consultation, d *Draft, source, note string) (*Version, error) {
	if err := forum.Can(ctx, v, forum.ActModerate, d.Item(c)); err != nil {
		return nil, err
	}
	doc, err := Parse(source)
	if err != nil {
		return nil, err
	}
	if note, err = text(note, "note", 0, MaxVersionNoteRunes); err != nil {
		return nil, err
	}
	prev, err := s.Document(ctx, d, d.CurrentVersion)
	if err != nil {
		return nil, err
	}
	moves := PasalMoves(prev, doc)
	next := d.CurrentVersion + 1
	var ver *Version
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := forum.Can(ctx, v, forum.ActModerate, d.Item(c)); err != nil {
			return err
		}
		res, err := tx.NewUpdate().Model((*Draft)(nil)).Set("current_version = ?, updated_at = ?", next, now).
			Where("id = ? AND current_version = ?", d.ID, d.CurrentVersion).Exec(ctx)
		if err != nil {
			return fmt.Errorf("draft %d version: %w", d.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.E(errs.Conflict, "rancangan.version_conflict", nil)
		}
		if _, err := tx.NewUpdate().Model((*unitRow)(nil)).Set("current = ?", false).
			Where("draft_id = ? AND current = ?", d.ID, true).Exec(ctx); err != nil {
			return fmt.Errorf("draft %d old units: %w", d.ID, err)
		}
		if err := insertVersion(ctx, tx, v, d, next, source, note, doc, now); err != nil {
			return err
		}
		if err := moveInputs(ctx, tx, d, next, moves); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE draft_inputs SET seq = COALESCE((SELECT u.seq FROM draft_units u
			WHERE u.draft_id = ? AND u.version = ? AND u.anchor = draft_inputs.anchor), ?) WHERE draft_id = ?`, d.ID, next, removedSeq, d.ID); err != nil {
			return fmt.Errorf("draft %d inputs' places: %w", d.ID, err)
		}
		ver = &Version{DraftID: d.ID, Number: next, Note: note, CreatedAt: now}
		return forum.Audit(ctx, tx, v, AuditVersion, auditKind, d.ID, c.ID, fmt.Sprintf("v%d", next), now)
	})
	if err != nil {
		return nil, err
	}
	d.CurrentVersion = next
	return ver, nil
}

// moveInputs records the Pasal that version next renumbered and moves
// the inputs on them (their ayat and Penjelasan included) to the new
// anchors in tx, so an input stays on its article rather than on whichever
// article now has the old number.
func moveInputs(ctx context.Context, tx bun.Tx, d *Draft, next int, moves map[string]string) error {
	if len(moves) == 0 {
		return nil
	}
	for old, n := range moves {
		if _, err := tx.NewInsert().Model(&anchorMove{DraftID: d.ID, Version: next, Old: old, New: n}).Exec(ctx); err != nil {
			return fmt.Errorf("draft %d anchor move %s: %w", d.ID, old, err)
		}
	}
	var ins []struct {
		ID     int64  `bun:"id"`
		Anchor string `bun:"anchor"`
	}
	if err := tx.NewSelect().Model((*Input)(nil)).Column("id", "anchor").Where("draft_id = ?", d.ID).Scan(ctx, &ins); err != nil {
		return fmt.Errorf("draft %d inputs to move: %w", d.ID, err)
	}
	for _, in := range ins {
		if a := MoveAnchor(moves, in.Anchor); a != in.Anchor {
			if _, err := tx.NewUpdate().Model((*Input)(nil)).Set("anchor = ?", a).Where("id = ?", in.ID).Exec(ctx); err != nil {
				return fmt.Errorf("move draft input %d: %w", in.ID, err)
			}
		}
	}
	return nil
}

// insertVersion writes version n of d and its units (current) in tx.
func insertVersion(ctx context.Context, tx bun.Tx, v forum.Viewer, d *Draft, n int, source, note string, doc *Document, now time.Time) error {
	ver := &Version{DraftID: d.ID, Number: n, Source: source, Note: note, CreatedAt: now}
	if v.User != nil {
		ver.CreatedBy = v.User.ID
	}
	if _, err := tx.NewInsert().Model(ver).Exec(ctx); err != nil {
		return fmt.Errorf("insert draft %d version %d: %w", d.ID, n, err)
	}
	rows := make([]unitRow, len(doc.Units))
	for i, u := range doc.Units {
		rows[i] = unitRow{DraftID: d.ID, Version: n, Seq: i, Anchor: u.Anchor, Kind: u.Kind, Number: u.Number,
			Heading: u.Heading, Body: u.Text, Parent: u.Parent, Current: true}
	}
	for start := 0; start < len(rows); start += 500 {
		part := rows[start:min(start+500, len(rows))]
		if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
			return fmt.Errorf("insert draft %d units: %w", d.ID, err)
		}
	}
	return nil
}

// defaultTitle names a draft by the subject its text gives: an
// all-capitals "PENGELOLAAN SAMPAH" becomes "Raperda tentang Pengelolaan
// Sampah"; other text is returned as is.
func defaultTitle(s string) string {
	if s == "" || s != strings.ToUpper(s) {
		return s
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if i > 0 && (w == "dan" || w == "atau" || w == "di" || w == "ke" || w == "dari" || w == "pada" || w == "yang") {
			continue
		}
		r, size := utf8.DecodeRuneInString(w)
		words[i] = strings.ToUpper(string(r)) + w[size:]
	}
	return "Raperda tentang " + strings.Join(words, " ")
}

// DraftFor returns draft id of consultation c when v may read it (Can
// read); errs.ErrNotFound otherwise.
func DraftFor(ctx context.Context, db bun.IDB, v forum.Viewer, c *forum.Consultation, id int64) (*Draft, error) {
	d := new(Draft)
	err := db.NewSelect().Model(d).Where("id = ? AND consultation_id = ?", id, c.ID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("draft %d: %w", id, err)
	}
	if err := forum.Can(ctx, v, forum.ActRead, d.Item(c)); err != nil {
		return nil, err
	}
	return d, nil
}

// Drafts lists the drafts of consultation c that v may read, oldest first.
func Drafts(ctx context.Context, db bun.IDB, v forum.Viewer, c *forum.Consultation) ([]Draft, error) {
	var all []Draft
	if err := db.NewSelect().Model(&all).Where("consultation_id = ?", c.ID).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("drafts of consultation %d: %w", c.ID, err)
	}
	out := all[:0]
	for _, d := range all {
		if forum.Can(ctx, v, forum.ActRead, d.Item(c)) == nil {
			out = append(out, d)
		}
	}
	return out, nil
}

// Versions lists d's versions, oldest first, without their source.
func Versions(ctx context.Context, db bun.IDB, d *Draft) ([]Version, error) {
	var vs []Version
	if err := db.NewSelect().Model(&vs).ExcludeColumn("source").Where("draft_id = ?", d.ID).Order("number").Scan(ctx); err != nil {
		return nil, fmt.Errorf("draft %d versions: %w", d.ID, err)
	}
	return vs, nil
}

// Source returns the text of version n of d as uploaded (errs.ErrNotFound
// for no such version).
func Source(ctx context.Context, db bun.IDB, d *Draft, n int) (string, error) {
	var src []string
	if err := db.NewSelect().Model((*Version)(nil)).Column("source").Where("draft_id = ? AND number = ?", d.ID, n).Scan(ctx, &src); err != nil {
		return "", fmt.Errorf("draft %d version %d: %w", d.ID, n, err)
	}
	if len(src) == 0 {
		return "", errs.ErrNotFound
	}
	return src[0], nil
}

// DocumentOf returns version n of d as parsed units (errs.ErrNotFound for
// no such version).
func DocumentOf(ctx context.Context, db bun.IDB, d *Draft, n int) (*Document, error) {
	var rows []unitRow
	if err := db.NewSelect().Model(&rows).Where("draft_id = ? AND version = ?", d.ID, n).Order("seq").Scan(ctx); err != nil {
		return nil, fmt.Errorf("draft %d version %d units: %w", d.ID, n, err)
	}
	if len(rows) == 0 {
		return nil, errs.ErrNotFound
	}
	doc := &Document{Title: d.Title, Units: make([]Unit, len(rows))}
	for i, r := range rows {
		doc.Units[i] = r.unit()
	}
	doc.Options = unitOptions(doc)
	return doc, nil
}
