package polls_test

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
	"github.com/uptrace/bun"
)

// count counts the rows of table that match where.
func count(t *testing.T, db *bun.DB, table, where string, args ...any) int {
	t.Helper()
	n, err := db.NewSelect().Table(table).Where(where, args...).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// TestStoreWritesAreAtomic makes the last part of each write fail (its
// audit row, or for a vote the voter row that comes after the vote and its
// counter) and checks that nothing of the write remains; then it lifts the
// failure and checks that the same call writes the change and its audit row
// together. It runs on SQLite and, with REMBUG_TEST_DATABASE_URL, on
// PostgreSQL.
func TestStoreWritesAreAtomic(t *testing.T) {
	staff := forum.Viewer{User: &forum.User{ID: 7, Role: forum.RoleAdmin}}
	survey := func(cid int64) *polls.Survey {
		return &polls.Survey{ConsultationID: cid, Title: "Survei taman", OpensAt: t0, ClosesAt: t0.Add(24 * time.Hour)}
	}
	yesNo := func() []polls.Question { return []polls.Question{{Code: "a", Kind: polls.KindYesNo, Text: "Setuju?"}} }
	cases := []struct {
		name   string
		refuse string
		// setup returns the write and a count of what it changes.
		setup func(t *testing.T, st *polls.Store, db *bun.DB, c *forum.Consultation) (write func() error, changed func() int)
	}{
		{"create survey", "audit_log", func(t *testing.T, st *polls.Store, db *bun.DB, c *forum.Consultation) (func() error, func() int) {
			return func() error { return st.CreateSurvey(context.Background(), staff, survey(c.ID), yesNo()) },
				func() int { return count(t, db, "surveys", "1 = 1") + count(t, db, "survey_questions", "1 = 1") }
		}},
		{"create empty survey", "audit_log", func(t *testing.T, st *polls.Store, db *bun.DB, c *forum.Consultation) (func() error, func() int) {
			return func() error { return st.CreateEmptySurvey(context.Background(), staff, survey(c.ID)) },
				func() int { return count(t, db, "surveys", "1 = 1") }
		}},
		{"edit questions", "audit_log", func(t *testing.T, st *polls.Store, db *bun.DB, c *forum.Consultation) (func() error, func() int) {
			sv := survey(c.ID)
			if err := st.CreateEmptySurvey(context.Background(), staff, sv); err != nil {
				t.Fatal(err)
			}
			return func() error {
					return st.EditQuestions(context.Background(), staff, sv.ID, func([]polls.Question) ([]polls.Question, error) { return yesNo(), nil })
				},
				func() int { return count(t, db, "survey_questions", "survey_id = ?", sv.ID) }
		}},
		{"duplicate survey", "audit_log", func(t *testing.T, st *polls.Store, db *bun.DB, c *forum.Consultation) (func() error, func() int) {
			sv := survey(c.ID)
			if err := st.CreateSurvey(context.Background(), staff, sv, yesNo()); err != nil {
				t.Fatal(err)
			}
			return func() error {
					_, err := st.DuplicateSurvey(context.Background(), staff, sv.ID, "Salinan", t0, t0.Add(time.Hour))
					return err
				},
				func() int { return count(t, db, "surveys", "1 = 1") + count(t, db, "survey_questions", "1 = 1") }
		}},
		{"ikm unit", "audit_log", func(t *testing.T, st *polls.Store, db *bun.DB, c *forum.Consultation) (func() error, func() int) {
			return func() error {
					_, err := st.CreateIKMUnit(context.Background(), staff, "Dinas Perhubungan")
					return err
				},
				func() int { return count(t, db, "ikm_units", "1 = 1") }
		}},
		{"ikm import", "audit_log", func(t *testing.T, st *polls.Store, db *bun.DB, c *forum.Consultation) (func() error, func() int) {
			u, err := st.EnsureIKMUnit(context.Background(), staff, "Puskesmas")
			if err != nil {
				t.Fatal(err)
			}
			p, err := ikm.ParsePeriod("2026-S1")
			if err != nil {
				t.Fatal(err)
			}
			rs := []ikm.Response{{Scores: [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}}}
			return func() error { return st.ImportIKM(context.Background(), staff, u.ID, p, "d1", rs) },
				func() int { return count(t, db, "ikm_imports", "1 = 1") + count(t, db, "ikm_responses", "1 = 1") }
		}},
		{"statement vote", "consultation_voters", func(t *testing.T, st *polls.Store, db *bun.DB, c *forum.Consultation) (func() error, func() int) {
			s := &polls.Statement{ConsultationID: c.ID, SourceKey: "s1", Text: "Perbanyak pohon", CreatedAt: t0}
			if _, err := db.NewInsert().Model(s).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			pid := mustParticipant(t, db, 1)
			return func() error { return st.CastVote(context.Background(), forum.GuestViewer(pid), c, s.ID, polls.Agree) },
				func() int {
					return count(t, db, "statement_votes", "statement_id = ?", s.ID) + count(t, db, "statements", "id = ? AND agree_count > 0", s.ID)
				}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db, c := mustDB(t)
			st := polls.NewStore(db, func() time.Time { return t0 })
			write, changed := tc.setup(t, st, db, c)
			before, audits := changed(), count(t, db, "audit_log", "1 = 1")
			lift := storagetest.RefuseInserts(t, db, tc.refuse)
			if err := write(); err == nil {
				t.Fatalf("the write succeeded although %s refused its row", tc.refuse)
			}
			if n := changed(); n != before {
				t.Fatalf("a failed write left %d changed rows behind", n-before)
			}
			if n := count(t, db, "audit_log", "1 = 1"); n != audits {
				t.Fatalf("a failed write left %d audit rows behind", n-audits)
			}
			lift()
			if err := write(); err != nil {
				t.Fatalf("the write fails without the refusal: %v", err)
			}
			if changed() <= before {
				t.Fatal("the write changed nothing")
			}
			want := audits + 1
			if tc.refuse != "audit_log" {
				want = audits // votes are not audited
			}
			if n := count(t, db, "audit_log", "1 = 1"); n != want {
				t.Fatalf("audit rows: %d, want %d", n, want)
			}
			if tc.refuse == "audit_log" && count(t, db, "audit_log", "actor_user_id = ?", staff.User.ID) != want {
				t.Fatal("the audit row does not name the actor")
			}
		})
	}
}
