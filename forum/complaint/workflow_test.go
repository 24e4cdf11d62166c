package complaint

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/complaint/workday"
	"github.com/rembug/rembug/forum/errs"
)

func wibAt(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, wibZone)
	if err != nil {
		panic(err)
	}
	return t
}

// A complaint received on Friday 5 April 2024 at 15:30, before Idul Fitri
// 1445 H (cuti bersama 8, 9, 12, 15 April; SKB 855/2023): its clock starts
// on Tuesday 16 April, pauses while the agency waits on the citizen, and it
// is answered, closed with a rating, reopened to the limit and merged.
func TestWorkflowLebaranPauseReopenMerge(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.clk.Set("2024-04-05 15:30")
	r := f.submit(t, Intake{ReporterUserID: &f.citizen.Viewer.User.ID, ReporterName: "Siti", ReporterPhone: "081234567890"})
	c := r.Complaint
	if c.Number != "ADU-2024-000001" || c.Status != StatusReceived || r.Secret == "" {
		t.Fatalf("intake: %+v secret %q", c, r.Secret)
	}
	sla := must(f.s.Clock(ctx, c))
	if sla.Stage != StageTriage || !sla.Due.Equal(wibAt("2024-04-19 00:00")) {
		t.Fatalf("triage clock: %+v", sla)
	}

	f.clk.Set("2024-04-16 08:00")
	c = must(f.s.Verify(ctx, f.admin, c.ID, nil, false))
	if _, err := f.s.Verify(ctx, f.admin, c.ID, nil, false); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("verify twice: %v", err)
	}
	if _, err := f.s.Route(ctx, f.officerA, c.ID, []int64{f.agencyA}, ""); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("officer routing an unrouted complaint: %v", err)
	}
	c = must(f.s.Route(ctx, f.admin, c.ID, []int64{f.agencyB}, "salah OPD?"))
	c = must(f.s.Route(ctx, f.admin, c.ID, []int64{f.agencyA, f.agencyB}, "bersama"))
	if c.Status != StatusRouted || len(c.Agencies) != 2 {
		t.Fatalf("re-route: %+v", c)
	}
	sla = must(f.s.Clock(ctx, c))
	if sla.Stage != StageResponse || !sla.Due.Equal(wibAt("2024-04-23 00:00")) {
		t.Fatalf("response clock: %+v", sla)
	}
	c = must(f.s.Start(ctx, f.officerA, c.ID))

	// Asked on Wednesday 17 April at 00:00 (one working day used), the
	// citizen answers on Monday 22 April at 00:00: 17, 18 and 19 April,
	// three working days, are paused.
	f.clk.Set("2024-04-17 00:00")
	c = must(f.s.AskCitizen(ctx, f.officerA, c.ID, "Mohon kirim foto lokasi."))
	f.clk.Set("2024-04-20 12:00")
	sla = must(f.s.Clock(ctx, c))
	if !sla.Paused || sla.Used != workday.Day || sla.Stage != StageResolution {
		t.Fatalf("paused clock: %+v", sla)
	}
	f.clk.Set("2024-04-22 00:00")
	c = must(f.s.Reply(ctx, Actor{Secret: r.Secret}, c.ID, "Foto sudah saya kirim lewat WA."))
	if time.Duration(c.PausedNS) != 3*workday.Day {
		t.Fatalf("paused %v, want 3 working days", time.Duration(c.PausedNS))
	}
	sla = must(f.s.Clock(ctx, c))
	// 14 working days from 16 April plus the 3 paused.
	want := f.s.Calendar().Add(f.s.Calendar().ClockStart(c.ReceivedAt), 17*workday.Day)
	if !sla.Due.Equal(want) || sla.Used != workday.Day {
		t.Fatalf("resolution clock after pause: %+v, want due %v", sla, want)
	}

	if _, err := f.s.Answer(ctx, f.officerB, c.ID, "Sudah diperbaiki."); err != nil {
		t.Fatalf("second agency answers: %v", err)
	}
	if _, err := f.s.Close(ctx, f.officerA, c.ID, 4, ""); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("officer closing for the citizen: %v", err)
	}
	c = must(f.s.Close(ctx, f.citizen, c.ID, 3, "cukup cepat"))
	if c.Status != StatusClosed || c.Rating != 3 {
		t.Fatalf("close: %+v", c)
	}
	for i := 0; i < 2; i++ {
		c = must(f.s.Reopen(ctx, Actor{Secret: r.Secret}, c.ID, "Lampu mati lagi."))
		c = must(f.s.Answer(ctx, f.officerA, c.ID, "Sudah diganti."))
	}
	if _, err := f.s.Reopen(ctx, f.citizen, c.ID, "Lagi."); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("third reopen: %v", err)
	}

	dup := f.submit(t, Intake{Body: "Lampu PJU di Jalan Darmo padam, tolong."}).Complaint
	if _, err := f.s.Merge(ctx, f.officerA, dup.ID, c.ID); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("officer merging an unrouted complaint: %v", err)
	}
	d := must(f.s.Merge(ctx, f.admin, dup.ID, c.ID))
	if d.Status != StatusMerged || *d.MergedIntoID != c.ID {
		t.Fatalf("merge: %+v", d)
	}
	if _, err := f.s.Merge(ctx, f.admin, c.ID, dup.ID); errs.KindOf(err) != errs.Conflict && errs.KindOf(err) != errs.Invalid {
		t.Fatalf("merge into a merged complaint: %v", err)
	}
	tl := must(f.s.Timeline(ctx, c))
	if tl[len(tl)-1].Kind != "merged_from" {
		t.Fatalf("primary timeline ends with %q", tl[len(tl)-1].Kind)
	}
	var actions []string
	must(0, f.s.db.NewSelect().Table("audit_log").Column("action").Where("target_kind = 'complaint' AND target_id = ?", dup.ID).
		Order("id").Scan(ctx, &actions))
	if !slices.Contains(actions, "complaint.receive") || !slices.Contains(actions, "complaint.merge") {
		t.Fatalf("audit rows of the merged complaint: %v", actions)
	}
}

