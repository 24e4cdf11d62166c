package rancangan

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// renumbered is fixture v1 with a new Pasal 3 inserted: the old Pasal 3…17
// become Pasal 4…18 (their Penjelasan too).
func renumbered(t *testing.T, v1 string) string {
	t.Helper()
	head := regexp.MustCompile(`(?m)^### Pasal (\d+)$`)
	out := head.ReplaceAllStringFunc(v1, func(s string) string {
		n, _ := strconv.Atoi(head.FindStringSubmatch(s)[1])
		if n >= 3 {
			n++
		}
		return fmt.Sprintf("### Pasal %d", n)
	})
	insert := "### Pasal 3\n\nSetiap orang berhak mendapatkan informasi tentang pengelolaan sampah dari Pemerintah Daerah melalui media yang mudah dijangkau.\n\n"
	i := strings.Index(out, "### Pasal 4\n")
	if i < 0 {
		t.Fatal("fixture has no Pasal 3")
	}
	return out[:i] + insert + out[i:]
}

// A new version that inserts a Pasal renumbers the ones after it: the
// diff's matching finds each old Pasal under its new number, an input on
// the old Pasal 3 ayat (2) moves with its article (not onto the new
// Pasal 3), and a link made for v1 resolves to the new anchor.
func TestRenumberedPasalKeepInputs(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1)
	d := f.draft(t)
	v2 := renumbered(t, f.v1)
	old, err := Parse(f.v1)
	if err != nil {
		t.Fatal(err)
	}
	cur, err := Parse(v2)
	if err != nil {
		t.Fatal(err)
	}
	moves := PasalMoves(old, cur)
	if moves["pasal-3"] != "pasal-4" || moves["pasal-17"] != "pasal-18" || moves["pasal-2"] != "" || len(moves) != 15 {
		t.Fatalf("moves %v", moves)
	}
	if got := MoveAnchor(moves, "penjelasan-pasal-3-ayat-2"); got != "penjelasan-pasal-4-ayat-2" {
		t.Errorf("Penjelasan anchor %q", got)
	}
	if got := MoveAnchor(moves, "bab-2"); got != "bab-2" {
		t.Errorf("BAB anchor %q", got)
	}

	in, err := f.s.AddInput(ctx, f.warga[0], f.c, d, NewInput{Anchor: "pasal-3-ayat-2", Stance: StanceDisagree, Body: "Perlu residu."})
	if err != nil {
		t.Fatal(err)
	}
	kept, err := f.s.AddInput(ctx, f.warga[0], f.c, d, NewInput{Anchor: "pasal-2", Stance: StanceAgree})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddVersion(ctx, f.admin, f.c, d, v2, "Pasal baru tentang hak atas informasi."); err != nil {
		t.Fatal(err)
	}
	got, err := InputFor(ctx, f.db, f.warga[0], f.c, d, in.ID)
	if err != nil || got.Anchor != "pasal-4-ayat-2" {
		t.Fatalf("input after renumbering: %+v %v", got, err)
	}
	if got, _ := InputFor(ctx, f.db, f.warga[0], f.c, d, kept.ID); got.Anchor != "pasal-2" {
		t.Errorf("unmoved input %q", got.Anchor)
	}
	rows, err := Matrix(ctx, f.db, f.warga[0], f.c, d, Filter{Anchor: "pasal-3"})
	if err != nil || len(rows) != 0 {
		t.Errorf("the new Pasal 3 carries inputs: %d %v", len(rows), err)
	}
	for from, want := range map[int]string{1: "pasal-4-ayat-2", 0: "pasal-4-ayat-2", 2: "pasal-3-ayat-2"} {
		if a, err := ResolveAnchor(ctx, f.db, d, "pasal-3-ayat-2", from); err != nil || a != want {
			t.Errorf("resolve pasal-3-ayat-2 of v%d: %q %v, want %q", from, a, err, want)
		}
	}
}
