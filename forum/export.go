package forum

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// ExportRow is one proposal or comment of an export. Kind is "proposal" or
// "comment"; ParentID is the comment replied to (0 for none); Group is the
// focus group id (0 for the public part), present only in exports of those
// who see the group.
type ExportRow struct {
	Kind       string    `json:"kind"`
	ID         int64     `json:"id"`
	ProposalID int64     `json:"proposal_id"`
	ParentID   int64     `json:"parent_id"`
	Group      int64     `json:"focus_group_id"`
	Author     string    `json:"author"` // the participant's public id
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	Alignment  string    `json:"alignment"`
	Supports   int       `json:"supports"`
	Comments   int       `json:"comments"`
	Up         int       `json:"up"`
	Down       int       `json:"down"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
	// Official marks a comment whose author speaks for the organiser
	// (MarkOfficial, read when the export is made).
	Official bool `json:"official"`
	// Assisted marks a proposal an officer recorded for a citizen at the
	// desk (dibantu petugas, CreateAssistedProposal).
	Assisted bool `json:"assisted"`
}

// Export returns consultation c's visible proposals and comments for an
// analyst or moderator v (Can export, errs.Forbidden otherwise): published, not
// deleted, and focus-group content only of groups v sees (CASES C18);
// hidden text never leaves (C19).
func Export(ctx context.Context, db bun.IDB, v Viewer, c *Consultation) ([]ExportRow, error) {
	if err := Can(ctx, v, ActExport, Item{Kind: ItemExport, Consultation: c}); err != nil {
		return nil, err
	}
	seen := map[int64]bool{0: true}
	sees := func(g int64) (bool, error) {
		if ok, done := seen[g]; done {
			return ok, nil
		}
		err := Can(ctx, v, ActExport, Item{Kind: ItemExport, Consultation: c, GroupID: g})
		if err != nil && errs.KindOf(err) != errs.NotFound {
			return false, err
		}
		seen[g] = err == nil
		return err == nil, nil
	}
	var ps []struct {
		Proposal
		AuthorPublic string `bun:"author_public"`
	}
	err := db.NewSelect().Model((*Proposal)(nil)).ColumnExpr("p.*").ColumnExpr("pa.public_id AS author_public").
		Join("JOIN participants AS pa ON pa.id = p.author_id").
		Where("p.consultation_id = ? AND p.state = ?", c.ID, StatePublished).Order("p.id").Scan(ctx, &ps)
	if err != nil {
		return nil, fmt.Errorf("export proposals: %w", err)
	}
	var out []ExportRow
	for _, p := range ps {
		if ok, err := sees(p.FocusGroupID); err != nil || !ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, ExportRow{Kind: TargetProposal, ID: p.ID, ProposalID: p.ID, Group: p.FocusGroupID, Author: p.AuthorPublic,
			Title: p.Title, Body: p.Body, Supports: p.Supports, Comments: p.Comments, Status: p.AnswerStatus(), CreatedAt: p.CreatedAt, Assisted: p.Assisted})
	}
	var cs []struct {
		Comment
		AuthorPublic string `bun:"author_public"`
	}
	err = db.NewSelect().Model((*Comment)(nil)).ColumnExpr("cm.*").ColumnExpr("pa.public_id AS author_public").
		Join("JOIN participants AS pa ON pa.id = cm.author_id").
		Join("LEFT JOIN proposals AS p ON p.id = cm.proposal_id").
		Where("cm.consultation_id = ? AND cm.state = ? AND cm.deleted_at IS NULL", c.ID, StatePublished).
		Where("(cm.proposal_id = 0 OR p.state = ?)", StatePublished).Order("cm.id").Scan(ctx, &cs)
	if err != nil {
		return nil, fmt.Errorf("export comments: %w", err)
	}
	authors := map[int64]Author{}
	for _, cm := range cs {
		authors[cm.AuthorID] = Author{}
	}
	if err := MarkOfficial(ctx, db, c.ID, authors); err != nil {
		return nil, err
	}
	for _, cm := range cs {
		if ok, err := sees(cm.FocusGroupID); err != nil || !ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, ExportRow{Kind: TargetComment, ID: cm.ID, ProposalID: cm.ProposalID, ParentID: cm.ParentID, Group: cm.FocusGroupID,
			Author: cm.AuthorPublic, Body: cm.Body, Alignment: AlignmentName(cm.Alignment), Up: cm.Up, Down: cm.Down, CreatedAt: cm.CreatedAt,
			Official: authors[cm.AuthorID].Official})
	}
	return out, nil
}

// plainNumber matches a cell that is a decimal number and nothing else:
// data, not a formula, so it keeps its sign (a vote of -1 stays -1).
var plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// SafeCell neutralizes a spreadsheet formula (CASES C06; OWASP "CSV
// Injection"): a cell starting with =, +, -, @, TAB or CR gets a leading
// apostrophe, unless it is a plain decimal number such as "-1". This also
// applies to Indonesian phone numbers such as "+62 812…", which then show
// as text with the apostrophe hidden by spreadsheets and visible in a text
// editor; JSON exports keep raw values. Every CSV and XLSX export of rembug
// passes its cells, headers included, through this one function.
func SafeCell(s string) string {
	if s == "" || plainNumber.MatchString(s) {
		return s
	}
	if strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// ExportHeader is the CSV header of WriteCSV.
var ExportHeader = []string{"kind", "id", "proposal_id", "parent_id", "focus_group_id", "author", "title", "body",
	"alignment", "supports", "comments", "up", "down", "status", "created_at", "official", "assisted"}

// WriteCSV writes rows with a header by CSVWriter (byte order mark, CRLF,
// every cell passed through SafeCell).
func WriteCSV(w io.Writer, rows []ExportRow) error {
	cw := NewCSVWriter(w)
	if err := cw.Write(ExportHeader...); err != nil {
		return err
	}
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	for _, r := range rows {
		rec := []string{r.Kind, i64(r.ID), i64(r.ProposalID), i64(r.ParentID), i64(r.Group), r.Author, r.Title, r.Body,
			r.Alignment, strconv.Itoa(r.Supports), strconv.Itoa(r.Comments), strconv.Itoa(r.Up), strconv.Itoa(r.Down),
			r.Status, r.CreatedAt.UTC().Format(time.RFC3339), strconv.FormatBool(r.Official), strconv.FormatBool(r.Assisted)}
		if err := cw.Write(rec...); err != nil {
			return err
		}
	}
	return cw.Flush()
}
