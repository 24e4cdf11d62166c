package report

import (
	"context"
	"errors"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

// TopProposals is how many proposals the report lists.
const TopProposals = 10

// Proposals is the report's proposal section: the Total number of
// proposals a member of the public sees, and the Top ones by support.
type Proposals struct {
	Total int        `json:"total"`
	Top   []Proposal `json:"top"`
}

// Proposal is a proposal with its official answer (tanggapan resmi):
// Status is one of forum.AnswerStatuses, forum.StatusArchivedProposal, or
// "" before any answer; Answer is the answer's markdown text.
type Proposal struct {
	ID         int64     `json:"id"`
	Ref        string    `json:"ref"` // URL segment: /p/{ref}
	Title      string    `json:"title"`
	Supports   int       `json:"supports"`
	Comments   int       `json:"comments"`
	Status     string    `json:"status"`
	Answer     string    `json:"answer,omitempty"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
	CreatedAt  time.Time `json:"created_at"`
}

// loadProposals lists consultation c's most supported proposals as a
// member of the public sees them: through forum.ProposalsFor and
// forum.ProposalFor with an anonymous Viewer, so focus-group, pending,
// hidden and deleted proposals never appear, whoever asks for the report.
// A consultation the public cannot see has no proposals in its report.
func loadProposals(ctx context.Context, db bun.IDB, c *forum.Consultation) (Proposals, error) {
	out := Proposals{Top: []Proposal{}}
	public := forum.Viewer{}
	page, err := forum.ProposalsFor(ctx, db, public, c, forum.ProposalQuery{Sort: forum.SortSupported, PerPage: TopProposals})
	if errors.Is(err, errs.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	out.Total = page.Total
	for _, p := range page.Proposals {
		full, _, err := forum.ProposalFor(ctx, db, public, p.ID)
		if errors.Is(err, errs.ErrNotFound) {
			continue // hidden since the list was read
		}
		if err != nil {
			return out, err
		}
		out.Top = append(out.Top, Proposal{ID: full.ID, Ref: full.Ref(), Title: full.Title, Supports: full.Supports,
			Comments: full.Comments, Status: full.Status, Answer: full.Answer, AnsweredAt: full.AnsweredAt.UTC(),
			CreatedAt: full.CreatedAt.UTC()})
	}
	return out, nil
}
