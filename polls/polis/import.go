package polis

import (
	"context"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/uptrace/bun"
)

// batchSize bounds rows per INSERT: 1,000 rows × 4 columns stays far below
// SQLite's and PostgreSQL's limits on bound parameters.
const batchSize = 1000

// Report sums up an import. Agree, Disagree and Pass count all imported
// votes, hidden statements included.
type Report struct {
	ConsultationID int64
	Slug           string
	Title          string
	Statements     int
	Hidden         int
	Participants   int
	Votes          int
	Agree          int
	Disagree       int
	Pass           int
}

// Source is the participants' source name for conversation key, e.g.
// "polis:2rumnecbeh"; participants are keyed by the export's participant id.
func Source(key string) string { return "polis:" + key }

// Import reads the export in dir and writes it as one consultation in one
// transaction with its audit row ("consultation_import", by the system);
// see Read for the files. now stamps new rows that the export
// has no time for.
func Import(ctx context.Context, db *bun.DB, dir string, now time.Time) (*Report, error) {
	conv, err := Read(dir)
	if err != nil {
		return nil, err
	}
	var rep *Report
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		rep, err = write(ctx, tx, conv, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func write(ctx context.Context, tx bun.Tx, conv *Conversation, now time.Time) (*Report, error) {
	texts := []string{conv.Topic, conv.Description}
	for _, cm := range conv.Comments {
		texts = append(texts, cm.Text)
	}
	c := &forum.Consultation{
		Title: conv.Topic, Description: conv.Description, Source: "polis", SourceKey: conv.Key, SourceURL: conv.URL,
		ContentLang: forum.DetectLang(texts...), // the conversation's language, whatever it is
	}
	if err := forum.UpsertImportedConsultation(ctx, tx, c, now); err != nil {
		return nil, err
	}
	if err := forum.Audit(ctx, tx, forum.Viewer{}, "consultation_import", "consultation", c.ID, c.ID, c.Source+":"+c.SourceKey, now); err != nil {
		return nil, err
	}
	rep := &Report{ConsultationID: c.ID, Slug: c.Slug, Title: c.Title, Participants: len(conv.Participants)}

	source := Source(conv.Key)
	people := make([]forum.Participant, len(conv.Participants))
	for i, p := range conv.Participants {
		people[i] = forum.Participant{PublicID: forum.NewPublicID(), Kind: forum.ParticipantImported,
			Source: source, SourceKey: p, CreatedAt: now}
	}
	for part := range batches(people) {
		if _, err := tx.NewInsert().Model(&part).On("CONFLICT (source, source_key) DO NOTHING").Exec(ctx); err != nil {
			return nil, fmt.Errorf("insert participants: %w", err)
		}
	}
	pids, err := forum.ParticipantsBySource(ctx, tx, source)
	if err != nil {
		return nil, err
	}

	stmts := make([]polls.Statement, len(conv.Comments))
	for i, cm := range conv.Comments {
		stmts[i] = polls.Statement{ConsultationID: c.ID, SourceKey: cm.ID, AuthorID: pids[cm.AuthorID],
			Text: cm.Text, Hidden: cm.Hidden, CreatedAt: cm.Created}
		if cm.Hidden {
			rep.Hidden++
		}
	}
	rep.Statements = len(stmts)
	for part := range batches(stmts) {
		_, err := tx.NewInsert().Model(&part).
			On("CONFLICT (consultation_id, source_key) WHERE source_key <> '' DO UPDATE").
			Set("text = EXCLUDED.text").Set("hidden = EXCLUDED.hidden").Set("author_id = EXCLUDED.author_id").
			Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("insert statements: %w", err)
		}
	}
	sids, err := polls.StatementsBySource(ctx, tx, c.ID)
	if err != nil {
		return nil, err
	}

	votes := make([]polls.StatementVote, len(conv.Votes))
	for i, v := range conv.Votes {
		at := v.Time
		if at.IsZero() {
			at = now
		}
		votes[i] = polls.StatementVote{StatementID: sids[v.Comment], ParticipantID: pids[v.Participant], Value: v.Value, VotedAt: at}
		switch v.Value {
		case polls.Agree:
			rep.Agree++
		case polls.Disagree:
			rep.Disagree++
		default:
			rep.Pass++
		}
	}
	rep.Votes = len(votes)
	for part := range batches(votes) {
		_, err := tx.NewInsert().Model(&part).
			On("CONFLICT (statement_id, participant_id) DO UPDATE").
			Set("value = EXCLUDED.value").Set("voted_at = EXCLUDED.voted_at").
			Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("insert votes: %w", err)
		}
	}
	if err := polls.Recount(ctx, tx, c.ID); err != nil {
		return nil, err
	}
	return rep, nil
}

// batches yields consecutive slices of at most batchSize elements of s.
func batches[T any](s []T) func(yield func([]T) bool) {
	return func(yield func([]T) bool) {
		for len(s) > 0 {
			n := min(batchSize, len(s))
			if !yield(s[:n]) {
				return
			}
			s = s[n:]
		}
	}
}
