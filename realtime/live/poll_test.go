package live_test

import (
	"context"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/realtime/live"
)

func TestLivePolls(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{})
	ps := e.participants(t, 4)
	tests := []struct {
		name    string
		in      live.PollInput
		answers []live.Answer // by ps[i]; the last one is given again by ps[0] to replace its answer
		check   func(t *testing.T, r *live.Result)
	}{
		{name: "single choice", in: live.PollInput{Kind: live.KindSingle, Question: "Prioritas?", Options: []string{"Jalan", "Taman", " "}},
			answers: []live.Answer{{Options: []int{0}}, {Options: []int{1}}, {Options: []int{1}}, {Options: []int{1}}},
			check: func(t *testing.T, r *live.Result) {
				if r.Count == nil || len(r.Count.Votes) != 2 || r.Count.Votes[0] != 0 || r.Count.Votes[1] != 3 {
					t.Fatalf("votes %+v, want [0 3]", r.Count)
				}
			}},
		{name: "multiple choice", in: live.PollInput{Kind: live.KindMultiple, Question: "Fasilitas?", Options: []string{"A", "B", "C"}},
			answers: []live.Answer{{Options: []int{0, 2}}, {Options: []int{2}}, {Options: []int{1, 2}}},
			check: func(t *testing.T, r *live.Result) {
				if r.Count == nil || r.Count.Votes[0] != 1 || r.Count.Votes[1] != 1 || r.Count.Votes[2] != 3 {
					t.Fatalf("votes %+v, want [1 1 3]", r.Count)
				}
			}},
		{name: "rating", in: live.PollInput{Kind: live.KindRating, Question: "Nilai acara?"},
			answers: []live.Answer{{Rating: 5}, {Rating: 3}, {Rating: 4}},
			check: func(t *testing.T, r *live.Result) {
				if r.Rating == nil || r.Rating.Responses != 3 || r.Rating.Mean != 4 {
					t.Fatalf("rating %+v, want 3 responses, mean 4", r.Rating)
				}
			}},
		{name: "word cloud", in: live.PollInput{Kind: live.KindWords, Question: "Satu kata?"},
			answers: []live.Answer{{Text: "Hijau"}, {Text: "hijau "}, {Text: "aman"}},
			check: func(t *testing.T, r *live.Result) {
				if len(r.Words) != 2 || r.Words[0].Count != 2 {
					t.Fatalf("words %+v, want hijau×2 first", r.Words)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := e.svc.CreatePoll(ctx, e.staff, s, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.svc.AnswerPoll(ctx, forum.GuestViewer(ps[0]), s, p.ID, tc.answers[0]); err != live.ErrPollNotOpen {
				t.Fatalf("answer to a draft: %v", err)
			}
			must(t, e.svc.PollAction(ctx, e.staff, s, p.ID, live.PollLaunch))
			for i, a := range tc.answers {
				pid := ps[i]
				if i == len(tc.answers)-1 && tc.in.Kind == live.KindSingle {
					pid = ps[0] // replaces ps[0]'s earlier answer
				}
				must(t, e.svc.AnswerPoll(ctx, forum.GuestViewer(pid), s, p.ID, a))
			}
			must(t, e.svc.PollAction(ctx, e.staff, s, p.ID, live.PollClose))
			if err := e.svc.AnswerPoll(ctx, forum.GuestViewer(ps[3]), s, p.ID, tc.answers[0]); err != live.ErrPollNotOpen {
				t.Fatalf("answer to a closed poll: %v", err)
			}
			st, err := e.svc.LoadState(ctx, s.ID, true)
			must(t, err)
			var got *live.PollView
			for _, pv := range st.Polls {
				if pv.ID == p.ID {
					got = pv
				}
			}
			if got == nil || got.State != live.PollClosed {
				t.Fatalf("poll in state: %+v", got)
			}
			tc.check(t, got.Result)
		})
	}
	bad := []live.PollInput{
		{Kind: live.KindSingle, Question: "Satu opsi", Options: []string{"A"}},
		{Kind: "ranked", Question: "Jenis lain", Options: []string{"A", "B"}},
		{Kind: live.KindRating, Question: " "},
	}
	for _, in := range bad {
		if _, err := e.svc.CreatePoll(ctx, e.staff, s, in); err != live.ErrPollInvalid {
			t.Errorf("CreatePoll(%+v) = %v, want ErrPollInvalid", in, err)
		}
	}
}

// TestEmptySession is CASES C13 at the storage level: a session with
// nothing in it, a poll launched and closed without answers, the session
// ended and reopened — every state loads.
func TestEmptySession(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{})
	for _, mod := range []bool{false, true} {
		st, err := e.svc.LoadState(ctx, s.ID, mod)
		if err != nil || st.Stage() != nil || len(st.Top(5)) != 0 || st.Shown() != nil || st.OpenPoll() != nil {
			t.Fatalf("empty state (mod %v): %+v %v", mod, st, err)
		}
	}
	p, err := e.svc.CreatePoll(ctx, e.staff, s, live.PollInput{Kind: live.KindSingle, Question: "Kosong?", Options: []string{"Ya", "Tidak"}})
	must(t, err)
	for _, a := range []string{live.PollLaunch, live.PollClose} { // launching shows it
		must(t, e.svc.PollAction(ctx, e.staff, s, p.ID, a))
	}
	st, err := e.svc.LoadState(ctx, s.ID, false)
	must(t, err)
	if sh := st.Shown(); sh == nil || sh.Result == nil || !sh.Result.Count.NoVotes {
		t.Fatalf("shown empty poll: %+v", sh)
	}
	if _, err := e.svc.SetOpen(ctx, e.staff, s.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetOpen(ctx, e.staff, s.ID, true); err != nil {
		t.Fatal(err)
	}
}

// TestLaunchShows: launching a poll puts its result on the presenter view
// without a separate "show"; the moderator can hide it; launching another
// poll closes the first and shows the second only.
func TestLaunchShows(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.session(t, live.SessionInput{})
	shown := func(want int64) {
		t.Helper()
		st, err := e.svc.LoadState(ctx, s.ID, false)
		must(t, err)
		got := int64(0)
		if sh := st.Shown(); sh != nil {
			got = sh.ID
		}
		if got != want {
			t.Fatalf("shown poll %d, want %d", got, want)
		}
	}
	var ids []int64
	for _, q := range []string{"Pertama?", "Kedua?"} {
		p, err := e.svc.CreatePoll(ctx, e.staff, s, live.PollInput{Kind: live.KindSingle, Question: q, Options: []string{"Ya", "Tidak"}})
		must(t, err)
		ids = append(ids, p.ID)
	}
	must(t, e.svc.PollAction(ctx, e.staff, s, ids[0], live.PollLaunch))
	shown(ids[0])
	must(t, e.svc.PollAction(ctx, e.staff, s, ids[0], live.PollHide))
	shown(0)
	must(t, e.svc.PollAction(ctx, e.staff, s, ids[0], live.PollShow))
	must(t, e.svc.PollAction(ctx, e.staff, s, ids[1], live.PollLaunch))
	shown(ids[1])
	st, err := e.svc.LoadState(ctx, s.ID, true)
	must(t, err)
	for _, p := range st.Polls {
		if want := map[bool]string{true: live.PollOpen, false: live.PollClosed}[p.ID == ids[1]]; p.State != want || p.Shown != (p.ID == ids[1]) {
			t.Errorf("poll %d: state %s shown %v", p.ID, p.State, p.Shown)
		}
	}
}
