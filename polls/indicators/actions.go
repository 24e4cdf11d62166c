package indicators

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
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
)

// actionSQL selects (pid, at) for each kind of recorded action by a
// participant, with the action's own time: imported votes, statements,
// proposals and comments carry their source times.
//
//	statement vote  statement_votes.voted_at (the latest vote per statement is kept)
//	statement       statements.created_at (author_id set)
//	proposal        proposals.created_at
//	comment         comments.created_at
//	support         supports.created_at
//	live question   live_questions.created_at (participant_id set)
//	upvote          live_upvotes.created_at
//	poll response   survey_responses.answered_at (anonymous surveys record neither), live_poll_answers.answered_at
var actionSQL = []string{
	`SELECT participant_id AS pid, voted_at AS at FROM statement_votes WHERE voted_at < ?`,
	`SELECT author_id AS pid, created_at AS at FROM statements WHERE author_id IS NOT NULL AND created_at < ?`,
	`SELECT author_id AS pid, created_at AS at FROM proposals WHERE created_at < ?`,
	`SELECT author_id AS pid, created_at AS at FROM comments WHERE created_at < ?`,
	`SELECT participant_id AS pid, created_at AS at FROM supports WHERE created_at < ?`,
	`SELECT participant_id AS pid, created_at AS at FROM live_questions WHERE participant_id IS NOT NULL AND created_at < ?`,
	`SELECT participant_id AS pid, created_at AS at FROM live_upvotes WHERE created_at < ?`,
	`SELECT participant_id AS pid, answered_at AS at FROM survey_responses
		WHERE participant_id IS NOT NULL AND answered_at IS NOT NULL AND answered_at < ?`,
	`SELECT participant_id AS pid, answered_at AS at FROM live_poll_answers WHERE answered_at < ?`,
}

// action is one recorded act: who (a participant id, or a negative id
// standing for a complaint reporter without one), when and through which
// channel.
type action struct {
	who     int64
	at      time.Time
	channel string
}

// loadActions returns every action before to. A complaint's reporter is the
// participant of their user account when they filed signed in, else the
// same person across complaints by user id, phone or email, else the
// complaint alone.
func loadActions(ctx context.Context, db bun.IDB, to time.Time) ([]action, error) {
	var out []action
	for _, q := range actionSQL {
		var rows []struct {
			PID int64     `bun:"pid"`
			At  time.Time `bun:"at"`
		}
		if err := db.NewRaw(q, to).Scan(ctx, &rows); err != nil {
			return nil, fmt.Errorf("actions (%.40s…): %w", q, err)
		}
		for _, r := range rows {
			out = append(out, action{r.PID, r.At, ChannelWeb})
		}
	}
	var cs []struct {
		ID      int64     `bun:"id"`
		Channel string    `bun:"channel"`
		At      time.Time `bun:"at"`
		PID     *int64    `bun:"pid"`
		UID     *int64    `bun:"uid"`
		Phone   string    `bun:"phone"`
		Email   string    `bun:"email"`
	}
	err := db.NewRaw(`SELECT c.id, c.channel, c.received_at AS at, p.id AS pid, c.reporter_user_id AS uid,
		c.reporter_phone AS phone, c.reporter_email AS email FROM complaints c
		LEFT JOIN participants p ON p.source = ? AND p.source_key = CAST(c.reporter_user_id AS VARCHAR(20))
		WHERE c.received_at < ?`, forum.ParticipantUser, to).Scan(ctx, &cs)
	if err != nil {
		return nil, fmt.Errorf("complaint actions: %w", err)
	}
	reporters := map[string]int64{}
	for _, c := range cs {
		a := action{at: c.At, channel: complaintChannel(c.Channel)}
		if c.PID != nil {
			a.who = *c.PID
		} else {
			key := "c" + strconv.FormatInt(c.ID, 10)
			switch {
			case c.UID != nil:
				key = "u" + strconv.FormatInt(*c.UID, 10)
			case c.Phone != "":
				key = "p" + c.Phone
			case c.Email != "":
				key = "e" + strings.ToLower(c.Email)
			}
			if reporters[key] == 0 {
				reporters[key] = -int64(len(reporters) + 1)
			}
			a.who = reporters[key]
		}
		out = append(out, a)
	}
	return out, nil
}

// complaintChannel maps a complaint's intake channel to an indicator channel.
func complaintChannel(c string) string {
	switch c {
	case ChannelWhatsApp, ChannelSMS:
		return c
	}
	return ChannelWeb
}
