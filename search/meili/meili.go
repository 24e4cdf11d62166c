// Package meili is the Meilisearch engine: a search.Index on a
// Meilisearch server through meilisearch-go, with the same behaviour as
// search/bleve (the contract suite of search/searchtest runs against it
// when REMBUG_TEST_MEILI_URL is set).
//
// Concurrency: an Index is safe for concurrent use.
package meili

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/analysis"

	"github.com/meilisearch/meilisearch-go"
)

// taskPoll is how often Meili polls a task's status while waiting for it.
const taskPoll = 25 * time.Millisecond

// Index is the Meilisearch engine (meilisearch-go), implementing
// search.Index. Meilisearch has no
// Indonesian stemmer, so each document also carries title_stem and
// body_stem (the analysis Bleve indexes) and words (surface words, for typo
// matching), and queries are sent pre-stemmed. Every write waits for its
// task and returns the task's error (CASES C21). It is safe for concurrent
// use.
type Index struct {
	client meilisearch.ServiceManager
	index  meilisearch.IndexManager
	uid    string
	an     *analysis.Analyzers
}

// meiliDoc is the stored form of a search.Document. Key, the primary key, is the
// ID in unpadded base64url, because Meilisearch allows only [A-Za-z0-9_-]
// in document ids.
type meiliDoc struct {
	Key          string   `json:"key"`
	ID           string   `json:"id"`
	Kind         string   `json:"kind"`
	Title        string   `json:"title"`
	Body         string   `json:"body"`
	TitleStem    string   `json:"title_stem"`
	BodyStem     string   `json:"body_stem"`
	Words        string   `json:"words"`
	Topics       []string `json:"topics"`
	Consultation int64    `json:"consultation"`
	Status       string   `json:"status"`
	Visibility   []string `json:"visibility"` // search.Document.Audience
	Created      int64    `json:"created"`
	Supports     int      `json:"supports"`
	Language     string   `json:"language"`
}

// New connects to the Meilisearch server at url with API key key and
// configures index indexName (creating it when missing): filterable,
// sortable and searchable attributes, ranking rules, typo tolerance (one
// typo from five letters, none on numbers, as Bleve), Indonesian stop words, pagination up to
// search.MaxWindow. It waits for each settings task and returns its error.
func New(ctx context.Context, url, key, indexName string) (*Index, error) {
	an, err := analysis.New()
	if err != nil {
		return nil, err
	}
	var opts []meilisearch.Option
	if key != "" {
		opts = append(opts, meilisearch.WithAPIKey(key))
	}
	client, err := meilisearch.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("search: connect to meilisearch: %w", err)
	}
	m := &Index{client: client, index: client.Index(indexName), uid: indexName, an: an}
	info, err := client.CreateIndex(ctx, &meilisearch.IndexConfig{Uid: indexName, PrimaryKey: "key"})
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("search: create meilisearch index %s: %w", indexName, err)
	}
	if err := m.wait(ctx, info, "create index"); err != nil && !strings.Contains(err.Error(), string(meilisearch.APIErrCodeIndexAlreadyExists)) {
		client.Close()
		return nil, err
	}
	info, err = m.index.UpdateSettings(ctx, meiliSettings())
	if err == nil {
		err = m.wait(ctx, info, "update settings")
	}
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("search: configure meilisearch index %s: %w", indexName, err)
	}
	return m, nil
}

