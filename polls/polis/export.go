package polis

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/report"
	"github.com/uptrace/bun"
)

// ExportReport sums up an export.
type ExportReport struct {
	Statements   int
	Participants int
	Votes        int
	Groups       int
}

// polisTime is the "datetime" column's layout in Pol.is exports.
const polisTime = "Mon Jan 02 15:04:05 MST 2006"

// Export writes consultation c in the Pol.is open-data format (summary.csv,
// comments.csv, votes.csv, participants-votes.csv) into dir, creating it.
// It is open data, so:
//   - it is pseudonymous: participants are numbered 0..n−1 by their first
//     activity (first vote or statement on this consultation), never by
//     internal ids, public ids, source ids or guest cookies; statements are
//     numbered 0..m−1 in their order; statements written by the organisers
//     (no author) get the author id n, one past the last participant;
//   - hidden statements, their text and the votes on them are left out
//     (CASES C19), as are authors whose only statements are hidden;
//   - every text cell is formula-safe (report.SafeCell, CASES C06).
//
// group-id in participants-votes.csv is the opinion group (see
// polls/report) or blank for participants not grouped.
func Export(ctx context.Context, db bun.IDB, c *forum.Consultation, dir string) (*ExportReport, error) {
	var stmts []polls.Statement
	err := db.NewSelect().Model(&stmts).Where("consultation_id = ? AND hidden = ?", c.ID, false).
		Order("created_at", "id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("export %d: statements: %w", c.ID, err)
	}
	votes, err := report.LoadVotes(ctx, db, c.ID)
	if err != nil {
		return nil, err
	}
	a, err := report.Analyze(ctx, db, c.ID, report.Settings{})
	if err != nil {
		return nil, err
	}
	// Number participants by first activity, ties by row id (the row id
	// itself is never written).
	first := map[int64]time.Time{}
	touch := func(pid int64, at time.Time) {
		if f, ok := first[pid]; !ok || at.Before(f) {
			first[pid] = at
		}
	}
	for _, v := range votes {
		touch(v.Participant, v.At)
	}
	for _, s := range stmts {
		if s.AuthorID != 0 {
			touch(s.AuthorID, s.CreatedAt)
		}
	}
	order := make([]int64, 0, len(first))
	for pid := range first {
		order = append(order, pid)
	}
	sort.Slice(order, func(i, j int) bool {
		fi, fj := first[order[i]], first[order[j]]
		if !fi.Equal(fj) {
			return fi.Before(fj)
		}
		return order[i] < order[j]
	})
	num := make(map[int64]int, len(order))
	for i, pid := range order {
		num[pid] = i
	}
	organiser := len(order)
	sid := make(map[int64]int, len(stmts))
	for i, s := range stmts {
		sid[s.ID] = i
	}
	group := map[int64]int{}
	for _, p := range a.Opinion.Participants {
		group[p.ID] = p.Group
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	rep := &ExportReport{Statements: len(stmts), Participants: len(order), Votes: len(votes), Groups: len(a.Opinion.Groups)}
	agrees, disagrees := make([]int, len(stmts)), make([]int, len(stmts))
	ps := make([]struct{ comments, votes, agree, disagree int }, len(order))
	matrix := make([]map[int]int8, len(order))
	for _, v := range votes {
		i, p := sid[v.Statement], num[v.Participant]
		switch v.Value {
		case polls.Agree:
			agrees[i]++
			ps[p].agree++
		case polls.Disagree:
			disagrees[i]++
			ps[p].disagree++
		}
		ps[p].votes++
		if matrix[p] == nil {
			matrix[p] = map[int]int8{}
		}
		matrix[p][i] = v.Value
	}
	author := func(s polls.Statement) int {
		if n, ok := num[s.AuthorID]; ok && s.AuthorID != 0 {
			return n
		}
		return organiser
	}
	for _, s := range stmts {
		if n := author(s); n < len(ps) {
			ps[n].comments++
		}
	}
	ms := func(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
	itoa := strconv.Itoa

	err = writeCSV(dir, "summary.csv", func(w *forum.CSVWriter) error {
		commenters, voters := map[int]bool{}, 0
		for _, p := range ps {
			if p.votes > 0 {
				voters++
			}
		}
		for _, s := range stmts {
			commenters[author(s)] = true
		}
		for _, kv := range [][2]string{
			{"topic", c.Title}, {"url", c.SourceURL}, {"views", itoa(len(order))}, {"voters", itoa(voters)},
			{"voters-in-conv", itoa(voters)}, {"commenters", itoa(len(commenters))},
			{"comments", itoa(len(stmts))}, {"groups", itoa(len(a.Opinion.Groups))},
			{"conversation-description", c.Description},
		} {
			if err := w.Write(kv[0], kv[1]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = writeCSV(dir, "comments.csv", func(w *forum.CSVWriter) error {
		if err := w.Write("timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"); err != nil {
			return err
		}
		for i, s := range stmts {
			err := w.Write(ms(s.CreatedAt), s.CreatedAt.UTC().Format(polisTime), itoa(i), itoa(author(s)),
				itoa(agrees[i]), itoa(disagrees[i]), "1", s.Text)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = writeCSV(dir, "votes.csv", func(w *forum.CSVWriter) error {
		if err := w.Write("timestamp", "datetime", "comment-id", "voter-id", "vote"); err != nil {
			return err
		}
		sorted := make([]report.TimedVote, len(votes))
		copy(sorted, votes)
		sort.SliceStable(sorted, func(i, j int) bool {
			a, b := sorted[i], sorted[j]
			if sid[a.Statement] != sid[b.Statement] {
				return sid[a.Statement] < sid[b.Statement]
			}
			return num[a.Participant] < num[b.Participant]
		})
		for _, v := range sorted {
			err := w.Write(ms(v.At), v.At.UTC().Format(polisTime), itoa(sid[v.Statement]), itoa(num[v.Participant]),
				strconv.Itoa(int(v.Value)))
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = writeCSV(dir, "participants-votes.csv", func(w *forum.CSVWriter) error {
		head := []string{"participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
		for i := range stmts {
			head = append(head, itoa(i))
		}
		if err := w.Write(head...); err != nil {
			return err
		}
		for p, pid := range order {
			g := ""
			if gi, ok := group[pid]; ok && gi >= 0 {
				g = itoa(gi)
			}
			row := []string{itoa(p), g, itoa(ps[p].comments), itoa(ps[p].votes), itoa(ps[p].agree), itoa(ps[p].disagree)}
			for i := range stmts {
				if v, ok := matrix[p][i]; ok {
					row = append(row, strconv.Itoa(int(v)))
				} else {
					row = append(row, "")
				}
			}
			if err := w.Write(row...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// writeCSV creates dir/name and fills it with fill, removing a partial file
// on error.
func writeCSV(dir, name string, fill func(*forum.CSVWriter) error) error {
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := forum.NewCSVWriter(f)
	err = fill(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path) //nolint:errcheck // best effort
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}
