package forum

import "testing"

// TestDetectLang: the language most texts are in, "" for too little text
// or no majority.
func TestDetectLang(t *testing.T) {
	id := []string{"Perbanyak pohon peneduh di sepanjang jalan utama kota.", "Tambah bangku taman dan lampu penerangan di malam hari.",
		"Trotoar harus bisa dilalui kursi roda dan kereta bayi."}
	es := []string{"Queremos más árboles en las calles del barrio.", "Hay que mejorar el transporte público por la noche.",
		"Los parques necesitan más bancos y fuentes de agua potable."}
	for _, c := range []struct {
		name  string
		texts []string
		want  string
	}{
		{"Indonesian", id, "id"},
		{"Spanish", es, "es"},
		{"Spanish with one Indonesian", append(es[:3:3], id[0]), "es"},
		{"too short", []string{"ok", "setuju", ""}, ""},
		{"no majority", append(id[:2:2], es[0], es[1]), ""},
		{"nothing", nil, ""},
	} {
		if got := DetectLang(c.texts...); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
