package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
)

// TestHomeCards: the home page shows each consultation as a card with its
// organising agency, summary, current phase and its end in WIB, and a
// "Ikut serta" button; open consultations come before closed ones even
// when newer; live sessions running now have their own section, and a
// focus group's session is not listed there.
func TestHomeCards(t *testing.T) {
	f := newLiveFixture(t)
	ctx := context.Background()
	if _, err := f.db.NewUpdate().Model((*forum.Consultation)(nil)).Set("organizer = ?", "Dinas Lingkungan Hidup").
		Set("summary = ?", "Di mana taman baru dibangun?").Where("id = ?", f.c.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SchedulePhase(ctx, f.staff(t), &forum.Phase{ConsultationID: f.c.ID, Kind: "proposals", Features: "proposals,comments",
		StartsAt: now.Add(-time.Hour), EndsAt: time.Date(2026, 12, 31, 16, 59, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	closed := &forum.Consultation{Title: "Anggaran 2025", Status: forum.StatusClosed, Source: "test", SourceKey: "closed"}
	if err := forum.UpsertImportedConsultation(ctx, f.db, closed, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	code := f.createSession(t, nil)

	_, page := get(t, browser(t), f.url+"/")
	open, shut := strings.Index(page, "Taman kota"), strings.Index(page, "Anggaran 2025")
	if open < 0 || shut < 0 || open > shut {
		t.Fatalf("open consultation not first (open at %d, closed at %d)", open, shut)
	}
	card := page[strings.Index(page, `<li class="card">`):shut]
	for _, want := range []string{"Dinas Lingkungan Hidup", "Di mana taman baru dibangun?", `<span class="badge is-info">pengusulan</span> sampai 31 Des 2026 23.59 WIB`,
		`<a class="button primary" href="/k/` + f.c.Slug + `">Ikut serta`} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}
	if !strings.Contains(page, `<h2 id="live-now">Sesi langsung sekarang</h2>`) || !strings.Contains(page, `href="/live/`+code+`">Gabung`) {
		t.Errorf("no live session section:\n%s", page)
	}
	if !strings.Contains(page[shut:], `Ditutup`) || !strings.Contains(page[shut:], "Lihat hasil") {
		t.Errorf("closed card:\n%s", page[shut:])
	}
}

// TestProposalsOnlyConsultation: a consultation with proposals and no
// statements opens on its proposals (a "Kirim usulan" button and a link to
// them first), not on "no statements yet", and its feature chips leave out
// statement rating.
func TestProposalsOnlyConsultation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := &forum.Consultation{Title: "Usulan RT", Source: "test", SourceKey: "usulan"}
	if err := forum.UpsertImportedConsultation(ctx, f.db, c, now); err != nil {
		t.Fatal(err)
	}
	author, err := forum.EnsureParticipant(ctx, f.db, forum.ParticipantImported, "test:usulan", "u1", now)
	if err != nil {
		t.Fatal(err)
	}
	p := &forum.Proposal{ConsultationID: c.ID, AuthorID: author.ID, Title: "Lampu jalan", State: forum.StatePublished, Source: "test", SourceKey: "1", CreatedAt: now, UpdatedAt: now}
	if _, err := f.db.NewInsert().Model(p).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	_, page := get(t, browser(t), f.url+"/k/"+c.Slug)
	h1 := strings.Index(page, "<h1")
	primary := strings.Index(page, `<p class="primary-action"><a class="button primary big" href="/k/`+c.Slug+`/proposals/new">Kirim usulan</a> <a href="/k/`+c.Slug+`/proposals">Lihat 1 usulan</a></p>`)
	if h1 < 0 || primary < h1 || strings.Contains(page, "Belum ada pernyataan") || strings.Contains(page, "menilai pernyataan") {
		t.Fatalf("proposals-only consultation page (h1 at %d, primary at %d):\n%s", h1, primary, page)
	}
}

// TestHomeCountsSpacing: a card's counts read "1 usulan · 2 komentar · 2
// pernyataan" with one space around each dot, never a run of spaces.
func TestHomeCountsSpacing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	author, err := forum.EnsureParticipant(ctx, f.db, forum.ParticipantImported, "test:taman", "u1", now)
	if err != nil {
		t.Fatal(err)
	}
	p := &forum.Proposal{ConsultationID: f.c.ID, AuthorID: author.ID, Title: "Lampu jalan", State: forum.StatePublished, Comments: 2,
		Source: "test", SourceKey: "1", CreatedAt: now, UpdatedAt: now}
	if _, err := f.db.NewInsert().Model(p).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	_, page := get(t, browser(t), f.url+"/")
	i := strings.Index(page, `<p class="counts">`)
	if i < 0 {
		t.Fatalf("no counts:\n%s", page)
	}
	plain := page[i : i+strings.Index(page[i:], "</p>")]
	for strings.Contains(plain, "<") {
		a := strings.Index(plain, "<")
		plain = plain[:a] + plain[a+strings.Index(plain[a:], ">")+1:]
	}
	if strings.Contains(plain, "  ") || strings.Contains(plain, "\n") || !strings.Contains(plain, "1 usulan · 2 komentar · 2 pernyataan") {
		t.Errorf("counts text %q", plain)
	}
}
