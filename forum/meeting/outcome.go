package meeting

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// Kinds of outcome a meeting links to.
const (
	OutcomeProposal  = "proposal"  // a proposal (usulan), forum.Proposal
	OutcomeStatement = "statement" // a conversation statement (polls.Statement, read through a StatementsFunc)
)

// MaxOutcomesPerLink is how many items one Link call takes: a form's
// worth, so a pasted list cannot make one huge transaction.
const MaxOutcomesPerLink = 50

// Audit actions of the outcome links.
const (
	AuditLink   = "meeting.link"
	AuditUnlink = "meeting.unlink"
)

// OutcomeLink is one row of meeting_outcomes: item ItemID of kind Kind
// (OutcomeProposal or OutcomeStatement) came out of meeting MeetingID.
type OutcomeLink struct {
	bun.BaseModel `bun:"table:meeting_outcomes,alias:o"`

	ID        int64     `bun:"id,pk,autoincrement"`
	MeetingID int64     `bun:"meeting_id,notnull"`
	Kind      string    `bun:"kind,notnull"`
	ItemID    int64     `bun:"item_id,notnull"`
	CreatedBy int64     `bun:"created_by,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// Outcome is a linked item as the meeting page lists it: Text is the
// proposal's title or the statement's text, Ref the proposal's path
// reference (ProposalRef, "" for a statement).
type Outcome struct {
	Kind string
	ID   int64
	Text string
	Ref  string
}

// ParseIDs reads the numbers of a form field: items separated by commas,
// spaces or new lines, each a number, a proposal reference ("12-judul") or
// a link ending in one ("https://…/p/12-judul"). Anything else, or more
// than MaxOutcomesPerLink items, is errs.Invalid ("meeting.bad_outcome").
func ParseIDs(s string) ([]int64, error) {
	var ids []int64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		f = strings.TrimRight(f, "/")
		if i := strings.LastIndexByte(f, '/'); i >= 0 {
			f = f[i+1:]
		}
		if i := strings.LastIndexByte(f, '#'); i >= 0 {
			f = f[i+1:] // a statement's anchor "#s12"
		}
		f = strings.TrimPrefix(f, "s")
		if i := strings.IndexByte(f, '-'); i > 0 {
			f = f[:i]
		}
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return nil, errs.E(errs.Invalid, "meeting.bad_outcome", nil)
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) > MaxOutcomesPerLink {
		return nil, errs.E(errs.Invalid, "meeting.bad_outcome", nil)
	}
	return ids, nil
}

// Link records that proposals and statements (ids) of consultation c came
// out of meeting m. It needs v to moderate m (forum.Can ActModerate, read
// again in the transaction); an id that is not a proposal or statement of
// c, or no id at all, is errs.Invalid ("meeting.bad_outcome", "meeting.
// no_outcome") and nothing is written. Items already linked are kept
// once. One transaction writes the links and one audit row listing them.
func (s *Store) Link(ctx context.Context, v forum.Viewer, c *forum.Consultation, m *Meeting, proposals, statements []int64) error {
	if err := forum.Can(ctx, v, forum.ActModerate, m.Item(c)); err != nil {
		return err
	}
	if len(proposals)+len(statements) == 0 {
		return errs.E(errs.Invalid, "meeting.no_outcome", nil)
	}
	if len(proposals)+len(statements) > MaxOutcomesPerLink {
		return errs.E(errs.Invalid, "meeting.bad_outcome", nil)
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := forum.Can(ctx, v, forum.ActModerate, m.Item(c)); err != nil {
			return err
		}
		for _, k := range []struct {
			table string
			ids   []int64
		}{{"proposals", proposals}, {"statements", statements}} {
			if len(k.ids) == 0 {
				continue
			}
			n, err := tx.NewSelect().Table(k.table).Where("consultation_id = ? AND id IN (?)", c.ID, bun.In(k.ids)).Count(ctx)
			if err != nil {
				return fmt.Errorf("meeting %d outcomes: %w", m.ID, err)
			}
			if int(n) != len(k.ids) {
				return errs.E(errs.Invalid, "meeting.bad_outcome", nil)
			}
		}
		var by int64
		if v.User != nil {
			by = v.User.ID
		}
		var detail []string
		for _, k := range []struct {
			kind, prefix string
			ids          []int64
		}{{OutcomeProposal, "p", proposals}, {OutcomeStatement, "s", statements}} {
			for _, id := range k.ids {
				l := &OutcomeLink{MeetingID: m.ID, Kind: k.kind, ItemID: id, CreatedBy: by, CreatedAt: now}
				if _, err := tx.NewInsert().Model(l).On("CONFLICT (meeting_id, kind, item_id) DO NOTHING").Exec(ctx); err != nil {
					return fmt.Errorf("meeting %d link %s %d: %w", m.ID, k.kind, id, err)
				}
				detail = append(detail, k.prefix+strconv.FormatInt(id, 10))
			}
		}
		return forum.Audit(ctx, tx, v, AuditLink, auditKind, m.ID, c.ID, strings.Join(detail, " "), now)
	})
}

// Unlink removes the link of item id of kind (OutcomeProposal or
// OutcomeStatement) from meeting m; the same right as Link. A link that
// does not exist is errs.ErrNotFound.
func (s *Store) Unlink(ctx context.Context, v forum.Viewer, c *forum.Consultation, m *Meeting, kind string, id int64) error {
	if err := forum.Can(ctx, v, forum.ActModerate, m.Item(c)); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := forum.Can(ctx, v, forum.ActModerate, m.Item(c)); err != nil {
			return err
		}
		res, err := tx.NewDelete().Model((*OutcomeLink)(nil)).Where("meeting_id = ? AND kind = ? AND item_id = ?", m.ID, kind, id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("meeting %d unlink: %w", m.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.ErrNotFound
		}
		prefix := "p"
		if kind == OutcomeStatement {
			prefix = "s"
		}
		return forum.Audit(ctx, tx, v, AuditUnlink, auditKind, m.ID, c.ID, prefix+strconv.FormatInt(id, 10), now)
	})
}

// LinkedStatement is a statement as Outcomes needs it: its text and how
// the access rule sees it (polls.Statement.Item).
type LinkedStatement struct {
	ID   int64
	Text string
	Item forum.Item
}

// StatementsFunc returns the statements of consultation c among ids (any
// order; ids not found are left out). Statements belong to polls, which
// sits above forum, so the caller passes polls' reader and this package
// stays below it (README, Code map).
type StatementsFunc func(ctx context.Context, c *forum.Consultation, ids []int64) ([]LinkedStatement, error)

// Outcomes returns the proposals and statements linked to meeting m of c
// that v may read (forum.Can ActRead on each: a hidden or pending item,
// or one of a focus group v is not in, is left out), proposals first,
// each kind in the order linked. statements reads the linked statements.
func Outcomes(ctx context.Context, db bun.IDB, v forum.Viewer, c *forum.Consultation, m *Meeting, statements StatementsFunc) ([]Outcome, error) {
	var out []Outcome
	var ps []forum.Proposal
	if err := db.NewSelect().Model(&ps).
		Join("JOIN meeting_outcomes AS o ON o.item_id = p.id AND o.kind = ?", OutcomeProposal).
		Where("o.meeting_id = ? AND p.consultation_id = ?", m.ID, c.ID).OrderExpr("o.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("meeting %d proposals: %w", m.ID, err)
	}
	for i := range ps {
		if forum.Can(ctx, v, forum.ActRead, ps[i].Item(c)) == nil {
			out = append(out, Outcome{Kind: OutcomeProposal, ID: ps[i].ID, Text: ps[i].Title, Ref: ps[i].Ref()})
		}
	}
	var ids []int64
	if err := db.NewSelect().Model((*OutcomeLink)(nil)).Column("item_id").
		Where("meeting_id = ? AND kind = ?", m.ID, OutcomeStatement).OrderExpr("id").Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("meeting %d statements: %w", m.ID, err)
	}
	if len(ids) == 0 {
		return out, nil
	}
	ss, err := statements(ctx, c, ids)
	if err != nil {
		return nil, fmt.Errorf("meeting %d statements: %w", m.ID, err)
	}
	byID := make(map[int64]LinkedStatement, len(ss))
	for _, st := range ss {
		byID[st.ID] = st
	}
	for _, id := range ids {
		if st, ok := byID[id]; ok && forum.Can(ctx, v, forum.ActRead, st.Item) == nil {
			out = append(out, Outcome{Kind: OutcomeStatement, ID: st.ID, Text: st.Text})
		}
	}
	return out, nil
}

// MeetingsOfProposal returns the meetings of c that proposal p came out
// of and that v may read, by start time.
func MeetingsOfProposal(ctx context.Context, db bun.IDB, v forum.Viewer, c *forum.Consultation, p *forum.Proposal) ([]Meeting, error) {
	var all []Meeting
	if err := db.NewSelect().Model(&all).
		Where("m.consultation_id = ? AND m.id IN (SELECT meeting_id FROM meeting_outcomes WHERE kind = ? AND item_id = ?)", c.ID, OutcomeProposal, p.ID).
		OrderExpr("m.starts_at, m.id").Limit(100).Scan(ctx); err != nil {
		return nil, fmt.Errorf("meetings of proposal %d: %w", p.ID, err)
	}
	out := all[:0]
	for _, m := range all {
		if forum.Can(ctx, v, forum.ActRead, m.Item(c)) == nil {
			out = append(out, m)
		}
	}
	return out, nil
}
