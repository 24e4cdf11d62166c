package search

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
)

// Source is how the package that owns one kind of row turns its rows into
// documents. Search reads no domain table itself: the owner (forum for
// consultations, proposals and comments, polls for statements, live
// sessions for questions) describes its kind with a Source, and cmd, which
// knows every package, registers them all in one Registry.
type Source struct {
	// Kind is the document kind, the prefix of the document IDs
	// ("proposal" for "proposal:42").
	Kind string
	// Load returns the current records of rows ids, in any order; ids with
	// no row are left out. A record whose visibility is "hidden" (not
	// published, deleted, pending) is removed from the index.
	Load func(ctx context.Context, db bun.IDB, ids []int64) ([]Record, error)
	// Scan returns up to limit records of rows with an id above after, in
	// id order, hidden ones included (Reindex skips them).
	Scan func(ctx context.Context, db bun.IDB, after int64, limit int) ([]Record, error)
	// Follows lists, by the kind of another change, the rows of this kind
	// whose documents that change may alter: a consultation made draft
	// changes every document in it, a hidden proposal its comments. The
	// other kind is a document kind or a change notice that an owner's
	// trigger writes for a table that has no documents of its own (e.g.
	// "live_session"). Each function returns row ids of this kind.
	Follows map[string]func(ctx context.Context, db bun.IDB, ids []int64) ([]int64, error)
}

// Record is one searchable row as the database has it now: its Document
// and what a result page needs to link to it.
type Record struct {
	Doc Document
	// ConsultationSlug is the slug of the consultation the row belongs to.
	ConsultationSlug string
	// ProposalID is the proposal of a proposal or comment (0 for a comment
	// on the consultation itself and for other kinds).
	ProposalID int64
	// SessionCode is a live question's session join code.
	SessionCode string
	// ProposalTitle is the title of a comment's proposal, for naming the
	// comment in results ("Komentar pada: …"); it is not indexed.
	ProposalTitle string
	// Path, when set, is the page of the record (a draft regulation's unit
	// or input, e.g. "/k/sampah/rancangan/3#pasal-3-ayat-2").
	Path string
}

// Hidden reports whether the record must not be in the index.
func (r Record) Hidden() bool { return r.Doc.Visibility == VisibilityHidden }

// DocID returns the document ID of row id of kind k, e.g. "proposal:42".
func DocID(k string, id int64) string { return k + ":" + strconv.FormatInt(id, 10) }

// ParseDocID splits a document ID made by DocID; ok is false for any other
// string.
func ParseDocID(s string) (kind string, id int64, ok bool) {
	k, n, found := strings.Cut(s, ":")
	if !found || k == "" {
		return "", 0, false
	}
	id, err := strconv.ParseInt(n, 10, 64)
	if err != nil || id <= 0 {
		return "", 0, false
	}
	return k, id, true
}

// Registry holds the Sources of every document kind. It is built once
// (NewRegistry) and is then read-only and safe for concurrent use.
type Registry struct {
	sources []Source
	byKind  map[string]*Source
}

// NewRegistry returns the registry of sources. It fails with ErrInvalid
// for a source without a kind, Load or Scan, for a kind that is not a
// document kind, and for a kind registered twice.
func NewRegistry(sources ...Source) (*Registry, error) {
	r := &Registry{sources: slices.Clone(sources), byKind: map[string]*Source{}}
	for i := range r.sources {
		s := &r.sources[i]
		switch {
		case !validKind(s.Kind) || s.Load == nil || s.Scan == nil:
			return nil, fmt.Errorf("%w: source %q without a document kind, Load or Scan", ErrInvalid, s.Kind)
		case r.byKind[s.Kind] != nil:
			return nil, fmt.Errorf("%w: source %q registered twice", ErrInvalid, s.Kind)
		}
		r.byKind[s.Kind] = s
	}
	return r, nil
}

// Kinds returns the registered kinds in registration order (the order of
// Reindex).
func (r *Registry) Kinds() []string {
	out := make([]string, len(r.sources))
	for i, s := range r.sources {
		out[i] = s.Kind
	}
	return out
}

// loadChunk bounds the ids of one Load call, below SQLite's and
// PostgreSQL's limits on bound parameters.
const loadChunk = 500

// Load returns the current records of documents ids (as made by DocID), by
// document ID; ids that name no row or no registered kind are absent. It
// runs one query per kind and 500 ids.
func (r *Registry) Load(ctx context.Context, db bun.IDB, ids []string) (map[string]Record, error) {
	byKind := map[string][]int64{}
	for _, s := range ids {
		if k, id, ok := ParseDocID(s); ok && r.byKind[k] != nil {
			byKind[k] = append(byKind[k], id)
		}
	}
	out := make(map[string]Record, len(ids))
	for _, s := range r.sources {
		rows := byKind[s.Kind]
		for len(rows) > 0 {
			n := min(len(rows), loadChunk)
			recs, err := s.Load(ctx, db, rows[:n])
			if err != nil {
				return nil, fmt.Errorf("search: load %s documents: %w", s.Kind, err)
			}
			for _, rec := range recs {
				out[rec.Doc.ID] = rec
			}
			rows = rows[n:]
		}
	}
	return out, nil
}

// expand returns ids (document IDs or change notices) with the documents
// that follow them (Source.Follows), without repeats; change notices with
// no document of their own are left out.
func (r *Registry) expand(ctx context.Context, db bun.IDB, ids []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			if k, _, ok := ParseDocID(id); ok && r.byKind[k] != nil {
				out = append(out, id)
			}
		}
	}
	changed := map[string][]int64{}
	for _, id := range ids {
		add(id)
		if k, n, ok := ParseDocID(id); ok {
			changed[k] = append(changed[k], n)
		}
	}
	for _, s := range r.sources {
		for k, follow := range s.Follows {
			rows := changed[k]
			for len(rows) > 0 {
				n := min(len(rows), loadChunk)
				got, err := follow(ctx, db, rows[:n])
				if err != nil {
					return nil, fmt.Errorf("search: %s documents following %s changes: %w", s.Kind, k, err)
				}
				for _, id := range got {
					add(DocID(s.Kind, id))
				}
				rows = rows[n:]
			}
		}
	}
	return out, nil
}

// Checked is a search result re-read from the database: the hits the
// viewer may read now, with their current records, and the hits that were
// dropped because the index was stale.
type Checked struct {
	// Hits are the hits that passed, in their order.
	Hits []Hit
	// Records holds the current record of each passing hit, by ID.
	Records map[string]Record
	// Stale are the IDs of hits whose row is gone or that the viewer may no
	// longer read; pass them to Enqueue so the indexer repairs them.
	Stale []string
}

// Check re-reads the rows behind hits and keeps those that v may read
// according to the database now, so that content deleted, hidden or moved
// to a focus group since it was indexed is never shown, even before the
// indexer catches up (CASES C21).
func (r *Registry) Check(ctx context.Context, db bun.IDB, v Viewer, hits []Hit) (Checked, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	recs, err := r.Load(ctx, db, ids)
	if err != nil {
		return Checked{}, fmt.Errorf("search: check hits: %w", err)
	}
	out := Checked{Hits: make([]Hit, 0, len(hits)), Records: make(map[string]Record, len(hits))}
	for _, h := range hits {
		rec, ok := recs[h.ID]
		if !ok || !Readable(v, rec.Doc) {
			out.Stale = append(out.Stale, h.ID)
			continue
		}
		out.Hits = append(out.Hits, h)
		out.Records[h.ID] = rec
	}
	return out, nil
}
