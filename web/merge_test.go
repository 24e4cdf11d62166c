package web_test

import (
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"
	"github.com/rembug/rembug/forum"
)

// TestSignInMergesEveryRowKind: a guest who supported, voted, flagged,
// answered a survey, upvoted a live question, answered a live poll,
// supported an amendment of a draft regulation and wrote, and then signs
// in to an account that had already done some of the same, counts once: for each row kind the account's earlier choice wins,
// the guest's other rows move to the account, and the counters kept beside
// the rows equal the rows. It runs on SQLite and, with
// REMBUG_TEST_DATABASE_URL, on PostgreSQL.
func TestSignInMergesEveryRowKind(t *testing.T) {
	f := newAuthFixture(t)
	ctx := t.Context()
	db := f.db
	u := &forum.User{DisplayName: "Gita"}
	if err := forum.NewStore(db, func() time.Time { return now }).CreateUserWithIdentity(ctx, u, "sso-pemda", "s-gita", ""); err != nil {
		t.Fatal(err)
	}
	acct, err := forum.UserParticipant(ctx, db, u, now)
	if err != nil {
		t.Fatal(err)
	}
	// The browser becomes a known guest by voting on a statement.
	c := browser(t)
	csrf := csrfOf(t, c, f.url+"/k/"+f.c.Slug)
	vote(t, c, f.fixture, csrf, f.stmts[1].ID, "agree")
	var guest int64
	if err := db.NewRaw(`SELECT id FROM participants WHERE kind = ? ORDER BY id DESC LIMIT 1`, forum.ParticipantGuest).Scan(ctx, &guest); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.NewRaw(q, args...).Exec(ctx); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	id := func(q string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := db.NewRaw(q+" RETURNING id", args...).Scan(ctx, &n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	other, _ := forum.EnsureParticipant(ctx, db, forum.ParticipantGuest, forum.ParticipantGuest, "lain", now)
	cid := f.c.ID
	newProposal := func(author int64) int64 {
		return id(`INSERT INTO proposals (consultation_id, author_id, title, body, topics, state, state_reason, status, answer, source, source_key, created_at, updated_at)
			VALUES (?, ?, 'Usulan', 'isi', '', 'published', '', 'open', '', '', '', ?, ?)`, cid, author, now, now)
	}
	newComment := func(author int64) int64 {
		return id(`INSERT INTO comments (consultation_id, author_id, body, alignment, state, state_reason, source, source_key, source_parent, created_at)
			VALUES (?, ?, 'komentar', 0, 'published', '', '', '', '', ?)`, cid, author, now)
	}
	p1, p2 := newProposal(other.ID), newProposal(other.ID)
	mine := newProposal(guest)
	c1, c2 := newComment(other.ID), newComment(other.ID)
	myComment := newComment(guest)
	for _, s := range []struct{ p, who int64 }{{p1, guest}, {p1, acct.ID}, {p1, other.ID}, {p2, guest}} {
		exec(`INSERT INTO supports (proposal_id, participant_id, created_at) VALUES (?, ?, ?)`, s.p, s.who, now)
	}
	exec(`UPDATE proposals SET supports = (SELECT COUNT(*) FROM supports s WHERE s.proposal_id = proposals.id)`)
	exec(`INSERT INTO support_quotas (consultation_id, participant_id, used) VALUES (?, ?, 2), (?, ?, 1)`, cid, guest, cid, acct.ID)
	for _, v := range []struct {
		c, who int64
		v      int
	}{{c1, guest, 1}, {c1, acct.ID, -1}, {c2, guest, 1}} {
		exec(`INSERT INTO comment_votes (comment_id, participant_id, value) VALUES (?, ?, ?)`, v.c, v.who, v.v)
	}
	exec(`UPDATE comments SET up = (SELECT COUNT(*) FROM comment_votes v WHERE v.comment_id = comments.id AND v.value = 1),
		down = (SELECT COUNT(*) FROM comment_votes v WHERE v.comment_id = comments.id AND v.value = -1)`)
	for _, fl := range []struct {
		c, who int64
		reason string
	}{{c1, guest, "guest"}, {c1, acct.ID, "account"}, {c2, guest, "guest"}} {
		exec(`INSERT INTO flags (consultation_id, target_kind, target_id, reporter_id, reason, created_at, resolution) VALUES (?, 'comment', ?, ?, ?, ?, '')`,
			cid, fl.c, fl.who, fl.reason, now)
	}
	s1 := id(`INSERT INTO surveys (consultation_id, title, description, anonymous, locked, opens_at, closes_at, created_at) VALUES (?, 'S1', '', FALSE, FALSE, ?, ?, ?)`,
		cid, now, now.AddDate(1, 0, 0), now)
	s2 := id(`INSERT INTO surveys (consultation_id, title, description, anonymous, locked, opens_at, closes_at, created_at) VALUES (?, 'S2', '', FALSE, FALSE, ?, ?, ?)`,
		cid, now, now.AddDate(1, 0, 0), now)
	for i, r := range []struct {
		s, who  int64
		answers string
	}{{s1, guest, `{"q":"tamu"}`}, {s1, acct.ID, `{"q":"akun"}`}, {s2, guest, `{"q":"tamu"}`}} {
		exec(`INSERT INTO survey_respondents (survey_id, participant_id) VALUES (?, ?)`, r.s, r.who)
		exec(`INSERT INTO survey_responses (id, survey_id, participant_id, answers, answered_at) VALUES (?, ?, ?, ?, ?)`,
			forum.NewPublicID()+string(rune('a'+i)), r.s, r.who, r.answers, now)
	}
	ls := id(`INSERT INTO live_sessions (consultation_id, code, title, allow_guests, allow_anonymous, premoderate, questions_per_minute, open, version, created_at, updated_at)
		VALUES (?, 'GABUNG', 'Sesi', TRUE, TRUE, FALSE, 5, TRUE, 1, ?, ?)`, cid, now, now)
	newQuestion := func(who int64) int64 {
		return id(`INSERT INTO live_questions (session_id, participant_id, author_name, text, status, answered, upvotes, version, created_at, updated_at)
			VALUES (?, ?, '', 'tanya', 'visible', FALSE, 0, 1, ?, ?)`, ls, who, now, now)
	}
	q1, q2, myQ := newQuestion(other.ID), newQuestion(other.ID), newQuestion(guest)
	for _, up := range []struct{ q, who int64 }{{q1, guest}, {q1, acct.ID}, {q2, guest}} {
		exec(`INSERT INTO live_upvotes (question_id, participant_id, created_at) VALUES (?, ?, ?)`, up.q, up.who, now)
	}
	exec(`UPDATE live_questions SET upvotes = (SELECT COUNT(*) FROM live_upvotes u WHERE u.question_id = live_questions.id)`)
	lp := id(`INSERT INTO live_polls (session_id, kind, question, options, state, shown, answers, version, created_at) VALUES (?, 'choice', 'Pilih', '[]', 'open', TRUE, 0, 1, ?)`, ls, now)
	lp2 := id(`INSERT INTO live_polls (session_id, kind, question, options, state, shown, answers, version, created_at) VALUES (?, 'choice', 'Pilih', '[]', 'open', TRUE, 0, 1, ?)`, ls, now)
	for _, a := range []struct {
		p, who int64
		answer string
	}{{lp, guest, `"tamu"`}, {lp, acct.ID, `"akun"`}, {lp2, guest, `"tamu"`}} {
		exec(`INSERT INTO live_poll_answers (poll_id, participant_id, answer, answered_at) VALUES (?, ?, ?, ?)`, a.p, a.who, a.answer, now)
	}
	exec(`UPDATE live_polls SET answers = (SELECT COUNT(*) FROM live_poll_answers a WHERE a.poll_id = live_polls.id)`)

	draft := id(`INSERT INTO draft_texts (consultation_id, focus_group_id, title, current_version, created_at, updated_at) VALUES (?, 0, 'Raperda', 1, ?, ?)`,
		cid, now, now)
	newInput := func(author int64) int64 {
		return id(`INSERT INTO draft_inputs (draft_id, consultation_id, focus_group_id, version, anchor, author_id, stance, body, amendment, state,
			supports, decision, reason, effective_version, answered_by, created_at)
			VALUES (?, ?, 0, 1, 'pasal-1', ?, 'amend', 'ubah', 'teks baru', 'published', 0, '', '', 0, 0, ?)`, draft, cid, author, now)
	}
	in1, in2, accountsInput, myInput := newInput(other.ID), newInput(other.ID), newInput(acct.ID), newInput(guest)
	for _, s := range []struct{ in, who int64 }{{in1, guest}, {in1, acct.ID}, {in2, guest}, {accountsInput, guest}} {
		exec(`INSERT INTO draft_input_supports (input_id, participant_id, created_at) VALUES (?, ?, ?)`, s.in, s.who, now)
	}
	exec(`UPDATE draft_inputs SET supports = (SELECT COUNT(*) FROM draft_input_supports s WHERE s.input_id = draft_inputs.id)`)

	f.sso.QueueUser(&mockoidc.MockUser{Subject: "s-gita"})
	do(t, c, "GET", approve(t, startOIDC(t, c, f.url, "sso-pemda")), nil)
	if sessionCookie(c, f.url) == "" {
		t.Fatal("sign-in failed")
	}

	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.NewRaw(q, args...).Scan(ctx, &n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	text := func(q string, args ...any) string {
		t.Helper()
		var s string
		if err := db.NewRaw(q, args...).Scan(ctx, &s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return s
	}
	checks := []struct {
		kind      string
		got, want int
	}{
		{"guest rows left", count(`SELECT
			(SELECT COUNT(*) FROM supports WHERE participant_id = ?) + (SELECT COUNT(*) FROM comment_votes WHERE participant_id = ?) +
			(SELECT COUNT(*) FROM flags WHERE reporter_id = ?) + (SELECT COUNT(*) FROM survey_respondents WHERE participant_id = ?) +
			(SELECT COUNT(*) FROM survey_responses WHERE participant_id = ?) + (SELECT COUNT(*) FROM live_upvotes WHERE participant_id = ?) +
			(SELECT COUNT(*) FROM live_poll_answers WHERE participant_id = ?) + (SELECT COUNT(*) FROM live_questions WHERE participant_id = ?) +
			(SELECT COUNT(*) FROM proposals WHERE author_id = ?) + (SELECT COUNT(*) FROM comments WHERE author_id = ?) +
			(SELECT COUNT(*) FROM draft_input_supports WHERE participant_id = ?) + (SELECT COUNT(*) FROM draft_inputs WHERE author_id = ?)`,
			guest, guest, guest, guest, guest, guest, guest, guest, guest, guest, guest, guest), 0},
		{"supports of amendment 1 (guest and account were one)", count(`SELECT supports FROM draft_inputs WHERE id = ?`, in1), 1},
		{"supports of amendment 2 (moved)", count(`SELECT supports FROM draft_inputs WHERE id = ?`, in2), 1},
		{"supports of the account's own amendment (dropped)", count(`SELECT supports FROM draft_inputs WHERE id = ?`, accountsInput), 0},
		{"the guest's amendment is the account's", count(`SELECT COUNT(*) FROM draft_inputs WHERE id = ? AND author_id = ?`, myInput, acct.ID), 1},
		{"the merged guest is retired", count(`SELECT COUNT(*) FROM participants WHERE id = ? AND merged_into = ? AND source = 'merged'`, guest, acct.ID), 1},
		{"supports of p1 (guest and account were one)", count(`SELECT supports FROM proposals WHERE id = ?`, p1), 2},
		{"supports of p2 (moved)", count(`SELECT supports FROM proposals WHERE id = ?`, p2), 1},
		{"account's supports", count(`SELECT COUNT(*) FROM supports WHERE participant_id = ?`, acct.ID), 2},
		{"account's support quota", count(`SELECT used FROM support_quotas WHERE participant_id = ? AND consultation_id = ?`, acct.ID, cid), 2},
		{"guest's support quota", count(`SELECT COUNT(*) FROM support_quotas WHERE participant_id = ?`, guest), 0},
		{"comment c1 up (the account's down wins)", count(`SELECT up FROM comments WHERE id = ?`, c1), 0},
		{"comment c1 down", count(`SELECT down FROM comments WHERE id = ?`, c1), 1},
		{"comment c2 up (moved)", count(`SELECT up FROM comments WHERE id = ?`, c2), 1},
		{"flag rows on c1", count(`SELECT COUNT(*) FROM flags WHERE target_kind = 'comment' AND target_id = ?`, c1), 1},
		{"account's flags", count(`SELECT COUNT(*) FROM flags WHERE reporter_id = ?`, acct.ID), 2},
		{"responses to S1", count(`SELECT COUNT(*) FROM survey_responses WHERE survey_id = ?`, s1), 1},
		{"respondents of S1", count(`SELECT COUNT(*) FROM survey_respondents WHERE survey_id = ?`, s1), 1},
		{"account's response to S2 (moved)", count(`SELECT COUNT(*) FROM survey_responses WHERE survey_id = ? AND participant_id = ?`, s2, acct.ID), 1},
		{"upvotes of q1", count(`SELECT upvotes FROM live_questions WHERE id = ?`, q1), 1},
		{"upvotes of q2 (moved)", count(`SELECT upvotes FROM live_questions WHERE id = ?`, q2), 1},
		{"answers of live poll 1", count(`SELECT answers FROM live_polls WHERE id = ?`, lp), 1},
		{"account's live poll answers", count(`SELECT COUNT(*) FROM live_poll_answers WHERE participant_id = ?`, acct.ID), 2},
		{"the guest's question is the account's", count(`SELECT COUNT(*) FROM live_questions WHERE id = ? AND participant_id = ?`, myQ, acct.ID), 1},
		{"the guest's proposal is the account's", count(`SELECT COUNT(*) FROM proposals WHERE id = ? AND author_id = ?`, mine, acct.ID), 1},
		{"the guest's comment is the account's", count(`SELECT COUNT(*) FROM comments WHERE id = ? AND author_id = ?`, myComment, acct.ID), 1},
		{"statement votes (moved)", count(`SELECT COUNT(*) FROM statement_votes WHERE participant_id = ?`, acct.ID), 1},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s: %d, want %d", ck.kind, ck.got, ck.want)
		}
	}
	if got := text(`SELECT answers FROM survey_responses WHERE survey_id = ?`, s1); got != `{"q":"akun"}` {
		t.Errorf("S1 keeps %s, want the account's answers", got)
	}
	if got := text(`SELECT answer FROM live_poll_answers WHERE poll_id = ?`, lp); got != `"akun"` {
		t.Errorf("live poll keeps %s, want the account's answer", got)
	}
	if got := text(`SELECT reason FROM flags WHERE target_kind = 'comment' AND target_id = ?`, c1); got != "account" {
		t.Errorf("c1 keeps the %s flag, want the account's", got)
	}
}
