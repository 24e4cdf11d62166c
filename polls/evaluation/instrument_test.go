package evaluation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/evaluation"
	"github.com/rembug/rembug/polls/ikm"
	"github.com/rembug/rembug/polls/indicators"
)

// TestInstrumentsFrozenAtClose: a cycle's plan links an IKM survey and a
// satisfaction survey and keeps interview notes with files; closing the
// cycle freezes each survey's result, answers given afterwards change the
// live result only, and no instrument or file changes once closed. Only
// admins write; bad input writes nothing.
func TestInstrumentsFrozenAtClose(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	from, to := semester(2026, 1)
	clock := from.AddDate(0, 2, 9)
	ps := polls.NewStore(w.db, func() time.Time { return clock })
	unit, err := ps.EnsureIKMUnit(ctx, w.admin, "Kecamatan Tegalsari")
	if err != nil {
		t.Fatal(err)
	}
	ikmAnswer := func(key string, score int) {
		t.Helper()
		p, err := forum.EnsureParticipant(ctx, w.db, "guest", "test", key, clock)
		if err != nil {
			t.Fatal(err)
		}
		var r ikm.Response
		for k := range r.Scores {
			r.Scores[k] = score
		}
		if err := ps.SubmitIKM(ctx, unit.ID, p.ID, r); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		ikmAnswer(fmt.Sprint("ikm", i), 4)
	}
	ikmAnswer("ikm5", 1) // NRR (5×4 + 1)/6 = 3.5 for each element: IKM 87.50

	var cons int64
	w.db.NewRaw(`SELECT id FROM consultations WHERE slug = 'k'`).Scan(ctx, &cons)
	survey := func(title string, tagged bool) *polls.Survey {
		t.Helper()
		s := &polls.Survey{ConsultationID: cons, Title: title, OpensAt: from, ClosesAt: to}
		q := polls.Question{Code: "puas", Kind: polls.KindRating, Text: "Seberapa puas Anda?", Spec: polls.Spec{Satisfaction: tagged}}
		if err := ps.CreateSurvey(ctx, w.admin, s, []polls.Question{q}); err != nil {
			t.Fatal(err)
		}
		return s
	}
	sat, other := survey("Survei kepuasan", true), survey("Survei lain", false)
	answer := func(i, v int) {
		// Anonymous answers record neither time nor person; they count.
		w.exec(`INSERT INTO survey_responses (id, survey_id, participant_id, answers, answered_at) VALUES (?, ?, NULL, ?, NULL)`,
			fmt.Sprint("r", i), sat.ID, fmt.Sprintf(`{"puas":{"v":%d}}`, v))
	}
	for i, v := range []int{4, 4, 5, 5, 2} { // mean 4, score 80
		answer(i, v)
	}

	c := &evaluation.Cycle{Name: "Semester I 2026", From: from, To: to}
	if err := w.store.Open(ctx, w.admin, c, nil); err != nil {
		t.Fatal(err)
	}
	add := func(v forum.Viewer, in evaluation.Instrument) (*evaluation.Instrument, error) {
		in.CycleID = c.ID
		return &in, w.store.AddInstrument(ctx, v, &in)
	}
	if _, err := add(w.analyst, evaluation.Instrument{Kind: evaluation.InstrumentIKM, RefID: unit.ID, Period: "2026-S1"}); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("analyst links an IKM survey: %v, want forbidden", err)
	}
	for _, bad := range []struct {
		in  evaluation.Instrument
		key string
	}{
		{evaluation.Instrument{Kind: evaluation.InstrumentIKM, RefID: unit.ID, Period: "2026-S3"}, "eval.error.instrument_period"},
		{evaluation.Instrument{Kind: evaluation.InstrumentIKM, RefID: unit.ID + 99, Period: "2026-S1"}, "eval.error.instrument_unit"},
		{evaluation.Instrument{Kind: evaluation.InstrumentSurvey, RefID: other.ID}, "eval.error.instrument_survey"},
		{evaluation.Instrument{Kind: evaluation.InstrumentSurvey, RefID: sat.ID + 99}, "eval.error.instrument_survey"},
		{evaluation.Instrument{Kind: evaluation.InstrumentInterview, Title: " ", HeldOn: "2026-03-01"}, "eval.error.interview_title"},
		{evaluation.Instrument{Kind: evaluation.InstrumentInterview, Title: "Lurah", HeldOn: "1 Maret"}, "eval.error.interview_date"},
		{evaluation.Instrument{Kind: "focus"}, "eval.error.instrument_kind"},
	} {
		if _, err := add(w.admin, bad.in); errs.KindOf(err) != errs.Invalid || keyOf(err) != bad.key {
			t.Errorf("add %+v: %v, want %s", bad.in, err, bad.key)
		}
	}
	ikmIn, err := add(w.admin, evaluation.Instrument{Kind: evaluation.InstrumentIKM, RefID: unit.ID, Period: "2026-s1"})
	if err != nil || ikmIn.Period != "2026-S1" || ikmIn.Title != "Kecamatan Tegalsari" {
		t.Fatalf("link IKM: %+v, %v", ikmIn, err)
	}
	if _, err := add(w.admin, evaluation.Instrument{Kind: evaluation.InstrumentIKM, RefID: unit.ID, Period: "2026-S1"}); errs.KindOf(err) != errs.Conflict {
		t.Errorf("the same IKM survey twice: %v, want conflict", err)
	}
	if _, err := add(w.admin, evaluation.Instrument{Kind: evaluation.InstrumentSurvey, RefID: sat.ID}); err != nil {
		t.Fatal(err)
	}
	iv, err := add(w.admin, evaluation.Instrument{Kind: evaluation.InstrumentInterview, Title: "Lurah Keputran", HeldOn: "2026-03-02",
		Notes: "Warga mengeluhkan antrean."})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.store.EditInterview(ctx, w.admin, c.ID, iv.ID, "Lurah Keputran", "2026-03-03", "Warga mengeluhkan antrean pagi."); err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	f, err := w.store.AttachFile(ctx, w.admin, c.ID, iv.ID, "notulen wawancara.PDF", pdf)
	if err != nil || f.ContentType != "application/pdf" || f.Size != int64(len(pdf)) || f.Name != "notulen wawancara.pdf" {
		t.Fatalf("attach: %+v, %v", f, err)
	}
	for name, data := range map[string][]byte{"notulen.svg": []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`),
		"notulen.pdf": []byte("<html><script>alert(1)</script></html>"), "kosong.pdf": nil} {
		if _, err := w.store.AttachFile(ctx, w.admin, c.ID, iv.ID, name, data); errs.KindOf(err) != errs.Invalid {
			t.Errorf("attach %s: %v, want invalid", name, err)
		}
	}
	if _, err := w.store.AttachFile(ctx, w.admin, c.ID, ikmIn.ID, "x.pdf", pdf); err != errs.ErrNotFound {
		t.Errorf("a file on an IKM survey: %v, want not found", err)
	}

	live, err := evaluation.ResultOf(ctx, w.db, ikmIn, w.now)
	if err != nil || live.Respondents != 6 || live.IKM.Rounded != 8750 {
		t.Fatalf("live IKM = %+v, %v; want 6 respondents, 87.50", live, err)
	}
	if err := w.store.Close(ctx, w.admin, c.ID); err != nil {
		t.Fatal(err)
	}
	// Answers after the close, inside the cycle's period.
	ikmAnswer("ikm6", 1)
	answer(5, 1)
	ins, err := evaluation.Instruments(ctx, w.db, c.ID)
	if err != nil || len(ins) != 3 {
		t.Fatalf("instruments = %+v, %v", ins, err)
	}
	frozen := func(in *evaluation.Instrument) *evaluation.InstrumentResult {
		t.Helper()
		r, err := in.Frozen()
		if err != nil || r == nil {
			t.Fatalf("frozen result of %s: %+v, %v", in.Kind, r, err)
		}
		return r
	}
	if r := frozen(&ins[0]); r.Respondents != 6 || r.IKM.Rounded != 8750 || r.IKM.Grade != ikm.GradeB {
		t.Errorf("frozen IKM = %+v; want 6 respondents, 87.50 (B)", r)
	}
	if r := frozen(&ins[1]); r.Respondents != 5 || len(r.Survey) != 1 || *r.Survey[0].Mean != 4 || *r.Survey[0].Score != 80 {
		t.Errorf("frozen survey = %+v; want 5 respondents, mean 4, score 80", r)
	}
	if r, _ := ins[2].Frozen(); r != nil || ins[2].Notes != "Warga mengeluhkan antrean pagi." || ins[2].HeldOn != "2026-03-03" || len(ins[2].Files) != 1 {
		t.Errorf("interview = %+v (result %+v)", ins[2], r)
	}
	if now, _ := evaluation.ResultOf(ctx, w.db, &ins[0], w.now); now.Respondents != 7 {
		t.Errorf("live IKM after the close has %d respondents, want 7", now.Respondents)
	}
	if now, _ := evaluation.ResultOf(ctx, w.db, &ins[1], w.now); now.Respondents != 6 {
		t.Errorf("live survey after the close has %d respondents, want 6", now.Respondents)
	}
	closed := func(what string, err error) {
		t.Helper()
		if errs.KindOf(err) != errs.Conflict || keyOf(err) != "eval.error.instruments_closed" {
			t.Errorf("%s after the close: %v, want eval.error.instruments_closed", what, err)
		}
	}
	_, err = add(w.admin, evaluation.Instrument{Kind: evaluation.InstrumentInterview, Title: "Camat", HeldOn: "2026-07-01"})
	closed("add", err)
	closed("edit", w.store.EditInterview(ctx, w.admin, c.ID, iv.ID, "Camat", "2026-07-01", ""))
	closed("delete", w.store.DeleteInstrument(ctx, w.admin, c.ID, ikmIn.ID))
	_, err = w.store.AttachFile(ctx, w.admin, c.ID, iv.ID, "b.pdf", pdf)
	closed("attach", err)
	closed("remove a file", w.store.DeleteFile(ctx, w.admin, c.ID, f.ID))

	var audits int
	w.db.NewRaw(`SELECT COUNT(*) FROM audit_log WHERE action LIKE 'evaluation_instrument%' OR action LIKE 'evaluation_file%'`).Scan(ctx, &audits)
	if audits != 5 { // three added, one edited, one file
		t.Errorf("%d audit rows, want 5", audits)
	}
	if got, _ := evaluation.InstrumentFileData(ctx, w.db, f); string(got) != string(pdf) {
		t.Errorf("stored file = %q", got)
	}
}

// TestInstrumentResultRedacted: the public sees no figures of a survey
// answered by fewer than five people, nor of a question answered by fewer.
func TestInstrumentResultRedacted(t *testing.T) {
	mean, score := 4.0, 80.0
	small := &evaluation.InstrumentResult{Respondents: 4, IKM: &ikm.Result{Respondents: 4, Rounded: 9000}}
	if r := small.Redacted(); r.IKM != nil || r.Respondents != 4 {
		t.Errorf("4 respondents, public: %+v", r)
	}
	var res evaluation.InstrumentResult
	res.Respondents = 9
	res.Survey = append(res.Survey, scoreOf(9, &mean, &score), scoreOf(3, &mean, &score))
	r := res.Redacted()
	if len(r.Survey) != 2 || r.Survey[0].Mean == nil || r.Survey[1].Mean != nil || r.Survey[1].Score != nil {
		t.Errorf("public question scores = %+v; want the one answered by 3 without figures", r.Survey)
	}
	if res.Survey[1].Mean == nil {
		t.Error("Redacted changed its receiver")
	}
}

// keyOf is err's translation key, "" for an error without one.
func keyOf(err error) string {
	if e := errs.As(err); e != nil {
		return e.Key
	}
	return ""
}

func scoreOf(n int, mean, score *float64) indicators.SurveyScore {
	return indicators.SurveyScore{Question: "Puas?", Kind: "rating", Respondents: n, Mean: mean, Score: score}
}
