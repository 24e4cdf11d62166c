package web

import (
	"context"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/rancangan"
	"github.com/rembug/rembug/forum/reach"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/realtime/live"
)

// readableConsultation loads the consultation named by the {ref} path
// value that the request's viewer may read (consultationFor with
// readerViewer: drafts for their moderators only).
func (s *Server) readableConsultation(r *http.Request) (*forum.Consultation, error) {
	v, err := s.readerViewer(r)
	if err != nil {
		return nil, err
	}
	return s.consultationFor(r, v)
}

type statementRow struct {
	polls.Statement
	Mine  int8
	Voted bool
}

type consultationPage struct {
	C *forum.Consultation
	// OG is the share metadata for the head (og.go), nil when a signed-out
	// visitor may not read the consultation.
	OG        *ogMeta
	Counts    polls.Counts
	List      bool
	Next      *polls.Statement
	Remaining int
	Voted     int
	Rows      []statementRow
	// Stage is the consultation's current phase and what it allows;
	// SignedIn and Following drive the follow button (follow.go).
	Stage     forum.Stage
	SignedIn  bool
	Following bool
	// CanVote says whether the current phase takes statement votes;
	// DescOpen whether the description starts unfolded (short ones, before
	// the first vote, so the statement stays within a phone's first screen).
	CanVote  bool
	DescOpen bool
	// Surveys and Live list the consultation's polls and open public live
	// sessions; Report says whether the viewer may open its report.
	Surveys []polls.Survey
	Live    []live.Session
	Report  bool
	// Drafts are the draft regulations the viewer may read (rancangan.go).
	Drafts []rancangan.Draft
	// Share are the plain share links (WhatsApp, Facebook, X, Telegram)
	// with their campaign tags (forum/reach).
	Share []reach.Link
	// Build says whether the viewer may use the survey builder here
	// (canBuild, poll_builder.go).
	Build bool
	// Seed says whether the viewer may add seeded statements
	// (handleStatementSeed) and hide statements from the list.
	Seed bool
	// Write is the form for participants' own statements
	// (statement_submit.go).
	Write statementForm
	// Cover and Docs are the consultation's files (files.go).
	Cover *fileView
	Docs  []fileView
	// Staff is the staff tools of the consultation the viewer may use
	// (consultationTools).
	Staff []staffLink
	// Chips are the current phase's features as links, Proposals the
	// count of visible proposals, Phases the timeline
	// (consultation_chips.go); now is the page's time.
	Chips     []featureChip
	Proposals int
	Phases    []forum.Phase
	now       time.Time
}

// descFoldRunes is the description length above which it starts folded.
const descFoldRunes = 400

// openSessions lists consultation cid's open live sessions outside focus
// groups: the ones its pages link to.
func (s *Server) openSessions(ctx context.Context, cid int64) ([]live.Session, error) {
	sessions, err := s.live.svc.SessionsOf(ctx, cid)
	if err != nil {
		return nil, err
	}
	var out []live.Session
	for _, ls := range sessions {
		if ls.Open && ls.FocusGroupID == nil {
			out = append(out, ls)
		}
	}
	return out, nil
}

// extras fills the parts of the consultation page that link elsewhere:
// polls, open live sessions outside focus groups, and the report.
func (s *Server) extras(r *http.Request, c *forum.Consultation, data *consultationPage) error {
	var err error
	if data.Surveys, err = polls.SurveysOf(r.Context(), s.db, c.ID); err != nil {
		return err
	}
	if data.Live, err = s.openSessions(r.Context(), c.ID); err != nil {
		return err
	}
	v, err := s.readerViewer(r)
	if err != nil {
		return err
	}
	data.Report = s.allowed(r, v, forum.ActRead, reportItem(c))
	data.Build = s.allowed(r, v, forum.ActModerate, forum.Item{Kind: forum.ItemPoll, Consultation: c})
	data.Seed = s.allowed(r, v, forum.ActModerate, c.Item())
	data.Cover, data.Docs, err = s.consultationFiles(r, c)
	return err
}

func (s *Server) handleConsultation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := s.readableConsultation(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	me, err := s.participant(ctx, s.viewerOf(r), false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	var pid int64
	if me != nil {
		pid = me.ID
	}
	counts, err := polls.CountsFor(ctx, s.db, []int64{c.ID})
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if _, err := reach.Record(ctx, s.db, r.URL.Query().Get("src"), c.ID, s.now()); err != nil {
		s.log.Warn("share arrival", "err", err) // a lost count never costs the page
	}
	data := consultationPage{C: c, Counts: counts[c.ID], List: r.URL.Query().Get("view") == "list",
		Share: reach.Links(s.publicURL(r, "/k/"+c.Slug), c.Title)}
	var mine map[int64]int8
	if pid != 0 {
		if mine, err = polls.VotesOf(ctx, s.db, c.ID, pid); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	data.Voted = len(mine)
	if data.List {
		ts, err := polls.Tallies(ctx, s.db, c.ID)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		byID := make(map[int64]polls.Statement, len(ts))
		ids := make([]int64, 0, len(ts))
		for _, t := range ts {
			byID[t.ID] = polls.Statement{ID: t.ID, Text: t.Text, SourceKey: t.SourceKey}
			ids = append(ids, t.ID)
		}
		polls.OrderForParticipant(ids, pid, func(id int64) bool { _, ok := mine[id]; return ok })
		for _, id := range ids {
			v, ok := mine[id]
			data.Rows = append(data.Rows, statementRow{Statement: byID[id], Mine: v, Voted: ok})
		}
	} else if data.Next, data.Remaining, err = polls.NextStatement(ctx, s.db, c.ID, pid); err != nil {
		s.serveError(w, r, err)
		return
	}
	if data.Stage, err = forum.StageOf(ctx, s.db, c, s.now()); err != nil {
		s.serveError(w, r, err)
		return
	}
	data.CanVote = data.Stage.Features[forum.FeatureStatements]
	fv, err := s.forumViewer(r, false)
	if err == nil {
		data.Write, err = s.statementFormFor(r, fv, c, data.Stage)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	data.DescOpen = data.Voted == 0 && utf8.RuneCountInString(c.Description) <= descFoldRunes
	if err := s.extras(r, c, &data); err != nil {
		s.serveError(w, r, err)
		return
	}
	if v, err := s.readerViewer(r); err == nil {
		if data.Drafts, err = rancangan.Drafts(ctx, s.db, v, c); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	data.now = s.now()
	if err := s.chipsAndPhases(ctx, c, &data); err != nil {
		s.serveError(w, r, err)
		return
	}
	if v, _ := s.readerViewer(r); v.User != nil {
		data.SignedIn = true
		data.Staff = s.consultationTools(r, v, c)
		if data.Following, err = forum.Following(ctx, s.db, v, forum.FollowConsultation, c.ID); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	data.OG = s.ogFor(r, c, nil, data.Stage)
	s.render(w, r, http.StatusOK, "consultation", c.Title, data)
}
