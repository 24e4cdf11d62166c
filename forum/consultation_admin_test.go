package forum_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

func TestConsultationAdmin(t *testing.T) {
	w := newWorld(t)
	admin := w.user(t, "admin", forum.RoleAdmin)
	mod := w.user(t, "mod", forum.RoleModerator)
	good := forum.ConsultationInput{Title: "Raperda <b>Sampah</b>", Summary: "Ringkas", Body: "Isi **tebal**",
		Organizer: "Dinas Lingkungan Hidup", Region: "Kota Bandung", Topics: "Sampah, lingkungan, sampah", Status: forum.StatusDraft}
	tests := []struct {
		name string
		v    forum.Viewer
		edit func(*forum.ConsultationInput)
		kind errs.Kind
		key  string
	}{
		{"admin", admin, nil, -1, ""},
		{"moderator may not", mod, nil, errs.Forbidden, "error.action_forbidden"},
		{"short title", admin, func(in *forum.ConsultationInput) { in.Title = "ab" }, errs.Invalid, "error.length_title"},
		{"unknown status", admin, func(in *forum.ConsultationInput) { in.Status = "live" }, errs.Invalid, "error.consultation_status"},
		{"long organizer", admin, func(in *forum.ConsultationInput) { in.Organizer = strings.Repeat("x", 201) }, errs.Invalid, "error.length_organizer"},
		{"six topics", admin, func(in *forum.ConsultationInput) { in.Topics = "a,b,c,d,e,f" }, errs.Invalid, "error.length_topics"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := good
			if tc.edit != nil {
				tc.edit(&in)
			}
			c, err := w.store.CreateConsultation(w.ctx, tc.v, in)
			if tc.kind == -1 {
				if err != nil {
					t.Fatal(err)
				}
				if c.Slug == "" || c.Status != forum.StatusDraft || c.Topics != "|sampah|lingkungan|" || c.Title != "Raperda <b>Sampah</b>" {
					t.Fatalf("created %+v", c)
				}
				return
			}
			var fe *errs.Error
			if err == nil || errs.KindOf(err) != tc.kind || !errors.As(err, &fe) || fe.Key != tc.key {
				t.Fatalf("got %v, want %v %s", err, tc.kind, tc.key)
			}
		})
	}

	c, err := w.store.CreateConsultation(w.ctx, admin, forum.ConsultationInput{Title: "🌳🌳🌳", Status: forum.StatusDraft})
	if err != nil || c.Slug == "" {
		t.Fatalf("emoji title: %v %+v", err, c)
	}
	if err := forum.Can(w.ctx, w.guest(t, "g"), forum.ActRead, c.Item()); err == nil {
		t.Fatal("a guest sees a draft")
	}
	in := good
	in.Status, in.Title = forum.StatusOpen, "Raperda persampahan"
	slug := c.Slug
	if err := w.store.UpdateConsultation(w.ctx, admin, c, in); err != nil {
		t.Fatal(err)
	}
	got, err := forum.ConsultationByRef(w.ctx, w.db, slug)
	if err != nil || got.Title != "Raperda persampahan" || got.Status != forum.StatusOpen || got.Organizer != "Dinas Lingkungan Hidup" || got.Region != "Kota Bandung" {
		t.Fatalf("after update: %v %+v", err, got)
	}
	if err := w.store.UpdateConsultation(w.ctx, mod, got, in); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("moderator update: %v", err)
	}

	// Phases turn features on and off; the stage follows the clock.
	ph := &forum.Phase{ConsultationID: c.ID, Kind: "information", Features: "comments", StartsAt: t0, EndsAt: t0.Add(24 * time.Hour)}
	if err := w.store.SchedulePhase(w.ctx, mod, ph); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("moderator adds phase: %v", err)
	}
	if err := w.store.SchedulePhase(w.ctx, admin, ph); err != nil {
		t.Fatal(err)
	}
	st, err := forum.StageOf(w.ctx, w.db, got, t0.Add(time.Hour))
	if err != nil || st.Phase == nil || st.Features[forum.FeatureProposals] || !st.Features[forum.FeatureComments] {
		t.Fatalf("stage in information phase: %v %+v", err, st)
	}
	if err := w.store.RemovePhase(w.ctx, admin, c.ID+1000, ph.ID); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("remove phase of another consultation: %v", err)
	}
	if err := w.store.RemovePhase(w.ctx, admin, c.ID, ph.ID); err != nil {
		t.Fatal(err)
	}
	if st, _ = forum.StageOf(w.ctx, w.db, got, t0.Add(time.Hour)); !st.Features[forum.FeatureProposals] {
		t.Fatal("without phases an open consultation allows everything")
	}
	r := &forum.Rules{ConsultationID: c.ID, SupportLimit: 3, SupportThreshold: 10, GuestSupports: true, Premoderation: true, FlagThreshold: 5}
	if err := w.store.ConfigureRules(w.ctx, admin, r); err != nil {
		t.Fatal(err)
	}
	if back, _ := forum.RulesOf(w.ctx, w.db, c.ID); *back != *r {
		t.Fatalf("rules read back %+v", back)
	}
	log, err := forum.AuditLog(w.ctx, w.db, admin, 50)
	if err != nil || len(log) < 5 {
		t.Fatalf("audit log: %v, %d entries", err, len(log))
	}
}
