package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
)

var evalFileRE = regexp.MustCompile(`href="(/admin/evaluasi/\d+/berkas/\d+/[^"]+)" download`)

// TestEvaluationInstruments: an admin links an IKM survey and two
// satisfaction surveys to a cycle's plan and records an interview with a
// file, from the report's forms; the results show live, freeze at the
// close (later answers change nothing) and nothing changes afterwards.
// Once published, the public sees the figures but not those answered by
// fewer than five people, not a survey of a consultation it may not read,
// and never the interview's files; staff open the files.
func TestEvaluationInstruments(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	analyst := fpSignIn(t, f, "analis", forum.RoleAnalyst)
	guest := browser(t)
	at := time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC)
	ps := polls.NewStore(f.db, func() time.Time { return at })
	av, err := forum.LoadViewer(ctx, f.db, admin.user, 0)
	if err != nil {
		t.Fatal(err)
	}
	unit, err := ps.EnsureIKMUnit(ctx, av, "Kecamatan Genteng")
	if err != nil {
		t.Fatal(err)
	}
	ikmAnswer := func(key string, score int) {
		t.Helper()
		p, err := forum.EnsureParticipant(ctx, f.db, "guest", "test", key, at)
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
		ikmAnswer(fmt.Sprint("w", i), 4)
	}
	ikmAnswer("w5", 1) // IKM 87.50, grade B

	var draft int64
	if err := f.db.NewRaw(`INSERT INTO consultations (slug, title, description, status, source, source_key, source_url, created_at, updated_at)
		VALUES ('rahasia', 'Konsultasi tertutup', '', 'draft', '', '', '', ?, ?) RETURNING id`, at, at).Scan(ctx, &draft); err != nil {
		t.Fatal(err)
	}
	survey := func(cons int64, title string, answers ...int) int64 {
		t.Helper()
		s := &polls.Survey{ConsultationID: cons, Title: title, OpensAt: at, ClosesAt: at.AddDate(0, 1, 0)}
		q := polls.Question{Code: "puas", Kind: polls.KindRating, Text: "Seberapa puas Anda dengan layanan kecamatan?", Spec: polls.Spec{Satisfaction: true}}
		if err := ps.CreateSurvey(ctx, av, s, []polls.Question{q}); err != nil {
			t.Fatal(err)
		}
		for i, v := range answers {
			if _, err := f.db.NewRaw(`INSERT INTO survey_responses (id, survey_id, participant_id, answers, answered_at) VALUES (?, ?, NULL, ?, NULL)`,
				fmt.Sprint(title, i), s.ID, fmt.Sprintf(`{"puas":{"v":%d}}`, v)).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		return s.ID
	}
	big := survey(f.c.ID, "Survei kepuasan warga", 4, 4, 5, 5, 2) // mean 4, score 80
	small := survey(f.c.ID, "Survei kecil", 5, 5, 5)
	hidden := survey(draft, "Survei kelompok tertutup", 1, 1, 1, 1, 1, 1)

	code, loc, _ := fpPost(t, admin.c, f, "/admin/evaluasi", url.Values{"csrf": {admin.csrf}, "name": {"Semester I 2026"},
		"from": {"2026-01-01"}, "to": {"2026-06-30"}})
	if code != http.StatusSeeOther {
		t.Fatalf("open: %d", code)
	}
	page := loc
	code, body := get(t, admin.c, f.url+page)
	if code != http.StatusOK || !strings.Contains(body, `id="eval-ikm"`) || !strings.Contains(body, ">Kecamatan Genteng<") ||
		!strings.Contains(body, `value="2026-S1"`) || !strings.Contains(body, "Survei kelompok tertutup (Konsultasi tertutup)") {
		t.Fatalf("admin's report has no instrument forms: %d %.400s", code, body)
	}
	add := func(m *fpMember, form url.Values) (int, string) {
		t.Helper()
		form.Set("csrf", m.csrf)
		code, _, body := fpPost(t, m.c, f, page+"/instrumen", form)
		return code, body
	}
	if code, _ := add(analyst, url.Values{"kind": {"ikm"}, "unit": {fmt.Sprint(unit.ID)}, "period": {"2026-S1"}}); code != http.StatusForbidden {
		t.Errorf("analyst links an IKM survey: %d, want 403", code)
	}
	for _, bad := range []struct {
		form url.Values
		msg  string
	}{
		{url.Values{"kind": {"ikm"}, "unit": {fmt.Sprint(unit.ID)}, "period": {"semester satu"}}, "Periode IKM tidak dikenali"},
		{url.Values{"kind": {"survey"}, "survey": {"abc"}}, "pertanyaan kepuasan"},
		{url.Values{"kind": {"interview"}, "title": {"Camat Genteng"}, "held_on": {"kemarin"}}, "Tulis tanggal wawancara"},
	} {
		if code, body := add(admin, bad.form); code != http.StatusBadRequest || !strings.Contains(body, bad.msg) {
			t.Errorf("%v: %d, want 400 saying %q", bad.form, code, bad.msg)
		}
	}
	for _, form := range []url.Values{
		{"kind": {"ikm"}, "unit": {fmt.Sprint(unit.ID)}, "period": {"2026-S1"}},
		{"kind": {"survey"}, "survey": {fmt.Sprint(big)}},
		{"kind": {"survey"}, "survey": {fmt.Sprint(small)}},
		{"kind": {"survey"}, "survey": {fmt.Sprint(hidden)}},
		{"kind": {"interview"}, "title": {"Camat Genteng, kantor kecamatan"}, "held_on": {"2026-04-02"}, "notes": {"Antrean KTP terlalu panjang.\nPerlu loket kedua."}},
	} {
		if code, body := add(admin, form); code != http.StatusSeeOther {
			t.Fatalf("add %v: %d %.300s", form, code, body)
		}
	}
	if code, _ := add(admin, url.Values{"kind": {"survey"}, "survey": {fmt.Sprint(big)}}); code != http.StatusConflict {
		t.Errorf("the same survey twice: %d, want 409", code)
	}
	var interview int64
	f.db.NewRaw(`SELECT id FROM evaluation_instruments WHERE kind = 'interview'`).Scan(ctx, &interview)
	uploadPath := fmt.Sprintf("%s/instrumen/%d/berkas", page, interview)
	if code, _, body := upload(t, admin.c, f, uploadPath, []string{"csrf", admin.csrf}, "notulen.pdf", []byte("<html><script>alert(1)</script>")); code != http.StatusBadRequest {
		t.Errorf("an HTML page named .pdf: %d %.300s", code, body)
	}
	if code, _, body := upload(t, admin.c, f, uploadPath, []string{"csrf", admin.csrf}, "Notulen wawancara.pdf", []byte(testPDF)); code != http.StatusSeeOther {
		t.Fatalf("upload: %d %.300s", code, body)
	}

	edit := url.Values{"csrf": {admin.csrf}, "title": {"Camat Genteng, kantor kecamatan"}, "held_on": {"2026-04-02"},
		"notes": {"Antrean KTP terlalu panjang.\nPerlu loket kedua dan nomor antrean daring."}}
	if code, _, _ := fpPost(t, admin.c, f, fmt.Sprintf("%s/instrumen/%d", page, interview), edit); code != http.StatusSeeOther {
		t.Errorf("edit the interview: %d", code)
	}
	if code, _ := add(admin, url.Values{"kind": {"interview"}, "title": {"Salah ketik"}, "held_on": {"2026-04-03"}}); code != http.StatusSeeOther {
		t.Fatalf("a second interview: %d", code)
	}
	var typo int64
	f.db.NewRaw(`SELECT id FROM evaluation_instruments WHERE title = 'Salah ketik'`).Scan(ctx, &typo)
	if code, _, _ := fpPost(t, admin.c, f, fmt.Sprintf("%s/instrumen/%d", page, typo), url.Values{"csrf": {admin.csrf}, "delete": {"1"}}); code != http.StatusSeeOther {
		t.Errorf("remove an instrument: %d", code)
	}

	_, body = get(t, admin.c, f.url+page)
	if strings.Contains(body, "Salah ketik") || !strings.Contains(body, "nomor antrean daring") {
		t.Error("the edit or the removal does not show")
	}
	for _, want := range []string{"IKM 87,50 (mutu B)", "6 responden", "Survei kepuasan warga", "<td>5</td><td>4</td><td>80</td>", "Survei kelompok tertutup",
		"Antrean KTP terlalu panjang.", "Notulen wawancara.pdf", "dibaca "} {
		if !strings.Contains(body, want) {
			t.Errorf("open cycle's report lacks %q", want)
		}
	}
	m := evalFileRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no interview file link on the admin's report")
	}
	fileURL := f.url + m[1]
	for who, c := range map[string]*http.Client{"admin": admin.c, "analyst": analyst.c} {
		res, got := fetch(t, c, fileURL)
		if res.StatusCode != http.StatusOK || string(got) != testPDF || res.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || res.Header.Get("Cache-Control") != "private, no-cache" {
			t.Errorf("%s opens the file: %d %v", who, res.StatusCode, res.Header)
		}
	}

	if code, _, _ := fpPost(t, admin.c, f, page+"/tutup", url.Values{"csrf": {admin.csrf}}); code != http.StatusSeeOther {
		t.Fatalf("close: %d", code)
	}
	ikmAnswer("w6", 1) // after the close, inside the period
	_, body = get(t, admin.c, f.url+page)
	if !strings.Contains(body, "IKM 87,50 (mutu B)") || !strings.Contains(body, "6 responden") || !strings.Contains(body, "dibekukan ") ||
		strings.Contains(body, `id="eval-interview"`) {
		t.Errorf("closed cycle's instruments are not frozen:\n%s", body)
	}
	if code, body := add(admin, url.Values{"kind": {"interview"}, "title": {"Lurah"}, "held_on": {"2026-07-01"}}); code != http.StatusConflict ||
		!strings.Contains(body, "pengumpulan datanya dibekukan") {
		t.Errorf("an interview after the close: %d, want 409 with its reason", code)
	}
	if code, _, _ := upload(t, admin.c, f, uploadPath, []string{"csrf", admin.csrf}, "b.pdf", []byte(testPDF)); code != http.StatusConflict {
		t.Errorf("a file after the close: %d, want 409", code)
	}

	if code, _, _ := fpPost(t, admin.c, f, page+"/terbitkan", url.Values{"csrf": {admin.csrf}, "publish": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("publish: %d", code)
	}
	public := strings.Replace(page, "/admin/evaluasi/", "/evaluasi/", 1)
	code, body = get(t, guest, f.url+public)
	if code != http.StatusOK {
		t.Fatalf("public report: %d", code)
	}
	for _, want := range []string{"IKM 87,50 (mutu B)", "Survei kepuasan warga", "<td>5</td><td>4</td><td>80</td>", "Survei kecil", "Kurang dari 5 responden",
		"Survei terbatas", "Antrean KTP terlalu panjang."} {
		if !strings.Contains(body, want) {
			t.Errorf("public report lacks %q", want)
		}
	}
	for _, leak := range []string{"Survei kelompok tertutup", "Konsultasi tertutup", "/berkas/", "Notulen wawancara"} {
		if strings.Contains(body, leak) {
			t.Errorf("public report shows %q", leak)
		}
	}
	if res, got := fetch(t, guest, fileURL); res.StatusCode == http.StatusOK || strings.Contains(string(got), "%PDF") {
		t.Errorf("a guest opens the interview file: %d", res.StatusCode)
	}
	_, csv := get(t, guest, f.url+public+"/ekspor.csv")
	if !strings.Contains(csv, "Instrumen pengumpulan data") || !strings.Contains(csv, "Survei kepuasan warga") || strings.Contains(csv, "Survei kelompok tertutup") {
		t.Errorf("public CSV instruments:\n%s", csv)
	}
}
