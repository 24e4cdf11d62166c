package consul

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/uptrace/bun"
)

// batchSize bounds rows per INSERT (×21 columns, below both databases'
// limits on bound parameters).
const batchSize = 500

// Report sums up an import: what the files hold and how many rows were new.
type Report struct {
	ConsultationID int64
	Slug           string
	Proposals      int
	Comments       int
	Orphans        int
	Supports       int // the imported support tally, summed
	NewProposals   int
	NewComments    int
}

// Source is the source name of rows imported from folder key.
func Source(key string) string { return "consul:" + key }

// Import reads dir (see Read) and writes it as one consultation in one
// transaction with its audit row ("consultation_import", by the system),
// then refreshes the planner's statistics. now stamps the
// consultation and participants.
func Import(ctx context.Context, db *bun.DB, dir string, now time.Time) (*Report, error) {
	d, err := Read(dir)
	if err != nil {
		return nil, err
	}
	key := filepath.Base(filepath.Clean(dir))
	var rep *Report
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		rep, err = write(ctx, tx, d, key, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Thousands of rows just arrived: let the planner know (forum/stats.go).
	return rep, forum.RefreshStatistics(ctx, db)
}

func write(ctx context.Context, tx bun.Tx, d *Data, key string, now time.Time) (*Report, error) {
	c := &forum.Consultation{Title: "Decide Madrid: propuestas ciudadanas", Source: "consul", SourceKey: key,
		Description: "Propuestas y comentarios de decide.madrid.es (2015–2019). Fuente: Decide Madrid (Ayuntamiento de Madrid), " +
			"vía argrecsys/dgov-visual-analytics (Apache-2.0).",
		SourceURL: "https://decide.madrid.es/proposals"}
	var texts []string
	for _, p := range d.Proposals {
		texts = append(texts, p.Title, p.Summary)
	}
	c.ContentLang = forum.DetectLang(texts...) // Spanish for Decide Madrid
	if err := forum.UpsertImportedConsultation(ctx, tx, c, now); err != nil {
		return nil, err
	}
	if err := forum.Audit(ctx, tx, forum.Viewer{}, "consultation_import", "consultation", c.ID, c.ID, c.Source+":"+c.SourceKey, now); err != nil {
		return nil, err
	}
	src := Source(key)
	rep := &Report{ConsultationID: c.ID, Slug: c.Slug, Proposals: len(d.Proposals), Comments: len(d.Comments), Orphans: d.Orphans}

	users := map[string]bool{}
	var people []forum.Participant
	add := func(u string) {
		if !users[u] {
			users[u] = true
			people = append(people, forum.Participant{PublicID: forum.NewPublicID(), Kind: forum.ParticipantImported, Source: src, SourceKey: u, CreatedAt: now})
		}
	}
	for _, p := range d.Proposals {
		add(p.UserID)
	}
	for _, cm := range d.Comments {
		add(cm.UserID)
	}
	for i := 0; i < len(people); i += batchSize {
		part := people[i:min(i+batchSize, len(people))]
		if _, err := tx.NewInsert().Model(&part).On("CONFLICT (source, source_key) DO NOTHING").Exec(ctx); err != nil {
			return nil, fmt.Errorf("insert participants: %w", err)
		}
	}
	pids, err := forum.ParticipantsBySource(ctx, tx, src)
	if err != nil {
		return nil, err
	}

	props := make([]forum.Proposal, len(d.Proposals))
	for i, p := range d.Proposals {
		body := strings.TrimSpace(p.Summary)
		if t := strings.TrimSpace(p.Text); t != "" {
			body += "\n\n" + t
		}
		status := forum.AnswerNone
		if p.Status == "archived" {
			status = forum.StatusArchivedProposal
		}
		rep.Supports += p.Supports
		props[i] = forum.Proposal{ConsultationID: c.ID, AuthorID: pids[p.UserID], Title: strings.TrimSpace(p.Title), Body: body,
			State: forum.StatePublished, Status: status, Supports: p.Supports, ImportedSupports: p.Supports,
			Source: src, SourceKey: p.ID, CreatedAt: p.Date, UpdatedAt: p.Date}
	}
	n, err := insertNew(ctx, tx, &props, len(props))
	if err != nil {
		return nil, fmt.Errorf("insert proposals: %w", err)
	}
	rep.NewProposals = n
	propIDs, err := idsBySource(ctx, tx, "proposals", src)
	if err != nil {
		return nil, err
	}
	if rep.NewComments, err = writeComments(ctx, tx, d, c.ID, src, pids, propIDs); err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE proposals SET comments = (SELECT COUNT(*) FROM comments AS cm
		WHERE cm.proposal_id = proposals.id AND cm.state = ? AND cm.deleted_at IS NULL) WHERE consultation_id = ?`, forum.StatePublished, c.ID)
	if err != nil {
		return nil, fmt.Errorf("count comments: %w", err)
	}
	return rep, nil
}

// writeComments inserts the comments level by level (parents before
// replies) so each reply can point at its parent's row id.
func writeComments(ctx context.Context, tx bun.Tx, d *Data, cons int64, src string, pids, propIDs map[string]int64) (int, error) {
	byID := make(map[string]*Comment, len(d.Comments))
	for i := range d.Comments {
		byID[d.Comments[i].ID] = &d.Comments[i]
	}
	depth := map[string]int{}
	var depthOf func(c *Comment, guard int) int
	depthOf = func(c *Comment, guard int) int {
		if v, ok := depth[c.ID]; ok {
			return v
		}
		p, ok := byID[c.ParentID]
		if !ok || guard > len(d.Comments) || p.ProposalID != c.ProposalID {
			depth[c.ID] = 0
			return 0
		}
		depth[c.ID] = depthOf(p, guard+1) + 1
		return depth[c.ID]
	}
	levels := map[int][]*Comment{}
	maxDepth := 0
	for i := range d.Comments {
		k := depthOf(&d.Comments[i], 0)
		levels[k] = append(levels[k], &d.Comments[i])
		maxDepth = max(maxDepth, k)
	}
	ids, total := map[string]int64{}, 0
	for lvl := 0; lvl <= maxDepth; lvl++ {
		rows := make([]forum.Comment, 0, len(levels[lvl]))
		for _, c := range levels[lvl] {
			row := forum.Comment{ConsultationID: cons, ProposalID: propIDs[c.ProposalID], AuthorID: pids[c.UserID], Body: c.Text,
				Alignment: forum.Neutral, State: forum.StatePublished, Up: c.Up, Down: c.Down, ImportedUp: c.Up, ImportedDown: c.Down,
				Source: src, SourceKey: c.ID, SourceParent: c.ParentID, CreatedAt: c.At}
			if lvl > 0 {
				row.ParentID = ids[c.ParentID]
			}
			rows = append(rows, row)
		}
		n, err := insertNew(ctx, tx, &rows, len(rows))
		if err != nil {
			return 0, fmt.Errorf("insert comments (depth %d): %w", lvl, err)
		}
		total += n
		if ids, err = idsBySource(ctx, tx, "comments", src); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// insertNew inserts rows (a pointer to a slice of models) in batches,
// skipping rows whose (source, source_key) exists, and returns how many
// were new.
func insertNew[T any](ctx context.Context, tx bun.Tx, rows *[]T, n int) (int, error) {
	added := 0
	for i := 0; i < n; i += batchSize {
		part := (*rows)[i:min(i+batchSize, n)]
		r, err := tx.NewInsert().Model(&part).ExcludeColumn("id").
			On("CONFLICT (source, source_key) WHERE source <> '' DO NOTHING").Exec(ctx)
		if err != nil {
			return 0, err
		}
		k, _ := r.RowsAffected()
		added += int(k)
	}
	return added, nil
}

func idsBySource(ctx context.Context, tx bun.Tx, table, src string) (map[string]int64, error) {
	var rows []struct {
		ID        int64  `bun:"id"`
		SourceKey string `bun:"source_key"`
	}
	if err := tx.NewSelect().Table(table).Column("id", "source_key").Where("source = ?", src).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("%s of %s: %w", table, src, err)
	}
	m := make(map[string]int64, len(rows))
	for _, r := range rows {
		m[r.SourceKey] = r.ID
	}
	return m, nil
}
