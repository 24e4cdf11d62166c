package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/realtime/live"
)

// handleLiveExport sends a session's record to whom the access rule lets
// export it (analysts and moderators of what they read): GET /live/{code}/export/record.json (everything, raw values)
// or /live/{code}/export/<part>.csv for part in questions, upvotes, polls,
// answers (formula-safe cells). Participants appear as pseudonyms.
func (s *Server) handleLiveExport(w http.ResponseWriter, r *http.Request) {
	sess, err := s.live.svc.SessionByCode(r.Context(), r.PathValue("code"))
	if err == nil {
		var v forum.Viewer
		if v, err = s.readerViewer(r); err == nil {
			err = s.live.svc.Authorize(r.Context(), v, forum.ActExport, sess)
		}
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	file := r.PathValue("file")
	part, isCSV := strings.CutSuffix(file, ".csv")
	if file != "record.json" && (!isCSV || !slices.Contains(live.RecordParts(), part)) {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	rec, err := s.live.svc.Record(r.Context(), sess.ID)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	name := "rembug-live-" + sess.Code + "-" + file
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if !isCSV {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(rec) //nolint:errcheck // the client went away
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	if err := rec.WriteCSV(w, part); err != nil {
		s.log.Error("live export", "request_id", info(r).id, "err", err)
	}
}
