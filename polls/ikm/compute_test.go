package ikm

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

// fill returns n responses whose scores, read in order U1..U9 of response 0, then of
// response 1, and so on, are fours times 4 followed by threes.
func fill(n, fours int) []Response {
	out := make([]Response, n)
	k := 0
	for i := range out {
		for e := range NumElements {
			out[i].Scores[e] = 3
			if k < fours {
				out[i].Scores[e] = 4
			}
			k++
		}
	}
	return out
}

func TestComputeWorkedExample(t *testing.T) {
	// 29 respondents, all nine elements answered, scores totalling 955:
	// 172 fours and 89 threes (172·4 + 89·3 = 955, 172 + 89 = 261 = 29·9).
	rs := fill(29, 172)
	total := 0
	for _, r := range rs {
		for _, s := range r.Scores {
			total += s
		}
	}
	if total != 955 {
		t.Fatalf("fixture totals %d, want 955", total)
	}
	got, err := Compute(rs)
	if err != nil {
		t.Fatal(err)
	}
	// 955 / (29·9) · 25 = 91.4750957…
	if want := 955.0 / (29 * 9) * 25; math.Abs(got.IKM-want) > 1e-9 {
		t.Errorf("IKM = %v, want %v", got.IKM, want)
	}
	if got.Rounded != 9148 || FormatIKM(got.Rounded, "id") != "91,48" || FormatIKM(got.Rounded, "en") != "91.48" {
		t.Errorf("Rounded = %d (%s)", got.Rounded, FormatIKM(got.Rounded, "en"))
	}
	if got.Grade != GradeA || got.Grade.Label("id") != "Sangat baik" {
		t.Errorf("Grade = %q %q", got.Grade, got.Grade.Label("id"))
	}
	if !got.Complete || got.NoData || len(got.Missing) != 0 || got.Respondents != 29 {
		t.Errorf("flags: %+v", got)
	}
	if math.Abs(got.Index*25-got.IKM) > 1e-9 {
		t.Errorf("Index %v × 25 != IKM %v", got.Index, got.IKM)
	}
}

func TestCompute(t *testing.T) {
	blankU9 := fill(4, 0)
	for i := range blankU9 {
		blankU9[i].Scores[8] = 0
	}
	blankU9[0].Scores[0] = 1 // U1: (1+3+3+3)/4 = 2.5
	mixed := fill(2, 0)
	mixed[0].Scores[3], mixed[1].Scores[3] = 0, 2 // U4 answered once: NRR 2
	mixed[1].Scores[6] = 1                        // U7: (3+1)/2 = 2
	mixed[0].Scores[1] = 4                        // U2: (4+3)/2 = 3.5
	tests := []struct {
		name     string
		in       []Response
		rounded  int64
		grade    Grade
		missing  []string
		noData   bool
		weakest  []string
		answered map[string]int
	}{
		{"all threes", fill(3, 0), 7500, GradeC, []string{}, false, nil, nil},
		{"all fours", fill(2, 18), 10000, GradeA, []string{}, false, nil, nil},
		{"all ones", []Response{{Scores: [9]int{1, 1, 1, 1, 1, 1, 1, 1, 1}}}, 2500, GradeD, []string{}, false, nil, nil},
		// Eight answered elements: (2.5 + 7·3)/8 · 25 = 73.4375 -> 73.44.
		{"element nobody answered", blankU9, 7344, GradeC, []string{"U9"}, false, []string{"U1", "U2"}, map[string]int{"U9": 0, "U1": 4}},
		// (3 + 3.5 + 3 + 2 + 3 + 3 + 2 + 3 + 3)/9 · 25 = 25.5/9 · 25 = 70.8333… -> 70.83.
		{"blank answers leave the element's NRR only", mixed, 7083, GradeC, []string{}, false, []string{"U4", "U7", "U1"}, map[string]int{"U4": 1, "U7": 2}},
		{"no responses", nil, 0, "", []string{"U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"}, true, []string{}, nil},
		{"only blank answers", []Response{{}, {}}, 0, "", []string{"U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"}, true, []string{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Compute(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got.Rounded != tt.rounded || got.Grade != tt.grade || got.NoData != tt.noData ||
				!reflect.DeepEqual(got.Missing, tt.missing) || got.Complete != (len(tt.missing) == 0) {
				t.Errorf("got rounded %d grade %q noData %v missing %v complete %v", got.Rounded, got.Grade, got.NoData, got.Missing, got.Complete)
			}
			for _, v := range []float64{got.Index, got.IKM} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("non-finite %v", v)
				}
			}
			if _, err := json.Marshal(got); err != nil {
				t.Fatal(err)
			}
			if tt.weakest != nil {
				var codes []string
				for _, e := range got.Weakest(len(tt.weakest)) {
					codes = append(codes, e.Code)
				}
				if len(codes) == 0 {
					codes = []string{}
				}
				if !reflect.DeepEqual(codes, tt.weakest) {
					t.Errorf("Weakest = %v, want %v", codes, tt.weakest)
				}
			}
			for code, n := range tt.answered {
				for _, e := range got.Elements {
					if e.Code == code && e.Answered != n {
						t.Errorf("%s answered %d, want %d", code, e.Answered, n)
					}
				}
			}
		})
	}
	if _, err := Compute([]Response{{Scores: [9]int{1, 5}}}); err == nil {
		t.Error("score 5 accepted")
	}
}

func TestGradeOf(t *testing.T) {
	tests := []struct {
		hundredths int64
		want       Grade
	}{
		{10001, ""}, {10000, GradeA}, {8831, GradeA}, {8830, GradeB}, {7661, GradeB},
		{7660, GradeC}, {6500, GradeC}, {6499, GradeD}, {2500, GradeD}, {2499, ""},
	}
	for _, tt := range tests {
		if got := GradeOf(tt.hundredths); got != tt.want {
			t.Errorf("GradeOf(%d) = %q, want %q", tt.hundredths, got, tt.want)
		}
	}
	for _, g := range []Grade{GradeA, GradeB, GradeC, GradeD} {
		if g.Label("id") == "" || g.Label("en") == "" || g.Label("id") == g.Label("en") {
			t.Errorf("labels of %s", g)
		}
	}
}

func TestElements(t *testing.T) {
	es := Elements()
	want := []string{"persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku", "pengaduan", "sarana"}
	if len(es) != NumElements {
		t.Fatalf("%d elements", len(es))
	}
	for k, e := range es {
		if e.Code != "U"+string(rune('1'+k)) || e.Name != want[k] {
			t.Errorf("element %d = %s %s", k, e.Code, e.Name)
		}
		for s := MinScore; s <= MaxScore; s++ {
			if e.Answer(s, "id") == "" || e.Answer(s, "en") == "" {
				t.Errorf("%s: no label for score %d", e.Code, s)
			}
		}
		if e.Answer(0, "id") != "" || e.Label("id") == e.Label("en") {
			t.Errorf("%s labels", e.Code)
		}
	}
	if es[0].Answer(1, "id") != "Tidak sesuai" || es[0].Answer(4, "id") != "Sangat sesuai" {
		t.Error("U1 answer labels")
	}
	es[0].Code = "X"
	if Elements()[0].Code != "U1" {
		t.Error("Elements shares state between calls")
	}
}
