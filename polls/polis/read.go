package polis

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Read parses the export in dir. It needs summary.csv and comments.csv, and
// votes.csv or, when that is absent, participants-votes.csv. Of several votes
// by one participant on one comment the latest by timestamp counts (on equal
// timestamps, the later row). Errors are *RowError values or file errors.
func Read(dir string) (*Conversation, error) {
	c := &Conversation{}
	if err := readSummary(dir, c); err != nil {
		return nil, err
	}
	if err := readComments(dir, c); err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(c.Comments))
	for _, cm := range c.Comments {
		known[cm.ID] = true
	}
	var err error
	if _, statErr := os.Stat(filepath.Join(dir, "votes.csv")); statErr == nil {
		err = readVotes(dir, c, known)
	} else if errors.Is(statErr, fs.ErrNotExist) {
		err = readMatrix(dir, c, known)
	} else {
		err = statErr
	}
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, v := range c.Votes {
		seen[v.Participant] = true
	}
	for _, cm := range c.Comments {
		seen[cm.AuthorID] = true
	}
	for p := range seen {
		c.Participants = append(c.Participants, p)
	}
	sort.Slice(c.Participants, func(i, j int) bool { return numLess(c.Participants[i], c.Participants[j]) })
	return c, nil
}

func readSummary(dir string, c *Conversation) error {
	t, err := readTable(dir, "summary.csv")
	if err != nil {
		return err
	}
	// summary.csv is key,value pairs; its first row is read as the header.
	pairs := append([][]string{t.names}, t.rows...)
	for _, p := range pairs {
		if len(p) < 2 {
			continue
		}
		switch strings.TrimSpace(p[0]) {
		case "topic":
			c.Topic = strings.TrimSpace(p[1])
		case "conversation-description":
			c.Description = strings.TrimSpace(p[1])
		case "url":
			c.URL = strings.TrimSpace(p[1])
		}
	}
	if i := strings.LastIndex(c.URL, "/"); i >= 0 && i+1 < len(c.URL) {
		c.Key = c.URL[i+1:]
	}
	if c.Key == "" {
		c.Key = filepath.Base(filepath.Clean(dir))
	}
	if c.Topic == "" {
		c.Topic = filepath.Base(filepath.Clean(dir))
	}
	return nil
}

func readComments(dir string, c *Conversation) error {
	t, err := readTable(dir, "comments.csv")
	if err != nil {
		return err
	}
	col, err := t.need("timestamp", "comment-id", "author-id", "moderated", "comment-body")
	if err != nil {
		return err
	}
	ids := map[string]bool{}
	for i := range t.rows {
		created, err := parseMillis(t, i, col[0])
		if err != nil {
			return err
		}
		id, err := parseID(t, i, col[1], "comment-id")
		if err != nil {
			return err
		}
		if ids[id] {
			return t.errorf(i, "comment-id %s appears twice", id)
		}
		ids[id] = true
		author, err := parseID(t, i, col[2], "author-id")
		if err != nil {
			return err
		}
		mod := strings.TrimSpace(t.field(i, col[3]))
		if mod != "-1" && mod != "0" && mod != "1" {
			return t.errorf(i, "moderated %q must be -1, 0 or 1", mod)
		}
		text := strings.TrimSpace(t.field(i, col[4]))
		if text == "" {
			return t.errorf(i, "comment-body is empty")
		}
		c.Comments = append(c.Comments, Comment{ID: id, AuthorID: author, Text: text, Hidden: mod == "-1", Created: created})
	}
	sort.SliceStable(c.Comments, func(i, j int) bool { return numLess(c.Comments[i].ID, c.Comments[j].ID) })
	return nil
}

func readVotes(dir string, c *Conversation, known map[string]bool) error {
	t, err := readTable(dir, "votes.csv")
	if err != nil {
		return err
	}
	col, err := t.need("timestamp", "comment-id", "voter-id", "vote")
	if err != nil {
		return err
	}
	type key struct{ p, c string }
	latest := make(map[key]int, len(t.rows))
	for i := range t.rows {
		at, err := parseMillis(t, i, col[0])
		if err != nil {
			return err
		}
		cid, err := parseID(t, i, col[1], "comment-id")
		if err != nil {
			return err
		}
		if !known[cid] {
			return t.errorf(i, "comment-id %s is not in comments.csv", cid)
		}
		pid, err := parseID(t, i, col[2], "voter-id")
		if err != nil {
			return err
		}
		v, err := parseVote(t, i, col[3])
		if err != nil {
			return err
		}
		k := key{pid, cid}
		if j, ok := latest[k]; ok && c.Votes[j].Time.After(at) {
			continue
		} else if ok {
			c.Votes[j] = Vote{Participant: pid, Comment: cid, Value: v, Time: at}
			continue
		}
		latest[k] = len(c.Votes)
		c.Votes = append(c.Votes, Vote{Participant: pid, Comment: cid, Value: v, Time: at})
	}
	return nil
}

// readMatrix reads participants-votes.csv: one row per participant, one
// column per comment id (after six summary columns), each cell that
// participant's latest vote or blank.
func readMatrix(dir string, c *Conversation, known map[string]bool) error {
	t, err := readTable(dir, "participants-votes.csv")
	if err != nil {
		return err
	}
	pcol, err := t.need("participant")
	if err != nil {
		return err
	}
	var cols []int
	for j, name := range t.names {
		if _, err := strconv.ParseUint(name, 10, 64); err == nil {
			if !known[name] {
				return &RowError{File: t.file, Row: 1, Msg: "comment-id " + name + " is not in comments.csv"}
			}
			cols = append(cols, j)
		}
	}
	for i := range t.rows {
		pid, err := parseID(t, i, pcol[0], "participant")
		if err != nil {
			return err
		}
		for _, j := range cols {
			if strings.TrimSpace(t.field(i, j)) == "" {
				continue
			}
			v, err := parseVote(t, i, j)
			if err != nil {
				return err
			}
			c.Votes = append(c.Votes, Vote{Participant: pid, Comment: t.names[j], Value: v, Time: time.Time{}})
		}
	}
	return nil
}

// numLess orders decimal id strings numerically.
func numLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
