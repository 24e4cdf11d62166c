package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls/tally"
	"github.com/rembug/rembug/realtime/live"
)

// liveBar is one line of a poll result: a label with its count and share.
type liveBar struct {
	Label string
	Count int
	Share float64
}

// liveBars turns a poll's result into lines for the templates.
func liveBars(pv *live.PollView) []liveBar {
	if pv == nil || pv.Result == nil {
		return nil
	}
	r := pv.Result
	var out []liveBar
	switch {
	case r.Count != nil:
		for i, label := range pv.Options {
			if i < len(r.Count.Votes) {
				out = append(out, liveBar{Label: label, Count: r.Count.Votes[i], Share: r.Count.Shares[i]})
			}
		}
	case r.Rating != nil:
		for k, n := range r.Rating.Distribution {
			out = append(out, liveBar{Label: strconv.Itoa(r.Rating.Scale.Min + k), Count: n, Share: r.Rating.Shares[k]})
		}
	default:
		total := 0
		for _, w := range r.Words {
			total += w.Count
		}
		for _, w := range r.Words {
			out = append(out, liveBar{Label: w.Word, Count: w.Count, Share: tally.Share(w.Count, total)})
		}
	}
	return out
}

// liveResult is the data of the "livebars" and "pollbars" templates
// (part_livebars.html): a poll's result as a table of bars.
type liveResult struct {
	Lang string
	Poll *live.PollView
	Bars []liveBar
}

func newLiveResult(lang string, p *live.PollView) *liveResult {
	return &liveResult{Lang: lang, Poll: p, Bars: liveBars(p)}
}

// livePage is the data of the participant, presenter and moderator pages.
type livePage struct {
	S         *live.Session
	St        *live.State
	Channel   string
	Questions []*live.Question
	Stage     *live.Question
	Open      *live.PollView   // the poll taking answers
	Shown     *live.PollView   // the poll whose result is shown
	Result    *liveResult      // of Shown
	Mine      map[int64]bool   // question ids the viewer upvoted
	MyAnswer  *live.Answer     // the viewer's answer to Open
	Asked     []*live.Question // the viewer's own questions, newest first
	MineJSON  string
	SignedIn  bool
	Guest     bool // may take part as a guest
	Moderator bool
	Sort      string
	Connected int
	Ratings   []int
	// JoinURL and JoinQR are the participant page's absolute address and
	// its QR code, for the presenter view (Present).
	JoinURL string
	JoinQR  template.URL
	Present bool
	lang    string // the page's language, for ResultOf
}

// ResultOf is poll p's result for the "pollbars" template, for the
// moderator's list of polls.
func (d *livePage) ResultOf(p *live.PollView) *liveResult { return newLiveResult(d.lang, p) }

// JoinPrefix is JoinURL without the session's code, so that the presenter
// view can let a long address wrap before the code, never inside it.
func (d *livePage) JoinPrefix() string {
	return strings.TrimSuffix(d.JoinURL, url.PathEscape(d.S.Code))
}

// Chromeless says the page is the presenter view: the layout leaves out
// the site's header and footer, for a projector.
func (d *livePage) Chromeless() bool { return d.Present }

func (s *Server) livePageData(r *http.Request, sess *live.Session, v viewer, mod bool) (*livePage, error) {
	ctx := r.Context()
	st, err := s.live.svc.LoadState(ctx, sess.ID, mod)
	if err != nil {
		return nil, err
	}
	fv, err := s.readerViewer(r)
	if err != nil {
		return nil, err
	}
	d := &livePage{S: st.Session, St: st, Channel: live.Channel(sess.ID, mod), Stage: st.Stage(), Open: st.OpenPoll(),
		Shown: st.Shown(), Mine: map[int64]bool{}, SignedIn: v.SignedIn(), Moderator: s.live.svc.Authorize(ctx, fv, forum.ActModerate, sess) == nil,
		Guest: !v.SignedIn() && st.Session.AllowGuests, Sort: r.URL.Query().Get("sort"), lang: info(r).lang}
	if d.Shown != nil {
		d.Result = newLiveResult(d.lang, d.Shown)
	}
	for i := 1; i <= live.RatingMax; i++ {
		d.Ratings = append(d.Ratings, i)
	}
	d.Questions = st.Questions // newest first
	if d.Sort != "new" {
		d.Sort = "top"
		live.SortTop(d.Questions)
	}
	me, err := s.participant(ctx, v, false)
	if err != nil {
		return nil, err
	}
	var pid int64
	if me != nil {
		pid = me.ID
	}
	mine, err := s.live.svc.MineOf(ctx, sess.ID, pid)
	if err != nil {
		return nil, err
	}
	d.Asked = mine.Asked
	for _, id := range mine.Upvoted {
		d.Mine[id] = true
	}
	if d.Open != nil {
		if a, ok := mine.Answers[strconv.FormatInt(d.Open.ID, 10)]; ok {
			d.MyAnswer = &a
		}
	}
	b, _ := json.Marshal(mine)
	d.MineJSON = string(b)
	// Every node's connections, as recorded in the broker (a few seconds
	// old for other nodes); on a broker error this node's count stands.
	for _, mod := range []bool{false, true} {
		n, _ := s.live.hub.Connected(ctx, live.Channel(sess.ID, mod))
		d.Connected += n
	}
	return d, nil
}

