package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestDraftReportByOpinionGroup: the draft report tallies input by the
// opinion groups of the consultation's statement voters. Two camps of
// voters form two groups; a citizen who votes with each camp and gives
// input on Pasal 3 ayat (2) lands in that camp's column, a citizen who
// never voted on a statement in "no group", and the totals row adds up.
// Without groups (a consultation nobody voted on) the table is absent, and
// it shows to guests only once the consultation report is published.
func TestDraftReportByOpinionGroup(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := fpSignIn(t, f, "Penyusun", forum.RoleAdmin)
	even := fpSignIn(t, f, "Warga Genap", forum.RoleParticipant)
	odd := fpSignIn(t, f, "Warga Ganjil", forum.RoleParticipant)
	loner := fpSignIn(t, f, "Warga Tanpa Suara", forum.RoleParticipant)
	d := uploadDraft(t, f, admin, draftFixtureText(t, "raperda_sampah_v1.md"))
	input := func(who *fpMember, anchor, stance, body string) {
		t.Helper()
		v := url.Values{"csrf": {who.csrf}, "anchor": {anchor}, "stance": {stance}, "body": {body}}
		if stance == "usul_ubah" {
			v.Set("amendment", "Setiap rumah tangga wajib memilah sampah menjadi organik, anorganik, dan residu.")
		}
		if res, _ := do(t, who.c, "POST", d+"/masukan", v); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("input by %s: %d", who.user.DisplayName, res.StatusCode)
		}
	}
	input(even, "pasal-3-ayat-2", "setuju", "")
	input(odd, "pasal-3-ayat-2", "tidak_setuju", "Dua jenis belum cukup.")
	input(odd, "pasal-11-ayat-2", "usul_ubah", "Perlu residu.")
	input(loner, "pasal-3-ayat-2", "setuju", "")

	if _, page := get(t, admin.c, d+"/laporan"); strings.Contains(page, "Masukan menurut kelompok opini") {
		t.Fatal("a consultation without opinion groups shows the table by group")
	}

	seedCamps(t, f, 24)
	var stmts []struct {
		ID        int64  `bun:"id"`
		SourceKey string `bun:"source_key"`
	}
	if err := f.db.NewSelect().Table("statements").Column("id", "source_key").Where("consultation_id = ? AND source_key LIKE 's%'", f.c.ID).
		OrderExpr("source_key").Scan(ctx, &stmts); err != nil || len(stmts) != 8 {
		t.Fatalf("camp statements: %v %d", err, len(stmts))
	}
	for i, s := range stmts { // vote as seedCamps' even and odd participants do
		ev, ov := "disagree", "disagree"
		if i%2 == 0 {
			ev = "agree"
		} else {
			ov = "agree"
		}
		if i == 0 {
			ov = "agree"
		}
		for _, who := range []struct {
			m *fpMember
			v string
		}{{even, ev}, {odd, ov}} {
			if res := vote(t, who.m.c, f, who.m.csrf, s.ID, who.v); res.StatusCode >= 400 {
				t.Fatalf("vote: %d", res.StatusCode)
			}
		}
	}

	// The groups are the consultation report's: until it is published only
	// staff see them.
	if _, page := get(t, browser(t), d+"/laporan"); strings.Contains(page, "Masukan menurut kelompok opini") {
		t.Error("a guest sees opinion groups of an unpublished consultation report")
	}
	if _, page := get(t, admin.c, d+"/laporan"); !strings.Contains(page, "Masukan menurut kelompok opini") {
		t.Error("staff do not see the table by group before the report is published")
	}
	publish(t, f)
	for _, tc := range []struct{ lang, title, none, evenCell, oddCell string }{
		{"id", "Masukan menurut kelompok opini", "Tanpa kelompok", "Setuju 1 · Tidak setuju 0 · Usul ubah 0", "Setuju 0 · Tidak setuju 1 · Usul ubah 0"},
		{"en", "Input by opinion group", "No group", "Agree 1 · Disagree 0 · Propose a change 0", "Agree 0 · Disagree 1 · Propose a change 0"},
	} {
		code, page := get(t, browser(t), d+"/laporan?lang="+tc.lang)
		if code != 200 || !strings.Contains(page, tc.title) {
			t.Fatalf("%s: report %d without the table by group", tc.lang, code)
		}
		i := strings.Index(page, `class="by-group"`)
		table := page[i:]
		table = table[:strings.Index(table, "</section>")]
		head := regexp.MustCompile(`<th scope="col">([^<]*)<br><span class="note">([^<]*)</span>`).FindAllStringSubmatch(table, -1)
		if len(head) != 3 || head[2][1] != tc.none {
			t.Fatalf("%s: columns %q, want two groups and %q", tc.lang, head, tc.none)
		}
		row := table[strings.Index(table, `/u/pasal-3-ayat-2"`):]
		row = row[:strings.Index(row, "</tr>")]
		cells := regexp.MustCompile(`<td data-label="[^"]*">([^<]*)</td>`).FindAllStringSubmatch(row, -1)
		if len(cells) != 3 {
			t.Fatalf("%s: pasal 3 ayat 2 row %q", tc.lang, row)
		}
		got := []string{cells[0][1], cells[1][1]}
		// The even and odd citizens are in different groups, whichever is
		// lettered A; the citizen who never voted is in "no group".
		if !(got[0] == tc.evenCell && got[1] == tc.oddCell) && !(got[0] == tc.oddCell && got[1] == tc.evenCell) {
			t.Errorf("%s: group cells %q, want one %q and one %q", tc.lang, got, tc.evenCell, tc.oddCell)
		}
		if cells[2][1] != tc.evenCell {
			t.Errorf("%s: no-group cell %q, want %q", tc.lang, cells[2][1], tc.evenCell)
		}
	}
}
