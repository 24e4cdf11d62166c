package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/realtime"
)

// pollLiveInterval bounds the results events of one survey: at most one per
// interval however many answers come in (realtime.Coalescer).
const pollLiveInterval = 500 * time.Millisecond

// pollLive keeps open results pages (/survei/{id}/results) up to date over
// the live sessions' Hub. An accepted answer marks its survey; the
// Coalescer then publishes at most one "results" event per survey per
// pollLiveInterval on channel "poll-<id>", built by the same code as the
// page (surveyResults → resultList → the "poll_result_list" template), so
// the page, its live updates, the API and the exports show the same winner
// and order. The event carries the rendered fragment in every language;
// poll_live.js swaps it in. A page without JavaScript is simply as fresh as
// its last load.
//
// An anonymous survey's results are published in steps of at least k new
// responses (Server.minCell): until that many have arrived since the last
// published state, events are not sent and snapshots repeat that state, so
// no one learns a single answer by comparing two updates. The last
// published state is kept in the database (polls.Store.PublishLive), so all
// nodes of a site publish one sequence of states, each at least k
// responses from the one before.
type pollLive struct {
	s      *Server
	hub    *realtime.Hub
	ws     http.Handler
	counts *realtime.Coalescer[int64] // key: the channel; value: the survey id
}

// pollLiveData is the data of a "results" event and of a snapshot: the
// results part of the page in each language (id, en) and its respondents.
type pollLiveData struct {
	Survey      int64             `json:"survey"`
	Respondents int               `json:"respondents"`
	HTML        map[string]string `json:"html"`
}

// pollChannel is survey id's realtime channel.
func pollChannel(id int64) string { return "poll-" + strconv.FormatInt(id, 10) }

// parsePollChannel is the inverse of pollChannel.
func parsePollChannel(ch string) (int64, bool) {
	rest, ok := strings.CutPrefix(ch, "poll-")
	id, err := strconv.ParseInt(rest, 10, 64)
	if !ok || err != nil || id <= 0 || strconv.FormatInt(id, 10) != rest {
		return 0, false
	}
	return id, true
}

// newPollLive wires live results on the server's Hub. Its Coalescer is
// closed by Server.Close, before the Hub.
func (s *Server) newPollLive() *pollLive {
	pl := &pollLive{s: s, hub: s.live.hub}
	pl.counts = realtime.NewCoalescer(pollLiveInterval, pl.flush)
	pl.ws = pl.hub.Handler(realtime.HandlerOptions{Authorize: pl.authorize, Snapshot: pl.snapshot,
		User: func(r *http.Request) string { return liveUser(s.viewerOf(r)) }, Recheck: pl.recheck})
	s.live.owned = append([]func() error{pl.counts.Close}, s.live.owned...)
	return pl
}

// changed schedules a results event for survey id (after its answer was
// committed).
func (pl *pollLive) changed(id int64) { pl.counts.Set(pollChannel(id), id) }

// authorize lets a request follow a survey's results when it may see the
// results page (visibleSurvey: the access rule).
func (pl *pollLive) authorize(r *http.Request, channel string) bool {
	id, ok := parsePollChannel(channel)
	if !ok {
		return false
	}
	_, _, err := pl.s.visibleSurvey(r, id)
	return err == nil
}

// recheck answers the hub's re-check of an open results connection: may
// user still read the survey, with rights read now (a fault keeps it).
func (pl *pollLive) recheck(ctx context.Context, user, channel string) bool {
	id, ok := parsePollChannel(channel)
	if !ok {
		return false
	}
	v, err := pl.s.recheckViewer(ctx, user)
	if err == nil {
		_, _, err = pl.s.readSurvey(ctx, v, id)
	}
	if err != nil && errs.KindOf(err) == errs.Internal {
		pl.s.log.Error("poll results re-check", "channel", channel, "err", err)
		return true
	}
	return err == nil
}

func (pl *pollLive) snapshot(ctx context.Context, channel string) (json.RawMessage, error) {
	id, ok := parsePollChannel(channel)
	if !ok {
		return nil, fmt.Errorf("not a poll channel: %q", channel)
	}
	data, _, err := pl.data(ctx, id)
	return data, err
}

// data builds survey id's event data from the database, for channels
// whose clients authorize let in, and reports whether it is news to
// publish: for an anonymous survey, it is the last published state until
// at least k responses more have arrived.
func (pl *pollLive) data(ctx context.Context, id int64) (json.RawMessage, bool, error) {
	sv, qs, err := polls.SurveyByID(ctx, pl.s.db, id)
	if err != nil {
		return nil, false, err
	}
	d, err := pl.s.surveyResults(ctx, sv, qs, "")
	if err != nil {
		return nil, false, err
	}
	out := pollLiveData{Survey: id, Respondents: len(d.All), HTML: map[string]string{}}
	t := pl.s.pages.set["poll_results"]
	for _, lang := range languages {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, "poll_result_list", pl.s.resultList(lang, d)); err != nil {
			return nil, false, fmt.Errorf("render results of survey %d: %w", id, err)
		}
		out.HTML[lang] = buf.String()
	}
	b, err := json.Marshal(out)
	if err != nil || !sv.Anonymous {
		return b, true, err
	}
	shown, news, err := pl.s.polls.PublishLive(ctx, id, out.Respondents, string(b), pl.s.minCell)
	return json.RawMessage(shown), news, err
}

// flush publishes survey id's results; it runs on the Coalescer's
// goroutine. A failure is logged: the answer is committed, and a page that
// reconnects gets the state from the snapshot.
func (pl *pollLive) flush(channel string, id int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	data, news, err := pl.data(ctx, id)
	if err == nil && news {
		_, err = pl.hub.Publish(ctx, channel, "results", data)
	}
	if err != nil {
		pl.s.log.Warn("poll live results", "survey", id, "err", err)
	}
}
