package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/rancangan"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/realtime/live"
	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/bleve"
	"github.com/rembug/rembug/search/meili"
	"github.com/rembug/rembug/web"
)

// meiliIndexName is the Meilisearch index rembug owns.
const meiliIndexName = "rembug"

// openSearch opens the search index: Meilisearch when REMBUG_MEILI_URL is
// set (with REMBUG_MEILI_KEY), else Bleve on disk in <data>/search. It
// reports whether the index starts empty and must be rebuilt (a new or
// outdated Bleve index).
func (c *config) openSearch(ctx context.Context) (idx search.Index, fresh bool, err error) {
	if url := env("REMBUG_MEILI_URL", ""); url != "" {
		m, err := meili.New(ctx, url, env("REMBUG_MEILI_KEY", ""), meiliIndexName)
		if err != nil {
			return nil, false, fmt.Errorf("search: meilisearch at %s: %w", url, err)
		}
		return m, false, nil
	}
	b, err := bleve.Open(filepath.Join(c.DataDir, "search"))
	if err != nil {
		return nil, false, err
	}
	return b, b.NeedsReindex(), nil
}

// searchCheck is /readyz's check of the search engine: a one-hit browse,
// which reaches Meilisearch over HTTP and Bleve on disk.
func searchCheck(idx search.Index) web.Check {
	return web.Check{Name: "search", Ping: func(ctx context.Context) error {
		_, err := idx.Search(ctx, search.Query{PerPage: 1})
		return err
	}}
}

// searchKind names the engine for logs.
func searchKind(idx search.Index) string {
	if _, ok := idx.(*meili.Index); ok {
		return "meilisearch"
	}
	return "bleve"
}

// searchSources registers the document sources of every package that owns
// searchable rows: forum (consultations, proposals, comments), draft
// regulations (units, inputs), polls (statements) and live sessions
// (questions). Only cmd knows them all.
func searchSources() (*search.Registry, error) {
	srcs := append(forum.SearchSources(), rancangan.SearchSources()...)
	return search.NewRegistry(append(srcs, polls.SearchSource(), live.SearchSource(), complaint.SearchSource())...)
}

// indexer applies the search outbox to idx. Bleve keeps an index per node,
// so every node must apply every change: the outbox is read as a log with
// this node's own cursor, named after the host and listen address
// (nodeName), and pruned once every node has passed (search/cursor.go).
// Meilisearch is one index for all nodes: whichever node takes a row
// applies and deletes it.
func (c *config) indexer(db *bun.DB, idx search.Index, sources *search.Registry, log *slog.Logger) *search.Indexer {
	ix := &search.Indexer{DB: db, Index: idx, Sources: sources, Log: log}
	if _, shared := idx.(*meili.Index); !shared {
		ix.Node = nodeName(c.Addr)
	}
	return ix
}

// runIndexer keeps ix's index in step with the database until ctx ends: it
// first rebuilds a fresh index from the database, then applies the search
// outbox (search.Indexer.Run). It is the serve command's one search
// goroutine and returns when ctx is cancelled.
func runIndexer(ctx context.Context, ix *search.Indexer, fresh bool, log *slog.Logger) {
	if fresh {
		n, err := ix.Rebuild(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("search: initial reindex", "documents", n, "err", err)
		} else {
			log.Info("search: index rebuilt from the database", "documents", n)
		}
	}
	_ = ix.Run(ctx) // returns ctx's error at shutdown
}
