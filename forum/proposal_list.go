package forum

import (
	"context"
	"fmt"
	"math"
	"strings"

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
// skip a proposal. Page counts from 1 and is used by the sorts whose order
// does not move (newest, random); the sorts on a live counter (supported,
// commented) page by Cursor instead (see Keyset) and ignore Page.
type ProposalQuery struct {
	ConsultationID int64
	GroupID        int64
	Topic          string
	Status         string // an answer status, StatusArchivedProposal, AnswerOpen (no answer yet), or "" for any
	Sort           string
	Seed           int64
	Page, PerPage  int
	Cursor         string // ProposalPage.Next of the previous page; "" for the first
}

// Keyset reports whether sort pages by cursor: its key (a counter that
// changes while people read, then the id) can move between page reads.
func Keyset(sort string) bool { return sort == SortSupported || sort == SortCommented }

// ProposalPage is one page of proposals and the number of matches.
type ProposalPage struct {
	Proposals []Proposal
	Total     int
	Page      int
	PerPage   int
	Next      string // cursor of the next page for a Keyset sort, "" on the last page
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
	switch q.Sort {
	case SortRandom:
		// A multiplicative hash of the id, the same on both databases
		// (id < 2^32 and seed < 2^31 keep it inside 64 bits), then the id:
		// a total order fixed by the seed.
		sel = sel.OrderExpr("(p.id * 1103515245 + ?) % 2147483647, p.id", q.Seed&0x7fffffff)
	default:
		sel = sel.Order("p.created_at DESC", "p.id DESC")
	}
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

// listKeyset returns the page of sel after q.Cursor in the order of
// q.Sort's counter, then id, both descending.
func listKeyset(ctx context.Context, sel *bun.SelectQuery, ps *[]Proposal, q ProposalQuery) (ProposalPage, error) {
	col := "p.supports"
	if q.Sort == SortCommented {
		col = "p.comments"
	}
	total, err := sel.Count(ctx)
	if err != nil {
		return ProposalPage{}, fmt.Errorf("count proposals of consultation %d: %w", q.ConsultationID, err)
	}
	if q.Cursor != "" {
		k, err := cursor.Decode(q.Cursor, 2)
		if err != nil {
			return ProposalPage{}, errs.E(errs.Invalid, "proposals.error.cursor", nil)
		}
		sel = sel.Where("("+col+" < ? OR ("+col+" = ? AND p.id < ?))", k[0], k[0], k[1])
	}
	if err := sel.OrderExpr(col + " DESC, p.id DESC").Limit(int64(q.PerPage) + 1).Scan(ctx); err != nil {
		return ProposalPage{}, fmt.Errorf("list proposals of consultation %d: %w", q.ConsultationID, err)
	}
	pp := ProposalPage{Proposals: *ps, Total: int(total), Page: 1, PerPage: q.PerPage}
	if len(pp.Proposals) > q.PerPage {
		pp.Proposals = pp.Proposals[:q.PerPage]
		last := pp.Proposals[q.PerPage-1]
		n := last.Supports
		if q.Sort == SortCommented {
			n = last.Comments
		}
		pp.Next = cursor.Encode(int64(n), last.ID)
	}
	return pp, nil
}
