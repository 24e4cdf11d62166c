package forum

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// Node is one comment of a thread with its replies. Removed is set on a
// placeholder: a hidden or deleted comment that still has visible replies;
// its Comment carries only ID, ParentID and CreatedAt (no text, no author,
// no counts). Pending marks the viewer's own comment that waits for
// approval (shown only to its author, never counted). Author is how the
// author shows (Authors); zero on a placeholder. UnderReview marks a
// placeholder of a comment hidden automatically after reports, which is
// hidden pending a moderator's review, not deleted.
type Node struct {
	Comment
	Author      Author
	Removed     bool
	UnderReview bool
	Pending     bool
	Replies     []*Node
}

// AlignmentCounts counts a thread's visible comments by alignment.
type AlignmentCounts struct {
	For, Neutral, Against int
}

// Total is the number of visible comments.
func (a AlignmentCounts) Total() int { return a.For + a.Neutral + a.Against }

// Thread returns the comment tree of proposal p (which v must see): the
// visible comments (Comment.Visible) in reply order, oldest first, with
// placeholders where a hidden or deleted comment has visible replies, and a
// reply whose parent is not in the data at the top level. The counts are
// of visible comments only, the same rule as Proposal.Comments.
func Thread(ctx context.Context, db bun.IDB, v Viewer, c *Consultation, p *Proposal) ([]*Node, AlignmentCounts, error) {
	var counts AlignmentCounts
	if err := Can(ctx, v, ActRead, p.item(c)); err != nil {
		return nil, counts, err
	}
	var all []Comment
	// source stays: it marks imported text for its language (langOf).
	err := db.NewSelect().Model(&all).ExcludeColumn("source_key", "source_parent").
		Where("cm.proposal_id = ?", p.ID).Order("cm.created_at", "cm.id").Scan(ctx)
	if err != nil {
		return nil, counts, fmt.Errorf("thread of proposal %d: %w", p.ID, err)
	}
	nodes := make(map[int64]*Node, len(all))
	order := make([]*Node, 0, len(all))
	for i := range all {
		cm := all[i]
		n := &Node{Comment: cm}
		switch {
		case cm.Visible():
			switch cm.Alignment {
			case For:
				counts.For++
			case Against:
				counts.Against++
			default:
				counts.Neutral++
			}
		case cm.State == StatePending && cm.DeletedAt.IsZero() && v.ParticipantID != 0 && cm.AuthorID == v.ParticipantID:
			n.Pending = true
		default:
			n.Removed = true
			n.UnderReview = cm.State == StateHidden && cm.DeletedAt.IsZero() && strings.HasPrefix(cm.StateReason, autoHidePrefix)
			n.Comment = Comment{ID: cm.ID, ParentID: cm.ParentID, CreatedAt: cm.CreatedAt}
		}
		nodes[cm.ID] = n
		order = append(order, n)
	}
	if err := fillAuthors(ctx, db, c.ID, order); err != nil {
		return nil, counts, err
	}
	var roots []*Node
	for _, n := range order {
		if parent, ok := nodes[n.ParentID]; ok && n.ParentID != n.ID {
			parent.Replies = append(parent.Replies, n)
		} else {
			roots = append(roots, n)
		}
	}
	return prune(roots), counts, nil
}

// fillAuthors sets the Author of every node that is not a placeholder,
// Official for the staff of consultation cID.
func fillAuthors(ctx context.Context, db bun.IDB, cID int64, ns []*Node) error {
	var ids []int64
	for _, n := range ns {
		if !n.Removed {
			ids = append(ids, n.AuthorID)
		}
	}
	authors, err := Authors(ctx, db, ids)
	if err != nil {
		return err
	}
	if err := MarkOfficial(ctx, db, cID, authors); err != nil {
		return err
	}
	for _, n := range ns {
		if !n.Removed {
			n.Author = authors[n.AuthorID]
		}
	}
	return nil
}

// prune drops placeholders that have nothing visible below them.
func prune(ns []*Node) []*Node {
	out := ns[:0]
	for _, n := range ns {
		n.Replies = prune(n.Replies)
		if n.Removed && len(n.Replies) == 0 {
			continue
		}
		out = append(out, n)
	}
	return out
}

// CountNodes returns the number of non-placeholder, non-pending nodes in
// a tree: equal to the proposal's comment count.
func CountNodes(ns []*Node) int {
	n := 0
	for _, x := range ns {
		if !x.Removed && !x.Pending {
			n++
		}
		n += CountNodes(x.Replies)
	}
	return n
}
