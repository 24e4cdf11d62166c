package polls_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/polls"
)

// groupsOf summarises groups as "kind:name=respondents/votes for option 0".
func groupsOf(gs []polls.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, fmt.Sprintf("%s:%s=%d/%d", g.Kind, g.Name, g.Respondents, g.Results[0].Votes()[0]))
	}
	return out
}

func TestResultsByRegion(t *testing.T) {
	qs := []polls.Question{single("Ya", "Tidak")}
	named := &polls.Survey{}
	// build expands specs (region, respondents); the first respondent of
	// each spec answers option 0, the others option 1.
	type spec struct {
		region string
		n      int
	}
	build := func(specs []spec) ([]polls.Answers, []string) {
		var rs []polls.Answers
		var regions []string
		for _, s := range specs {
			for i := 0; i < s.n; i++ {
				c := 1
				if i == 0 {
					c = 0
				}
				rs = append(rs, polls.Answers{"s": {Choices: []int{c}}})
				regions = append(regions, s.region)
			}
		}
		return rs, regions
	}
	cases := []struct {
		name  string
		specs []spec
		want  []string
	}{
		{"small regions pooled", []spec{{"Coblong", 3}, {"Sukajadi", 4}, {"Cidadap", 1}, {"Lengkong", 2}, {"", 2}},
			[]string{"region:Coblong=3/1", "region:Sukajadi=4/1", "other:=3/2", "unknown:=2/1"}},
		{"a pool of one takes the smallest region", []spec{{"Coblong", 4}, {"Sukajadi", 3}, {"Cidadap", 1}},
			[]string{"region:Coblong=4/1", "other:=4/2"}},
		{"ties broken by name", []spec{{"Coblong", 3}, {"Andir", 3}, {"Cidadap", 2}},
			[]string{"region:Coblong=3/1", "other:=5/2"}},
		{"nothing left to pool with", []spec{{"Andir", 1}, {"Coblong", 1}},
			[]string{"other:=2/2"}},
		{"spellings folded", []spec{{"Coblong", 2}, {"kecamatan  coblong", 1}, {"COBLONG ", 1}},
			[]string{"region:Coblong=4/3"}},
		{"all unknown", []spec{{"", 2}}, []string{"unknown:=2/1"}},
		{"no responses", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rs, regions := build(tc.specs)
			gs, err := polls.ResultsByRegion(named, qs, rs, regions)
			if err != nil {
				t.Fatal(err)
			}
			got := groupsOf(gs)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("groups %q, want %q", got, tc.want)
			}
			for _, g := range gs {
				if g.Kind != polls.GroupUnknown && g.Respondents > 0 && g.Respondents < polls.MinGroupRespondents && len(gs) > 1 {
					t.Fatalf("group %+v has fewer than %d respondents", g, polls.MinGroupRespondents)
				}
			}
			// The same whatever the order of the responses.
			perm := rand.Perm(len(rs))
			rs2, reg2 := make([]polls.Answers, len(rs)), make([]string, len(rs))
			for i, j := range perm {
				rs2[i], reg2[i] = rs[j], regions[j]
			}
			gs2, err := polls.ResultsByRegion(named, qs, rs2, reg2)
			if err != nil || fmt.Sprint(groupsOf(gs2)) != fmt.Sprint(got) {
				t.Fatalf("shuffled: %q, %v", groupsOf(gs2), err)
			}
		})
	}
	if _, err := polls.ResultsByRegion(&polls.Survey{Anonymous: true}, qs, nil, nil); !errors.Is(err, polls.ErrNoRegionBreakdown) {
		t.Fatalf("anonymous survey: %v", err)
	}
}

// TestAnswersWithRegions reads regions only from signed-in respondents
// whose region consent is active.
func TestAnswersWithRegions(t *testing.T) {
	ctx := context.Background()
	db, c := mustDB(t)
	s, qs := mustSurvey(t, db, c.ID, polls.Survey{}, single("Ya", "Tidak"))
	anon, aqs := mustSurvey(t, db, c.ID, polls.Survey{Anonymous: true}, single("Ya", "Tidak"))
	var first int64 // the first user's id
	user := func(i int, region string, consent bool) int64 {
		u := &forum.User{Email: fmt.Sprintf("w%d@example.id", i), DisplayName: fmt.Sprintf("Warga %d", i)}
		if err := forumtest.CreateUser(ctx, db, u, t0); err != nil {
			t.Fatal(err)
		}
		if first == 0 {
			first = u.ID
		}
		if region != "" {
			// Stored directly: a region kept without an active consent
			// (e.g. by an older release) must still be ignored.
			if _, err := db.NewRaw(`INSERT INTO profile_answers (user_id, question, answer, updated_at) VALUES (?, 'kecamatan', ?, ?)`,
				u.ID, region, t0).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if consent {
			if err := forum.NewStore(db, func() time.Time { return t0 }).GrantConsent(ctx, u.ID, forum.ConsentRegion); err != nil {
				t.Fatal(err)
			}
		}
		p, err := forum.UserParticipant(ctx, db, u, t0)
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	voters := []struct {
		pid  int64
		want string
	}{
		{user(1, "Coblong", true), "Coblong"},
		{user(2, "Sukajadi", false), ""}, // no consent
		{user(3, "", true), ""},          // consent, no region
		{mustParticipant(t, db, 9), ""},  // guest
	}
	want := map[string]int{}
	for i, v := range voters {
		if _, err := polls.NewStore(db, func() time.Time { return t0 }).Submit(ctx, forum.GuestViewer(v.pid), s, qs, polls.Answers{"s": {Choices: []int{i % 2}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := polls.NewStore(db, func() time.Time { return t0 }).Submit(ctx, forum.GuestViewer(v.pid), anon, aqs, polls.Answers{"s": {Choices: []int{0}}}); err != nil {
			t.Fatal(err)
		}
		want[v.want]++
	}
	rs, regions, err := polls.AnswersWithRegions(ctx, db, s)
	if err != nil {
		t.Fatal(err)
	}
	all, err := polls.AllAnswers(ctx, db, s, s.Deadline())
	if err != nil || fmt.Sprint(all) != fmt.Sprint(rs) {
		t.Fatalf("answers differ from AllAnswers: %v %v", rs, all)
	}
	got := map[string]int{}
	for _, r := range regions {
		got[r]++
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("regions %v, want %v", got, want)
	}
	// Withdrawing consent removes the region at once.
	if err := forum.NewStore(db, func() time.Time { return t0 }).WithdrawConsent(ctx, first, forum.ConsentRegion); err != nil {
		t.Fatal(err)
	}
	if _, regions, err = polls.AnswersWithRegions(ctx, db, s); err != nil {
		t.Fatal(err)
	}
	for _, r := range regions {
		if r != "" {
			t.Fatalf("region %q after the consent was withdrawn", r)
		}
	}
	if _, _, err := polls.AnswersWithRegions(ctx, db, anon); !errors.Is(err, polls.ErrNoRegionBreakdown) {
		t.Fatalf("anonymous survey: %v", err)
	}
}
