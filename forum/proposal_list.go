package forum

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rembug/rembug/forum/cursor"
	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

// Proposal list sorts.
const (
	SortNewest    = "newest"
	SortSupported = "supported"
	SortCommented = "commented"
	SortRandom    = "random"
)

// Sorts lists the sorts ProposalQuery accepts, the default first.
var Sorts = []string{SortNewest, SortSupported, SortCommented, SortRandom}

// MaxPerPage bounds a page of proposals.
const MaxPerPage = 100

// maxPage bounds ProposalQuery.Page so that (Page-1)*PerPage fits in an
// int64 OFFSET on both databases.
const maxPage = math.MaxInt32

// ProposalQuery selects one page of the visible proposals of a space.
// Seed fixes the random order, so the pages of one seed never repeat or
// skip a proposal. Page counts from 1 and is used by the random sort only;
// the other sorts page by Cursor or Before instead (see Keyset) and ignore
// Page.
type ProposalQuery struct {
	ConsultationID int64
	GroupID        int64
	Topic          string
	Status         string // an answer status, StatusArchivedProposal, AnswerOpen (no answer yet), or "" for any
	Sort           string
	Seed           int64
	Page, PerPage  int
	Cursor         string // ProposalPage.Next of the page before; "" for the first
	Before         string // ProposalPage.Prev of the page after: the page before it (Cursor is then ignored)
}

// Keyset reports whether sort pages by cursor: its key can move between
// page reads (a counter that changes while people read, then the id), or
// new proposals arrive at its head (newest: created_at, then the id), so
// offsets would repeat or skip proposals. Only the random order, fixed by
// its seed, pages by number.
func Keyset(sort string) bool { return sort != SortRandom }

// ProposalPage is one page of proposals and the number of matches.
type ProposalPage struct {
	Proposals []Proposal
	Total     int
	Page      int
	PerPage   int
	Next      string // cursor of the next page for a Keyset sort, "" on the last page
	Prev      string // cursor of the page before for a Keyset sort (ProposalQuery.Before), "" on the first page
}

// Pages returns the number of pages.
func (pp ProposalPage) Pages() int { return (pp.Total + pp.PerPage - 1) / pp.PerPage }

// ListProposals returns the page q asks for of the published proposals of
// q's space. errs.Invalid for a malformed q.Cursor.
//
// For a Keyset sort the cursor is the (counter, id) of the last proposal of
// the previous page as it was read, and the next page continues strictly
// after it in the order (counter DESC, id DESC). What that guarantees while
// counters change between reads: a proposal whose counter did not change
// is shown exactly once, never repeated nor skipped. A proposal whose
// counter rose from behind the cursor to ahead of it is not shown again
// (it moved onto pages already read); one whose counter fell (a support
// withdrawn) from ahead of the cursor to behind it is shown a second time.
// Offsets, by contrast, repeat and skip proposals that did not move. The caller must have passed the space through Can (see
// ProposalsFor, which does).
func ListProposals(ctx context.Context, db bun.IDB, q ProposalQuery) (ProposalPage, error) {
	if q.PerPage <= 0 || q.PerPage > MaxPerPage {
		q.PerPage = 20
	}
	if q.Page <= 0 {
		q.Page = 1
	}
	// Past maxPage every page is empty anyway; the bound keeps the offset
	// from overflowing into a negative or wrapped-around value.
	if q.Page > maxPage {
		q.Page = maxPage
	}
	var ps []Proposal
	sel := db.NewSelect().Model(&ps).
		ExcludeColumn("answer").
		Where("p.consultation_id = ? AND p.focus_group_id = ?", q.ConsultationID, q.GroupID)
	sel = visibleSQL(sel, "p")
	if q.Topic != "" {
		t := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(q.Topic))
		sel = sel.Where(`p.topics LIKE ? ESCAPE '\'`, "%|"+t+"|%")
	}
	if q.Status == AnswerOpen {
		sel = sel.Where("p.status = ?", AnswerNone)
	} else if q.Status != "" {
		sel = sel.Where("p.status = ?", q.Status)
	}
	if Keyset(q.Sort) {
		return listKeyset(ctx, sel, &ps, q)
	}
	// A multiplicative hash of the id, the same on both databases (id <
	// 2^32 and seed < 2^31 keep it inside 64 bits), then the id: a total
	// order fixed by the seed.
	sel = sel.OrderExpr("(p.id * 1103515245 + ?) % 2147483647, p.id", q.Seed&0x7fffffff)
	n, err := sel.Limit(int64(q.PerPage)).Offset(int64(q.Page-1) * int64(q.PerPage)).ScanAndCount(ctx)
	if err != nil {
		return ProposalPage{}, fmt.Errorf("list proposals of consultation %d: %w", q.ConsultationID, err)
	}
	return ProposalPage{Proposals: ps, Total: int(n), Page: q.Page, PerPage: q.PerPage}, nil
}