// handleLiveJoin shows the join-by-code form, or follows ?code=.
func (s *Server) handleLiveJoin(w http.ResponseWriter, r *http.Request) {
	if code := live.NormalizeCode(r.URL.Query().Get("code")); code != "" {
		if _, err := s.live.svc.SessionByCode(r.Context(), code); err != nil {
			s.serveError(w, r, err)
			return
		}
		http.Redirect(w, r, "/live/"+url.PathEscape(code), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "live_join", s.msgs.T(info(r).lang, "live.join.title"), nil)
}

func (s *Server) handleLive(w http.ResponseWriter, r *http.Request) {
	s.liveView(w, r, "live", false)
}

func (s *Server) handleLivePresent(w http.ResponseWriter, r *http.Request) {
	s.liveView(w, r, "live_present", false)
}

// presentView adds the presenter view's join address and its QR code.
func (s *Server) presentView(r *http.Request, d *livePage) error {
	d.Present = true
	d.JoinURL = s.publicURL(r, "/live/"+url.PathEscape(d.S.Code))
	var err error
	d.JoinQR, err = qrDataURI(d.JoinURL)
	return err
}

func (s *Server) handleLiveMod(w http.ResponseWriter, r *http.Request) {
	s.liveView(w, r, "live_mod", true)
}

func (s *Server) liveView(w http.ResponseWriter, r *http.Request, tmpl string, mod bool) {
	sess, v := s.liveSession(w, r, mod)
	if sess == nil {
		return
	}
	d, err := s.livePageData(r, sess, v, mod)
	if err == nil && tmpl == "live_present" {
		err = s.presentView(r, d)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, tmpl, sess.Title, d)
}

func (s *Server) handleLiveAsk(w http.ResponseWriter, r *http.Request) {
	sess, v := s.livePost(w, r, false)
	if sess == nil {
		return
	}
	p, err := s.liveParticipant(r.Context(), sess, v)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	name := r.PostFormValue("name")
	if v.User != nil {
		name = v.User.DisplayName
	}
	if _, err := s.live.svc.Ask(r.Context(), p, sess, name, r.PostFormValue("text"), r.PostFormValue("anonymous") == "1"); err != nil {
		s.serveError(w, r, err)
		return
	}
	s.liveDone(w, r, sess, v, p.ParticipantID, "?sort=new")
}

func (s *Server) handleLiveUpvote(w http.ResponseWriter, r *http.Request) {
	sess, v := s.livePost(w, r, false)
	if sess == nil {
		return
	}
	qid, err := strconv.ParseInt(r.PostFormValue("question"), 10, 64)
	if err != nil {
		s.serveError(w, r, errs.E(errs.Invalid, "error.bad_form", nil))
		return
	}
	on := r.PostFormValue("on") != "0"
	p, err := s.liveParticipant(r.Context(), sess, v)
	if err == nil {
		_, err = s.live.svc.Upvote(r.Context(), p, sess, qid, on)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	// The commit settled the viewer's state for this question: tell their
	// connections and answer without reading their whole state back.
	u := s.live.svc.SendUpvoted(r.Context(), sess.ID, qid, on, liveUser(v))
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]any{"upvoted": u})
		return
	}
	http.Redirect(w, r, "/live/"+url.PathEscape(sess.Code)+"#q"+strconv.FormatInt(qid, 10), http.StatusSeeOther)
}

func (s *Server) handleLiveAnswer(w http.ResponseWriter, r *http.Request) {
	sess, v := s.livePost(w, r, false)
	if sess == nil {
		return
	}
	pollID, err := strconv.ParseInt(r.PostFormValue("poll"), 10, 64)
	if err != nil {
		s.serveError(w, r, errs.E(errs.Invalid, "error.bad_form", nil))
		return
	}
	var a live.Answer
	for _, o := range r.PostForm["option"] {
		n, err := strconv.Atoi(o)
		if err != nil {
			s.serveError(w, r, errs.E(errs.Invalid, "error.bad_form", nil))
			return
		}
		a.Options = append(a.Options, n)
	}
	a.Rating, _ = strconv.Atoi(r.PostFormValue("rating"))
	a.Text = r.PostFormValue("text")
	p, err := s.liveParticipant(r.Context(), sess, v)
	if err == nil {
		err = s.live.svc.AnswerPoll(r.Context(), p, sess, pollID, a)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.liveDone(w, r, sess, v, p.ParticipantID, "#poll")
}