func TestRejectAndAutoClose(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	c := f.submit(t, Intake{}).Complaint
	if _, err := f.s.Reject(ctx, f.admin, c.ID, "spam", ""); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("unknown reason: %v", err)
	}
	c = must(f.s.Reject(ctx, f.admin, c.ID, RejectOutsideAuthority, "Wewenang pemerintah provinsi."))
	if c.Status != StatusRejected || c.RejectReason != "outside_authority" {
		t.Fatalf("reject: %+v", c)
	}
	c2 := f.submit(t, Intake{}).Complaint
	must(f.s.Route(ctx, f.admin, c2.ID, []int64{f.agencyA}, ""))
	must(f.s.Answer(ctx, f.officerA, c2.ID, "Sudah ditangani."))
	f.clk.Set("2024-04-14 09:00")
	if n := must(f.s.AutoClose(ctx)); n != 0 {
		t.Fatalf("auto-closed %d before 14 days", n)
	}
	f.clk.Set("2024-04-15 09:01")
	if n := must(f.s.AutoClose(ctx)); n != 1 {
		t.Fatalf("auto-closed %d, want 1", n)
	}
}

func TestDeadlineJob(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.clk.Set("2024-04-05 15:30") // triage due 19 April 00:00
	c := f.submit(t, Intake{}).Complaint
	steps := []struct {
		at              string
		warned, escaled int
	}{
		{"2024-04-17 12:00", 0, 0}, // 1.5 of 3 days
		{"2024-04-18 10:00", 1, 0}, // 2.4 of 3 days: 80 %
		{"2024-04-18 11:00", 0, 0}, // once per stage
		{"2024-04-19 00:00", 0, 1},
		{"2024-04-22 00:00", 0, 0},
	}
	for _, st := range steps {
		f.clk.Set(st.at)
		rep := must(f.s.CheckDeadlines(ctx))
		if rep.Warned != st.warned || rep.Escalated != st.escaled {
			t.Fatalf("at %s: %+v, want warned %d escalated %d", st.at, rep, st.warned, st.escaled)
		}
	}
	must(f.s.Route(ctx, f.admin, c.ID, []int64{f.agencyA}, ""))
	f.clk.Set("2024-04-30 00:00") // response target (5 days, to 23 April) overdue
	if rep := must(f.s.CheckDeadlines(ctx)); rep.Escalated != 1 {
		t.Fatalf("response stage: %+v", rep)
	}
}

