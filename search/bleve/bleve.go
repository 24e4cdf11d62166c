// Package bleve is the embedded search engine: a search.Index on Bleve
// (scorch segments on disk, or in memory for tests), with rembug's
// Indonesian and English analysis (search/analysis). It is the default
// engine; the contract suite of search/searchtest checks it.
//
// Concurrency: an Index is safe for concurrent use; DeleteAll and Close
// wait for searches and writes in flight.
package bleve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/analysis"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Bleve field names.
const (
	fKind, fVisibility, fStatus = "kind", "visibility", "status"
	fTopics, fConsultation      = "topics", "consultation"
	fTitle, fBody               = "title", "body"
	fTitleID, fBodyID, fWordsID = "title_id", "body_id", "words_id"
	fTitleEN, fBodyEN           = "title_en", "body_en"
	fCreated, fSupports         = "created", "supports"
	mappingVersionKey           = "rembug_mapping_version"
	mappingVersion              = "2" // 2: markdown bodies indexed as plain text
	bleveBatchSize              = 500
	bleveMetaFile               = "index_meta.json"
)

// Index is the embedded engine: a Bleve index (scorch, on disk, or in
// memory for tests) implementing search.Index. It is safe for concurrent
// use.
type Index struct {
	dir string // "" for an in-memory index
	an  *analysis.Analyzers

	mu     sync.RWMutex
	idx    blevesearch.Index // nil after Close
	fresh  atomic.Bool
	browse browseCache
}

// Open opens the index in dir, creating it (and dir) when missing. An
// index written by an older mapping is removed and created empty;
// NeedsReindex then reports true. Errors come from the file system or
// Bleve.
func Open(dir string) (*Index, error) {
	an, err := analysis.New()
	if err != nil {
		return nil, err
	}
	b := &Index{dir: dir, an: an}
	if _, err := os.Stat(filepath.Join(dir, bleveMetaFile)); err == nil {
		idx, err := blevesearch.Open(dir)
		if err != nil {
			return nil, fmt.Errorf("search: open bleve index %s: %w", dir, err)
		}
		v, err := idx.GetInternal([]byte(mappingVersionKey))
		if err == nil && string(v) == mappingVersion {
			b.idx = idx
			return b, nil
		}
		idx.Close()
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("search: remove outdated index %s: %w", dir, err)
		}
	}
	if b.idx, err = b.create(); err != nil {
		return nil, err
	}
	return b, nil
}

// NewMemory returns an empty in-memory Bleve index (for tests and
// tools); its contents are lost on Close.
func NewMemory() (*Index, error) {
	an, err := analysis.New()
	if err != nil {
		return nil, err
	}
	b := &Index{an: an}
	if b.idx, err = b.create(); err != nil {
		return nil, err
	}
	return b, nil
}

// NeedsReindex reports whether the index was created empty by Open or
// NewMemory (first start or mapping change), so the caller should run
// Reindex.
func (b *Index) NeedsReindex() bool {
	return b.fresh.Load()
}

