package indicators

import (
	"fmt"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// Channels through which an action reaches the service. Every action but a
// complaint is recorded on the web (the participation tables have no
// channel column); a complaint carries its own (complaints.channel), where
// "api" and "import" count as web.
const (
	ChannelWeb      = "web"
	ChannelWhatsApp = "whatsapp"
	ChannelSMS      = "sms"
	// ChannelAssisted is an entry an assisted-entry officer recorded for
	// a citizen at the desk (forum.Assistance): an assisted complaint or
	// IKM answer counts here and not under the channel it was typed on,
	// so that ByChannel counts assisted and self-service participation
	// apart.
	ChannelAssisted = "assisted"
)

// actionSQL selects (who, at, ch) for each kind of recorded action, with
// the action's own time (imported votes, statements, proposals and
// comments carry their source times), col its time column and "%s"
// standing for the condition on it:
//
//	statement vote  statement_votes.voted_at (the latest vote per statement is kept)
//	statement       statements.created_at (author_id set)
//	proposal        proposals.created_at ("assisted" when recorded at the desk)
//	comment         comments.created_at
//	support         supports.created_at
//	live question   live_questions.created_at (participant_id set)
//	upvote          live_upvotes.created_at
//	poll response   survey_responses.answered_at (anonymous surveys record neither), live_poll_answers.answered_at
//	complaint       complaints.received_at, through its own channel ("assisted" when recorded at the desk)
//	IKM answer      ikm_responses.starts_at, a web answer ("web") or an assisted one ("assisted"); paper imports name no one
//
// who is a participant's id as text; a complaint's reporter is the
// participant of their user account when they filed signed in, else the
// same person across complaints by user id ("u…"), phone ("p…") or email
// ("e…"), else the complaint alone ("c…"); an assisted IKM answer is its
// own person ("i…": the officer records no identity).
var actionSQL = []struct{ col, sql string }{
	{"voted_at", `SELECT CAST(participant_id AS VARCHAR(20)) AS who, voted_at AS at, 'web' AS ch FROM statement_votes WHERE %s`},
	{"created_at", `SELECT CAST(author_id AS VARCHAR(20)), created_at, 'web' FROM statements WHERE author_id IS NOT NULL AND %s`},
	{"created_at", `SELECT CAST(author_id AS VARCHAR(20)), created_at,
		CASE WHEN assisted THEN '` + ChannelAssisted + `' ELSE 'web' END FROM proposals WHERE %s`},
	{"created_at", `SELECT CAST(author_id AS VARCHAR(20)), created_at, 'web' FROM comments WHERE %s`},
	{"created_at", `SELECT CAST(participant_id AS VARCHAR(20)), created_at, 'web' FROM supports WHERE %s`},
	{"created_at", `SELECT CAST(participant_id AS VARCHAR(20)), created_at, 'web' FROM live_questions WHERE participant_id IS NOT NULL AND %s`},
	{"created_at", `SELECT CAST(participant_id AS VARCHAR(20)), created_at, 'web' FROM live_upvotes WHERE %s`},
	{"answered_at", `SELECT CAST(participant_id AS VARCHAR(20)), answered_at, 'web' FROM survey_responses
		WHERE participant_id IS NOT NULL AND answered_at IS NOT NULL AND %s`},
	{"answered_at", `SELECT CAST(participant_id AS VARCHAR(20)), answered_at, 'web' FROM live_poll_answers WHERE %s`},
	{"starts_at", `SELECT COALESCE(CAST(participant_id AS VARCHAR(20)), 'i' || CAST(id AS VARCHAR(20))), starts_at,
		CASE WHEN assisted_at IS NOT NULL THEN '` + ChannelAssisted + `' ELSE 'web' END
		FROM ikm_responses WHERE (participant_id IS NOT NULL OR assisted_at IS NOT NULL) AND %s`},
	{"c.received_at", `SELECT COALESCE(CAST(p.id AS VARCHAR(20)), 'u' || CAST(c.reporter_user_id AS VARCHAR(20)),
		CASE WHEN c.reporter_phone <> '' THEN 'p' || c.reporter_phone END,
		CASE WHEN c.reporter_email <> '' THEN 'e' || LOWER(c.reporter_email) END, 'c' || CAST(c.id AS VARCHAR(20))),
		c.received_at, CASE WHEN c.assisted_at IS NOT NULL THEN '` + ChannelAssisted + `' WHEN c.channel IN ('whatsapp', 'sms') THEN c.channel ELSE 'web' END
		FROM complaints c LEFT JOIN participants p ON p.source = '` + forum.ParticipantUser + `'
		AND p.source_key = CAST(c.reporter_user_id AS VARCHAR(20)) WHERE %s`},
}

// actions returns the union of every action (who, at, ch) whose time
// column satisfies cond(column), with args, the arguments of one
// condition, repeated for each branch.
func actions(cond func(col string) string, args ...any) (string, []any) {
	var b strings.Builder
	var all []any
	for i, q := range actionSQL {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		fmt.Fprintf(&b, q.sql, cond(q.col))
		all = append(all, args...)
	}
	return b.String(), all
}

// localDay is the SQL of the calendar day ("2006-01-02") of time column
// col in a zone offset seconds east of UTC: the zone's offset at the start
// of the range, exact for Indonesia's zones, which keep no daylight saving
// time.
func localDay(db bun.IDB, col string, offset int) string {
	if storage.Postgres(db) {
		return fmt.Sprintf("to_char((%s AT TIME ZONE 'UTC') + INTERVAL '%d seconds', 'YYYY-MM-DD')", col, offset)
	}
	return fmt.Sprintf("strftime('%%Y-%%m-%%d', %s, '%+d seconds')", col, offset)
}

// utcHour is the SQL of the UTC hour ("2006-01-02 15") of time column col.
// SQLite holds times as UTC text ("2006-01-02 15:04:05.999999+00:00", as
// bun writes them), so the hour is its first 13 characters, without a date
// function per row.
func utcHour(db bun.IDB, col string) string {
	if storage.Postgres(db) {
		return fmt.Sprintf("to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')", col)
	}
	return fmt.Sprintf("SUBSTR(%s, 1, 13)", col)
}

// offsetAt is loc's offset from UTC at t, in seconds.
func offsetAt(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	return off
}