// Tracking numbers stay gapless and unique when many intakes race, and a
// provider retrying one message id gets one complaint.
func TestConcurrentIntake(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	numbers := make(chan string, 2*n)
	for i := 0; i < n; i++ {
		wg.Add(2)
		go func(i int) {
			defer wg.Done()
			r, err := f.s.Submit(ctx, Actor{}, Intake{Channel: ChannelWhatsApp, IdemKey: fmt.Sprintf("wamid.%d", i),
				Body: "Sampah menumpuk di depan pasar, mohon diangkut."})
			if err != nil {
				errs <- err
				return
			}
			numbers <- r.Complaint.Number
		}(i)
		go func() {
			defer wg.Done()
			_, err := f.s.Submit(ctx, Actor{}, Intake{Channel: ChannelSMS, IdemKey: "sms-retry-1",
				Body: "Air PDAM tidak mengalir tiga hari."})
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	close(numbers)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for num := range numbers {
		seen[num] = true
	}
	if len(seen) != n {
		t.Fatalf("%d distinct numbers for %d messages", len(seen), n)
	}
	var count, max int
	must(0, f.s.db.NewSelect().Table("complaints").ColumnExpr("count(*)").Scan(ctx, &count))
	must(0, f.s.db.NewSelect().Table("complaint_counters").Column("last").Where("year = 2024").Scan(ctx, &max))
	if count != n+1 || max != n+1 {
		t.Fatalf("%d complaints, counter at %d, want %d and %d (gapless)", count, max, n+1, n+1)
	}
	for i := 1; i <= n+1; i++ {
		var k int
		must(0, f.s.db.NewSelect().Table("complaints").ColumnExpr("count(*)").Where("number = ?", FormatNumber(2024, int64(i))).Scan(ctx, &k))
		if k != 1 {
			t.Fatalf("number %d present %d times", i, k)
		}
	}
}

// Routing learns from routed complaints, and auto-routes only above the
// admin's threshold (off by default).
func TestRoutingSuggestAndAutoRoute(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for _, b := range []string{"Sampah menumpuk di depan pasar belum diangkut", "Tumpukan sampah berbau di gang tiga", "Pengangkutan sampah terlambat seminggu"} {
		c := f.submit(t, Intake{Body: b}).Complaint
		must(f.s.Route(ctx, f.admin, c.ID, []int64{f.agencyA}, ""))
	}
	for _, b := range []string{"Lampu lalu lintas di perempatan mati", "Parkir liar memenuhi jalan utama", "Rambu lalu lintas roboh ditabrak"} {
		c := f.submit(t, Intake{Body: b}).Complaint
		must(f.s.Route(ctx, f.admin, c.ID, []int64{f.agencyB}, ""))
	}
	sg := f.s.Suggest("Sampahnya tidak diangkut petugas")
	if len(sg) != 2 || sg[0].Agency != "Dinas Lingkungan Hidup" {
		t.Fatalf("suggestions %+v", sg)
	}
	c := f.submit(t, Intake{Body: "Sampah di taman kota menumpuk"}).Complaint
	if c.Status != StatusReceived {
		t.Fatalf("auto-routed with the threshold off: %+v", c)
	}
	if err := f.s.SetAutoRouteThreshold(ctx, f.officerA, 0.5); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("officer set threshold: %v", err)
	}
	if err := f.s.SetAutoRouteThreshold(ctx, f.admin, 0.5); err != nil {
		t.Fatal(err)
	}
	c = f.submit(t, Intake{Body: "Sampah di taman kota menumpuk lagi"}).Complaint
	if c.Status != StatusRouted || len(c.Agencies) != 1 || c.Agencies[0] != f.agencyA {
		t.Fatalf("not auto-routed above the threshold: %+v", c)
	}
	// A fresh store learns the same history from the database.
	s2, err := NewStore(ctx, f.s.db, Config{Location: wibZone, Now: f.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	if sg2 := s2.Suggest("Sampahnya tidak diangkut petugas"); len(sg2) == 0 || sg2[0].Agency != sg[0].Agency {
		t.Fatalf("retrained suggestions %+v", sg2)
	}
}

// After the retention period, a closed complaint keeps its handling record
// but loses its reporter, secret and the personal data in its text.
func TestEraseExpired(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	lat, lon := -7.25, 112.75
	r := f.submit(t, Intake{Body: "Hubungi saya di 081234567890 atau budi@example.id soal jalan rusak", ReporterName: "Budi",
		ReporterPhone: "081234567890", ReporterEmail: "budi@example.id", ReporterUserID: &f.citizen.Viewer.User.ID, Latitude: &lat, Longitude: &lon})
	c := r.Complaint
	must(f.s.Route(ctx, f.admin, c.ID, []int64{f.agencyA}, ""))
	must(f.s.Answer(ctx, f.officerA, c.ID, "Sudah kami hubungi di 081234567890."))
	must(f.s.Close(ctx, Actor{Secret: r.Secret}, c.ID, 4, "Terima kasih, email saya budi@example.id"))
	open := f.submit(t, Intake{ReporterName: "Ani", ReporterPhone: "08111111111"}).Complaint

	f.clk.Set("2025-03-31 09:00") // 364 days after closing
	if n := must(f.s.EraseExpired(ctx)); n != 0 {
		t.Fatalf("erased %d before the retention period", n)
	}
	f.clk.Set("2025-04-02 09:00")
	if n := must(f.s.EraseExpired(ctx)); n != 1 {
		t.Fatalf("erased %d, want 1", n)
	}
	if n := must(f.s.EraseExpired(ctx)); n != 0 {
		t.Fatalf("erased again: %d", n)
	}
	c = must(f.s.ByNumber(ctx, c.Number))
	if c.ReporterName != "" || c.ReporterPhone != "" || c.ReporterEmail != "" || c.ReporterUserID != nil || c.SecretHash != "" ||
		c.Latitude != nil || ContainsPersonalData(c.Body) || ContainsPersonalData(c.RatingComment) || c.Rating != 4 || c.AnsweredAt == nil {
		t.Fatalf("after erasure: %+v", c)
	}
	for _, e := range must(f.s.Timeline(ctx, c)) {
		if ContainsPersonalData(e.Body) {
			t.Fatalf("timeline keeps personal data: %q", e.Body)
		}
	}
	if v := f.s.Access(Actor{Secret: r.Secret}, c); v.Read {
		t.Fatal("the old tracking secret still opens an erased complaint")
	}
	if o := must(f.s.ByNumber(ctx, open.Number)); o.ReporterName != "Ani" {
		t.Fatalf("open complaint erased: %+v", o)
	}
}