// meiliSettings is the index configuration rembug owns. "sort" ranks
// first so that an explicit sort order is strict, as on Bleve.
func meiliSettings() *meilisearch.Settings {
	prefix := "disabled"
	return &meilisearch.Settings{
		RankingRules:         []string{"sort", "words", "typo", "proximity", "attribute", "exactness"},
		SearchableAttributes: []string{"title_stem", "body_stem", "words"},
		FilterableAttributes: []string{"kind", "visibility", "topics", "status", "consultation", "language"},
		SortableAttributes:   []string{"created", "supports"},
		StopWords:            analysis.IndonesianStopWords(),
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled:             true,
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: analysis.FuzzyMinLen, TwoTypos: 255},
			DisableOnWords:      []string{},
			DisableOnAttributes: []string{},
			// Numbers match exactly: postcodes, RT/RW, years (as Bleve).
			DisableOnNumbers: true,
		},
		Pagination: &meilisearch.Pagination{MaxTotalHits: search.MaxWindow},
		Faceting: &meilisearch.Faceting{
			MaxValuesPerFacet: 100,
			SortFacetValuesBy: map[string]meilisearch.SortFacetType{"*": meilisearch.SortFacetTypeCount},
		},
		PrefixSearch: &prefix,
	}
}

// wait waits for a task and turns a failed or canceled task into an error.
func (m *Index) wait(ctx context.Context, info *meilisearch.TaskInfo, what string) error {
	task, err := m.client.WaitForTask(ctx, info.TaskUID, taskPoll)
	if err != nil {
		return fmt.Errorf("search: meilisearch %s: wait for task %d: %w", what, info.TaskUID, err)
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return fmt.Errorf("search: meilisearch %s: task %d %s: %s (%s)", what, task.UID, task.Status, task.Error.Message, task.Error.Code)
	}
	return nil
}

func meiliKey(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(id)) }

// Index implements search.Index.Index.
func (m *Index) Index(ctx context.Context, docs ...search.Document) (err error) {
	defer search.Recover(&err, "meilisearch index")
	var errs []error
	out := make([]meiliDoc, 0, len(docs))
	for _, d := range docs {
		d, cerr := search.CleanDocument(d)
		if cerr != nil {
			errs = append(errs, cerr)
			continue
		}
		md := meiliDoc{
			Key: meiliKey(d.ID), ID: d.ID, Kind: d.Kind, Title: d.Title, Body: d.Body,
			TitleStem: m.an.Stems(d.Title, d.Language), BodyStem: m.an.Stems(d.Body, d.Language),
			Topics: d.Topics, Consultation: d.ConsultationID, Status: d.Status, Visibility: d.Audience(),
			Created: d.Created.Unix(), Supports: d.Supports, Language: d.Language,
		}
		if d.Language != "en" {
			md.Words = m.an.Words(d.Title + "\n" + d.Body)
		}
		if md.Topics == nil {
			md.Topics = []string{}
		}
		out = append(out, md)
	}
	if len(out) > 0 {
		pk := "key"
		info, err := m.index.AddDocuments(ctx, &out, &meilisearch.DocumentOptions{PrimaryKey: &pk})
		if err == nil {
			err = m.wait(ctx, info, "add documents")
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("search: meilisearch index %d documents: %w", len(out), err))
		}
	}
	return errors.Join(errs...)
}

// Delete implements search.Index.Delete.
func (m *Index) Delete(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = meiliKey(strings.ToValidUTF8(id, "\uFFFD"))
	}
	info, err := m.index.DeleteDocuments(ctx, keys, nil)
	if err != nil {
		return fmt.Errorf("search: meilisearch delete %v: %w", ids, err)
	}
	return m.wait(ctx, info, "delete documents")
}

// DeleteAll implements search.Index.DeleteAll.
func (m *Index) DeleteAll(ctx context.Context) error {
	info, err := m.index.DeleteAllDocuments(ctx, nil)
	if err != nil {
		return fmt.Errorf("search: meilisearch delete all: %w", err)
	}
	return m.wait(ctx, info, "delete all documents")
}

// Close implements search.Index.Close; the index stays on the server.
func (m *Index) Close() error {
	m.client.Close()
	return nil
}

// Drop deletes the index from the server (tests clean up with it).
func (m *Index) Drop(ctx context.Context) error {
	info, err := m.client.DeleteIndex(ctx, m.uid)
	if err != nil {
		return fmt.Errorf("search: meilisearch delete index %s: %w", m.uid, err)
	}
	return m.wait(ctx, info, "delete index")
}