// create makes a new empty index in b.dir (or in memory).
func (b *Index) create() (blevesearch.Index, error) {
	m, err := newBleveMapping()
	if err != nil {
		return nil, err
	}
	var idx blevesearch.Index
	if b.dir == "" {
		idx, err = blevesearch.NewUsing("", m, scorch.Name, scorch.Name, nil) // scorch without a path keeps its segments in memory
	} else {
		if err = os.MkdirAll(filepath.Dir(b.dir), 0o750); err == nil {
			idx, err = blevesearch.NewUsing(b.dir, m, scorch.Name, scorch.Name, nil)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("search: create bleve index %q: %w", b.dir, err)
	}
	if err := idx.SetInternal([]byte(mappingVersionKey), []byte(mappingVersion)); err != nil {
		idx.Close()
		return nil, fmt.Errorf("search: write mapping version: %w", err)
	}
	b.fresh.Store(true)
	b.browse.invalidate()
	return idx, nil
}

// newBleveMapping describes the stored document: keyword fields for
// filters and facets, title and body stored for snippets, and analysed
// copies per language.
func newBleveMapping() (*mapping.IndexMappingImpl, error) {
	m := blevesearch.NewIndexMapping()
	if err := analysis.Add(m); err != nil {
		return nil, err
	}
	kw := func(store bool) *mapping.FieldMapping {
		f := blevesearch.NewKeywordFieldMapping()
		f.Analyzer, f.Store, f.IncludeInAll = keyword.Name, store, false
		return f
	}
	text := func(analyzer string) *mapping.FieldMapping {
		f := blevesearch.NewTextFieldMapping()
		f.Analyzer, f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = analyzer, false, false, false, false
		return f
	}
	stored := func() *mapping.FieldMapping {
		f := blevesearch.NewTextFieldMapping()
		f.Index, f.Store, f.IncludeInAll, f.DocValues = false, true, false, false
		return f
	}
	num := func() *mapping.FieldMapping {
		f := blevesearch.NewNumericFieldMapping()
		f.Store, f.IncludeInAll = false, false
		return f
	}
	d := blevesearch.NewDocumentStaticMapping()
	d.AddFieldMappingsAt(fKind, kw(true))
	for _, f := range []string{fVisibility, fStatus, fTopics, fConsultation} {
		d.AddFieldMappingsAt(f, kw(false))
	}
	d.AddFieldMappingsAt(fTitle, stored())
	d.AddFieldMappingsAt(fBody, stored())
	d.AddFieldMappingsAt(fTitleID, text(analysis.NameID))
	d.AddFieldMappingsAt(fBodyID, text(analysis.NameID))
	d.AddFieldMappingsAt(fWordsID, text(analysis.NameWords))
	d.AddFieldMappingsAt(fTitleEN, text(analysis.NameEN))
	d.AddFieldMappingsAt(fBodyEN, text(analysis.NameEN))
	d.AddFieldMappingsAt(fCreated, num())
	d.AddFieldMappingsAt(fSupports, num())
	m.DefaultMapping = d
	m.DefaultAnalyzer = keyword.Name
	m.IndexDynamic, m.StoreDynamic, m.DocValuesDynamic = false, false, false
	return m, nil
}

// bleveFields is what Bleve stores and indexes for d.
func bleveFields(d search.Document) map[string]interface{} {
	f := map[string]interface{}{
		fKind: d.Kind, fVisibility: d.Audience(), fTitle: d.Title, fBody: d.Body,
		fCreated: float64(d.Created.Unix()), fSupports: float64(d.Supports),
	}
	if d.Status != "" {
		f[fStatus] = d.Status
	}
	if len(d.Topics) > 0 {
		f[fTopics] = d.Topics
	}
	if d.ConsultationID != 0 {
		f[fConsultation] = strconv.FormatInt(d.ConsultationID, 10)
	}
	if d.Language != "en" {
		f[fTitleID], f[fBodyID], f[fWordsID] = d.Title, d.Body, d.Title+"\n"+d.Body
	}
	if d.Language != "id" {
		f[fTitleEN], f[fBodyEN] = d.Title, d.Body
	}
	return f
}

// Index implements search.Index.Index in batches of 500.
func (b *Index) Index(ctx context.Context, docs ...search.Document) (err error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.idx == nil {
		return search.ErrClosed
	}
	defer search.Recover(&err, "bleve index")
	var errs []error
	batch := b.idx.NewBatch()
	for _, d := range docs {
		d, cerr := search.CleanDocument(d)
		if cerr != nil {
			errs = append(errs, cerr)
			continue
		}
		if err := batch.Index(d.ID, bleveFields(d)); err != nil {
			errs = append(errs, fmt.Errorf("search: index %s: %w", d.ID, err))
			continue
		}
		if batch.Size() >= bleveBatchSize {
			if err := b.flush(ctx, batch); err != nil {
				return errors.Join(append(errs, err)...)
			}
			batch.Reset()
		}
	}
	if err := b.flush(ctx, batch); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (b *Index) flush(ctx context.Context, batch *blevesearch.Batch) error {
	if batch.Size() == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := b.idx.Batch(batch); err != nil {
		b.browse.invalidate() // a failed batch may have applied part of it
		return fmt.Errorf("search: bleve batch: %w", err)
	}
	b.browse.invalidate()
	b.fresh.Store(false)
	return nil
}

// Delete implements search.Index.Delete.
func (b *Index) Delete(ctx context.Context, ids ...string) (err error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.idx == nil {
		return search.ErrClosed
	}
	defer search.Recover(&err, "bleve delete")
	batch := b.idx.NewBatch()
	for _, id := range ids {
		batch.Delete(strings.ToValidUTF8(id, "\uFFFD"))
	}
	return b.flush(ctx, batch)
}

// DeleteAll implements search.Index.DeleteAll by removing and recreating the index.
func (b *Index) DeleteAll(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.idx == nil {
		return search.ErrClosed
	}
	if err := b.idx.Close(); err != nil {
		return fmt.Errorf("search: close bleve index: %w", err)
	}
	b.idx = nil
	if b.dir != "" {
		if err := os.RemoveAll(b.dir); err != nil {
			return fmt.Errorf("search: remove bleve index %s: %w", b.dir, err)
		}
	}
	idx, err := b.create()
	if err != nil {
		return err
	}
	b.idx = idx
	return nil
}

// Close implements search.Index.Close.
func (b *Index) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.idx == nil {
		return nil
	}
	err := b.idx.Close()
	b.idx = nil
	return err
}

// Segments returns the number of index segments (a health figure: it
// grows under heavy writes and shrinks as Bleve merges in the background),
// or -1 when the index is closed or reports no figure.
func (b *Index) Segments() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.idx == nil {
		return -1
	}
	st, ok := b.idx.StatsMap()["index"].(map[string]interface{})
	if !ok {
		return -1
	}
	n := 0
	for _, k := range []string{"num_root_filesegments", "num_root_memorysegments"} {
		if v, ok := st[k].(uint64); ok {
			n += int(v)
		}
	}
	return n
}