// ProposalsFor checks that v sees q's space and lists it.
func ProposalsFor(ctx context.Context, db bun.IDB, v Viewer, c *Consultation, q ProposalQuery) (ProposalPage, error) {
	if err := Can(ctx, v, ActRead, Item{Kind: ItemProposal, Consultation: c, GroupID: q.GroupID}); err != nil {
		return ProposalPage{}, err
	}
	q.ConsultationID = c.ID
	return ListProposals(ctx, db, q)
}

// sortKey is a Keyset sort's first key: its column, its value in a
// proposal, and the SQL argument of a decoded value.
type sortKey struct {
	col string
	of  func(Proposal) int64
	arg func(int64) any
}

func keyOf(sort string) sortKey {
	switch sort {
	case SortSupported:
		return sortKey{"p.supports", func(p Proposal) int64 { return int64(p.Supports) }, func(k int64) any { return k }}
	case SortCommented:
		return sortKey{"p.comments", func(p Proposal) int64 { return int64(p.Comments) }, func(k int64) any { return k }}
	}
	// Newest: nanoseconds since 1970, exact for both databases' precision.
	return sortKey{"p.created_at", func(p Proposal) int64 { return p.CreatedAt.UnixNano() },
		func(k int64) any { return time.Unix(0, k).UTC() }}
}

// listKeyset returns the page of sel after q.Cursor (or before q.Before)
// in the order of q.Sort's key, then id, both descending. A page read
// forward links back to the page before it by the key of its first
// proposal; a page read backward links forward by the key of its last.
func listKeyset(ctx context.Context, sel *bun.SelectQuery, ps *[]Proposal, q ProposalQuery) (ProposalPage, error) {
	key := keyOf(q.Sort)
	col := key.col
	total, err := sel.Count(ctx)
	if err != nil {
		return ProposalPage{}, fmt.Errorf("count proposals of consultation %d: %w", q.ConsultationID, err)
	}
	back := q.Before != ""
	from := q.Cursor
	if back {
		from = q.Before
	}
	if from != "" {
		k, err := cursor.Decode(from, 2)
		if err != nil {
			return ProposalPage{}, errs.E(errs.Invalid, "proposals.error.cursor", nil)
		}
		op := "<"
		if back {
			op = ">"
		}
		sel = sel.Where("("+col+" "+op+" ? OR ("+col+" = ? AND p.id "+op+" ?))", key.arg(k[0]), key.arg(k[0]), k[1])
	}
	order := col + " DESC, p.id DESC"
	if back {
		order = col + " ASC, p.id ASC"
	}
	if err := sel.OrderExpr(order).Limit(int64(q.PerPage) + 1).Scan(ctx); err != nil {
		return ProposalPage{}, fmt.Errorf("list proposals of consultation %d: %w", q.ConsultationID, err)
	}
	pp := ProposalPage{Proposals: *ps, Total: int(total), Page: 1, PerPage: q.PerPage}
	more := len(pp.Proposals) > q.PerPage
	if more {
		pp.Proposals = pp.Proposals[:q.PerPage]
	}
	if back {
		slices.Reverse(pp.Proposals)
	}
	if len(pp.Proposals) == 0 {
		return pp, nil
	}
	first, last := pp.Proposals[0], pp.Proposals[len(pp.Proposals)-1]
	if more && !back || back {
		pp.Next = cursor.Encode(key.of(last), last.ID)
	}
	if more && back || !back && q.Cursor != "" {
		pp.Prev = cursor.Encode(key.of(first), first.ID)
	}
	return pp, nil
}
