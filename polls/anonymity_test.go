package polls_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/polls"
	"github.com/uptrace/bun"
)

func textQ() polls.Question {
	return polls.Question{Code: "t", Kind: polls.KindText, Text: "Jawaban", Required: true}
}

// TestAnonymousResponsesUnlinkable is the attacker's test. n people answer
// an anonymous survey, each with an answer the test can trace to them. The
// attacker then holds the database (and, on SQLite, a copy made with VACUUM
// INTO, as a backup would be) and tries every ordering the engine keeps:
// SQLite rowid; PostgreSQL xmin (the writing transaction), ctid (physical
// position) and equal xmin; the response id; the respondent's participant
// id, which here grows with the answering order. Each ordering of the
// respondents is paired by rank with each ordering of the responses. A
// linking ordering names all n; with shuffled batches of
// polls.AnonymousBatch the expected number of right guesses is one per
// batch (n/5), and the test fails above n/2.
func TestAnonymousResponsesUnlinkable(t *testing.T) {
	ctx := context.Background()
	db, c := mustDB(t)
	s, qs := mustSurvey(t, db, c.ID, polls.Survey{Anonymous: true}, textQ())
	const n = 16 * polls.AnonymousBatch // complete batches: nothing waits in the pool
	owner := map[string]string{}        // answer -> participant id
	for i := 0; i < n; i++ {
		pid := mustParticipant(t, db, i+1)
		text := fmt.Sprintf("jawaban %02d", i)
		if _, err := polls.NewStore(db, func() time.Time { return t0.Add(time.Hour) }).Submit(ctx, forum.GuestViewer(pid), s, qs, polls.Answers{"t": {Text: text}}); err != nil {
			t.Fatal(err)
		}
		owner[text] = fmt.Sprint(pid)
	}
	views := map[string]bun.IDB{"live database": db}
	if !storage.Postgres(db) {
		path := filepath.Join(t.TempDir(), "backup.db")
		if _, err := db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
			t.Fatal(err)
		}
		cp, err := storage.OpenSQLite(path, 1)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cp.Close() })
		views["VACUUM INTO copy"] = cp
	}
	for view, v := range views {
		var timed int
		if err := v.NewRaw(`SELECT COUNT(*) FROM survey_responses WHERE survey_id = ? AND (answered_at IS NOT NULL OR participant_id IS NOT NULL)`, s.ID).
			Scan(ctx, &timed); err != nil || timed != 0 {
			t.Fatalf("%s: %d anonymous responses carry a time or a participant (%v)", view, timed, err)
		}
		marks, resps := attackerRows(t, v, s.ID)
		if len(marks) != n || len(resps) != n {
			t.Fatalf("%s: %d respondents, %d responses; want %d of each", view, len(marks), len(resps), n)
		}
		for mk := range marks[0].keys() {
			for rk := range resps[0].keys() {
				right := 0
				ms, rs := sortedBy(marks, mk), sortedBy(resps, rk)
				for i := range ms {
					if owner[rs[i].who] == ms[i].who {
						right++
					}
				}
				t.Logf("%s: respondents by %s, responses by %s: %d of %d linked", view, mk, rk, right, n)
				if right > n/2 {
					t.Errorf("%s: pairing respondents by %s with responses by %s links %d of %d", view, mk, rk, right, n)
				}
			}
		}
		if storage.Postgres(v) {
			var shared int
			if err := v.NewRaw(`SELECT COUNT(*) FROM survey_respondents AS m JOIN survey_responses AS r
				ON r.xmin = m.xmin WHERE r.survey_id = ?`, s.ID).Scan(ctx, &shared); err != nil || shared != 0 {
				t.Errorf("%d responses written in a respondent's transaction (%v)", shared, err)
			}
		}
	}
}

// attackerRow is one row with every ordering the engine gives away.
type attackerRow struct {
	who   string
	order map[string][]int64
}

func (r attackerRow) keys() map[string][]int64 { return r.order }

// sortedBy returns rows sorted by the ordering named key (lexicographic;
// ties keep the order of the scan, which is the physical order).
func sortedBy(rows []attackerRow, key string) []attackerRow {
	out := append([]attackerRow(nil), rows...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].order[key], out[j].order[key]
		for k := range a {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return false
	})
	return out
}

