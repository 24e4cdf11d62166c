package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/realtime/live"
)

// handleLiveExport sends a session's record to staff (admins, moderators,
// analysts): GET /live/{code}/export/record.json (everything, raw values)
// or /live/{code}/export/<part>.csv for part in questions, upvotes, polls,
// answers (formula-safe cells). Participants appear as pseudonyms.
func (s *Server) handleLiveExport(w http.ResponseWriter, r *http.Request) {
	v := s.viewerOf(r)
	if v.User == nil || !v.Staff() {
		s.liveFail(w, r, errs.E(errs.Forbidden, "live.error.staff_only", nil))
		return
	}
	sess, err := s.live.svc.SessionByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		s.liveFail(w, r, err)
		return
	}
	file := r.PathValue("file")
	part, isCSV := strings.CutSuffix(file, ".csv")
	if file != "record.json" && (!isCSV || !slices.Contains(live.RecordParts(), part)) {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	rec, err := s.live.svc.Record(r.Context(), sess.ID)
	if err != nil {
		s.liveFail(w, r, err)
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
