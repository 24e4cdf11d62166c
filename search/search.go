// Package search finds rembug's documents — consultations, proposals,
// comments, statements, live questions and complaints — by full text, in
// Bahasa Indonesia and English, and never returns what the viewer may not
// read.
//
// This package is a leaf: the Document, Query and Result types, the Index
// interface, the visibility filter (Viewer) and the outbox. It links no
// engine, so the domain packages that describe their documents here stay
// free of Bleve and Meilisearch. Two engines implement Index with the same
// behaviour: search/bleve, embedded and on disk (the default), and
// search/meili, Meilisearch through meilisearch-go; both share the text
// analysis of search/analysis and pass the contract suite of
// search/searchtest. Only cmd picks one.
//
// Visibility is part of every engine query (Viewer): public documents for
// everyone, group:<id> documents for that focus group's members, staff
// documents for staff, hidden documents for no one — hits, totals and facet
// counts alike.
//
// Search knows documents, not the forum. Each package that owns searchable
// rows describes them with a Source (load by ids, scan for Reindex, the
// changes its documents follow); cmd registers them all in a Registry.
//
// A change that alters an indexed field enqueues by construction: the
// owner's migrations create database triggers (Triggers) on its indexed
// tables that write the document's ID to the outbox table on every insert,
// delete and update of an indexed column, in the writing transaction. We
// chose triggers over a single save path in each Store because they also
// cover what no Store method sees — imports, counters updated in SQL (a
// statement vote, a support), cascading deletes and code written later —
// and because they leave the domain's write code free of search calls. An
// Indexer applies the outbox idempotently (it loads each named document's
// current state) and retries; Reindex rebuilds an index from the sources.
//
// Concurrency: Index implementations are safe for concurrent use; DeleteAll
// and Close wait for searches and writes in flight. An Indexer runs one
// drain at a time.
package search

import (
	"context"
	"errors"
	"html/template"
	"time"
)

// Index is a full-text index of Documents. Implementations are safe for
// concurrent use.
type Index interface {
	// Index adds docs or replaces the documents with the same IDs (upsert).
	// Text is sanitized to valid UTF-8 first. It returns an error wrapping
	// ErrInvalid for a document without an ID, kind or valid visibility,
	// and the engine's error otherwise; a failed call may have applied some
	// of docs, and repeating it is safe.
	Index(ctx context.Context, docs ...Document) error
	// Delete removes the documents with ids; unknown ids are ignored, so
	// repeating a delete is safe.
	Delete(ctx context.Context, ids ...string) error
	// Search runs q for q.Viewer. An empty q.Text browses all the documents
	// the viewer may read. It returns an error wrapping ErrInvalid for a bad
	// sort or page.
	Search(ctx context.Context, q Query) (Result, error)
	// DeleteAll empties the index (used before a full reindex).
	DeleteAll(ctx context.Context) error
	// Close releases the index; other methods fail afterwards.
	Close() error
}

// ErrInvalid marks errors caused by a bad document or query rather than by
// the engine.
var ErrInvalid = errors.New("search: invalid input")

// ErrClosed is returned by an Index used after Close.
var ErrClosed = errors.New("search: index closed")

// Document kinds.
const (
	KindConsultation = "consultation"
	KindProposal     = "proposal"
	KindComment      = "comment"
	KindStatement    = "statement"
	KindQuestion     = "question"
	KindComplaint    = "complaint"
	KindDraftUnit    = "draft_unit"  // a unit (Pasal, ayat, …) of a draft regulation's current version
	KindDraftInput   = "draft_input" // a citizen's input on a draft regulation's unit
)

// Visibility values; a focus group's documents use GroupVisibility(id).
const (
	VisibilityPublic = "public"
	VisibilityStaff  = "staff"
	VisibilityHidden = "hidden"
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
	SortSupported = "supported"
)

// Document is one searchable item.
type Document struct {
	// ID is unique across kinds, e.g. "proposal:42".
	ID string `json:"id"`
	// Kind is one of the Kind constants.
	Kind string `json:"kind"`
	// Title and Body are plain text (never HTML).
	Title string `json:"title"`
	Body  string `json:"body,omitempty"`
	// Topics are tags such as "transportasi".
	Topics []string `json:"topics,omitempty"`
	// ConsultationID is the consultation the document belongs to (its own
	// id for a consultation), 0 for none.
	ConsultationID int64 `json:"consultation_id,omitempty"`
	// Status is the kind's workflow state, e.g. "open", "accepted".
	Status string `json:"status,omitempty"`
	// Visibility is "public", "group:<focus group id>", "staff" or
	// "hidden".
	Visibility string `json:"visibility"`
	// Readers are further audiences that read the document besides its
	// Visibility (a private complaint: its reporter and the agencies it is
	// routed to): "user:<id>" (UserReader), "agency:<id>" (AgencyReader) or
	// "analyst" (ReaderAnalyst). Ignored when Visibility is "hidden".
	Readers []string `json:"readers,omitempty"`
	// Created is when the item was created.
	Created time.Time `json:"created"`
	// Supports is the number of supports (proposals) or upvotes
	// (questions).
	Supports int `json:"supports,omitempty"`
	// Language is "id", "en" or "" (unknown: analysed both ways).
	Language string `json:"language,omitempty"`
}

// Viewer is who is searching: the source of the visibility filter.
type Viewer struct {
	// Staff sees staff-only documents (complaints, moderation).
	Staff bool
	// Groups are the focus groups the viewer is a member of.
	Groups []int64
	// Readers are the audiences the viewer belongs to (Document.Readers):
	// their own "user:<id>", "agency:<id>" per agency they are an officer
	// of, "analyst".
	Readers []string
}

// Query is one search request.
type Query struct {
	// Text is the user's words; empty browses.
	Text string
	// Kinds, Topics and Statuses filter by any of their values; empty
	// means no filter.
	Kinds, Topics, Statuses []string
	// ConsultationID filters by consultation when not 0.
	ConsultationID int64
	// Sort is relevance, newest or supported; empty means relevance for
	// text and newest for browsing.
	Sort string
	// Page counts from 1 (0 means 1); PerPage defaults to 20, at most
	// MaxPerPage. Page*PerPage may not exceed MaxWindow.
	Page, PerPage int
	// Viewer decides which documents may come back.
	Viewer Viewer
}

// Paging limits.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
	MaxWindow      = 10000
)

// Result is one page of hits with counts over all the matching documents.
type Result struct {
	// Total is how many visible documents match.
	Total int
	// Hits is the requested page.
	Hits []Hit
	// Facets count matching visible documents by value.
	Facets Facets
}

// Hit is one matching document.
type Hit struct {
	ID    string
	Kind  string
	Title string
	// Snippet is an excerpt of the title or body with the matched words in
	// <mark>; the text is HTML-escaped before the marks are added.
	Snippet template.HTML
	// Score is the engine's relevance score (higher is better; 0 when
	// browsing).
	Score float64
}

// Facets hold counts per value, largest first.
type Facets struct {
	Kinds         []FacetCount
	Consultations []FacetCount
	Topics        []FacetCount
	Statuses      []FacetCount
}

// FacetCount is one facet value and its number of documents.
type FacetCount struct {
	Value string
	Count int
}

// FacetSize bounds the values returned per facet.
const FacetSize = 20