// attackerRows reads survey sid's respondents and responses with their
// engine orderings: rowid on SQLite; xmin then ctid (block, offset), and
// ctid alone, on PostgreSQL; the participant id and the response id.
func attackerRows(t *testing.T, db bun.IDB, sid int64) (marks, resps []attackerRow) {
	t.Helper()
	ctx := context.Background()
	sys := `, rowid AS x, 0 AS blk, 0 AS off`
	if storage.Postgres(db) {
		sys = `, xmin::text::bigint AS x, (ctid::text::point)[0]::bigint AS blk, (ctid::text::point)[1]::bigint AS off`
	}
	var ms []struct {
		P   int64 `bun:"participant_id"`
		X   int64 `bun:"x"`
		Blk int64 `bun:"blk"`
		Off int64 `bun:"off"`
	}
	if err := db.NewRaw(`SELECT participant_id`+sys+` FROM survey_respondents WHERE survey_id = ?`, sid).Scan(ctx, &ms); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		marks = append(marks, attackerRow{who: fmt.Sprint(m.P), order: map[string][]int64{
			"rowid or xmin": {m.X, m.Blk, m.Off}, "ctid": {m.Blk, m.Off}, "participant id": {m.P}}})
	}
	var rs []struct {
		ID      string `bun:"id"`
		Answers string `bun:"answers"`
		X       int64  `bun:"x"`
		Blk     int64  `bun:"blk"`
		Off     int64  `bun:"off"`
	}
	if err := db.NewRaw(`SELECT id, answers`+sys+` FROM survey_responses WHERE survey_id = ?`, sid).Scan(ctx, &rs); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	sort.Strings(ids)
	for _, r := range rs {
		var a polls.Answers
		if err := json.Unmarshal([]byte(r.Answers), &a); err != nil {
			t.Fatal(err)
		}
		resps = append(resps, attackerRow{who: a["t"].Text, order: map[string][]int64{
			"rowid or xmin": {r.X, r.Blk, r.Off}, "ctid": {r.Blk, r.Off}, "id": {int64(sort.SearchStrings(ids, r.ID))}}})
	}
	return marks, resps
}

// TestAnonymousBatchesLoseNothing: concurrent answers, each person twice,
// to an anonymous survey. Every person is counted once; complete batches
// (of at least polls.AnonymousBatch) are visible while the survey is open,
// fewer than a batch wait, and the rest is written once it has closed;
// respondents and responses agree in number.
func TestAnonymousBatchesLoseNothing(t *testing.T) {
	ctx := context.Background()
	db, c := mustDB(t)
	s, qs := mustSurvey(t, db, c.ID, polls.Survey{Anonymous: true}, textQ())
	const n = 4*polls.AnonymousBatch + 3
	var wg sync.WaitGroup
	var mu sync.Mutex
	stored, refused := 0, 0
	for i := 0; i < n; i++ {
		pid := mustParticipant(t, db, i+1)
		for try := 0; try < 2; try++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := polls.NewStore(db, func() time.Time { return t0.Add(time.Hour) }).Submit(ctx, forum.GuestViewer(pid), s, qs, polls.Answers{"t": {Text: fmt.Sprint("orang ", pid)}})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					stored++
				case errors.Is(err, polls.ErrAnswered):
					refused++
				default:
					t.Errorf("submit: %v", err)
				}
			}()
		}
	}
	wg.Wait()
	if stored != n || refused != n {
		t.Fatalf("stored %d, refused %d; want %d each", stored, refused, n)
	}
	open, err := polls.AllAnswers(ctx, db, s, t0.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var waiting int
	if err := db.NewRaw(`SELECT COUNT(*) FROM survey_response_pool`).Scan(ctx, &waiting); err != nil {
		t.Fatal(err)
	}
	if waiting >= polls.AnonymousBatch || len(open)+waiting != n {
		t.Fatalf("open survey: %d responses written, %d waiting; want fewer than %d waiting and %d in all", len(open), waiting, polls.AnonymousBatch, n)
	}
	all, err := polls.AllAnswers(ctx, db, s, s.Deadline())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range all {
		seen[a["t"].Text] = true
	}
	count, err := polls.ResponseCount(ctx, db, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != n || len(seen) != n || count != n {
		t.Fatalf("closed survey: %d responses (%d distinct), %d respondents; want %d", len(all), len(seen), count, n)
	}
	// Reading wrote nothing: the rest waits in the pool until the Store
	// settles it, and then every answer is still counted once.
	var pooled int
	if err := db.NewRaw(`SELECT COUNT(*) FROM survey_response_pool`).Scan(ctx, &pooled); err != nil || pooled != waiting {
		t.Fatalf("reading a closed survey changed the pool from %d to %d (%v)", waiting, pooled, err)
	}
	early := polls.NewStore(db, func() time.Time { return s.Deadline().Add(-time.Second) })
	if moved, err := early.SettlePools(ctx); err != nil || moved != 0 {
		t.Fatalf("settled %d answers of a survey still open (%v)", moved, err)
	}
	moved, err := polls.NewStore(db, s.Deadline).SettlePools(ctx)
	if err != nil || moved != waiting {
		t.Fatalf("settled %d answers, want %d (%v)", moved, waiting, err)
	}
	if err := db.NewRaw(`SELECT COUNT(*) FROM survey_response_pool`).Scan(ctx, &pooled); err != nil || pooled != 0 {
		t.Fatalf("%d answers still pooled after settling (%v)", pooled, err)
	}
	if all, err = polls.AllAnswers(ctx, db, s, s.Deadline()); err != nil || len(all) != n {
		t.Fatalf("after settling: %d responses, want %d (%v)", len(all), n, err)
	}
}
