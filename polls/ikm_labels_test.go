package polls_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
)

func TestCreateIKMUnit(t *testing.T) {
	ctx := context.Background()
	db, _ := mustDB(t)
	u, err := polls.NewStore(db, func() time.Time { return t0 }).CreateIKMUnit(ctx, forum.Viewer{}, "  Dinas Perhubungan ")
	if err != nil || u.Name != "Dinas Perhubungan" || u.Slug == "" {
		t.Fatalf("create: %+v, %v", u, err)
	}
	if _, err := polls.NewStore(db, func() time.Time { return t0 }).CreateIKMUnit(ctx, forum.Viewer{}, "dinas perhubungan"); !errors.Is(err, polls.ErrIKMUnitExists) {
		t.Fatalf("same slug again: %v", err)
	}
	if _, err := polls.NewStore(db, func() time.Time { return t0 }).CreateIKMUnit(ctx, forum.Viewer{}, " "); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("blank name: %v", err)
	}
	if _, err := polls.NewStore(db, func() time.Time { return t0 }).EnsureIKMUnit(ctx, forum.Viewer{}, "Puskesmas"); err != nil {
		t.Fatal(err)
	}
	us, err := polls.IKMUnits(ctx, db)
	if err != nil || len(us) != 2 || us[0].Name != "Dinas Perhubungan" || us[1].Name != "Puskesmas" {
		t.Fatalf("units %+v, %v", us, err)
	}
}

// TestIKMLabels: labels change per unit, codes never; bad input changes
// nothing; the report carries the unit's labels.
func TestIKMLabels(t *testing.T) {
	ctx := context.Background()
	db, _ := mustDB(t)
	u, err := polls.NewStore(db, func() time.Time { return t0 }).CreateIKMUnit(ctx, forum.Viewer{}, "Dinas Kependudukan")
	if err != nil {
		t.Fatal(err)
	}
	other, err := polls.NewStore(db, func() time.Time { return t0 }).CreateIKMUnit(ctx, forum.Viewer{}, "Puskesmas")
	if err != nil {
		t.Fatal(err)
	}
	def := ikm.Elements()
	cases := []struct {
		name   string
		in     []polls.IKMLabel
		bad    bool      // an errs.Invalid error that changes nothing
		wantID [2]string // labels of U1 and U9 (id) after the call
		wantEN string    // label of U1 (en)
	}{
		{"set two", []polls.IKMLabel{{Code: "u1", LabelID: " Syarat layanan ", LabelEN: "Service requirements"}, {Code: "U9", LabelID: "Ruang tunggu"}},
			false, [2]string{"Syarat layanan", "Ruang tunggu"}, "Service requirements"},
		{"unknown code", []polls.IKMLabel{{Code: "U1", LabelID: "X"}, {Code: "U10", LabelID: "Y"}},
			true, [2]string{"Syarat layanan", "Ruang tunggu"}, "Service requirements"},
		{"code twice", []polls.IKMLabel{{Code: "U1", LabelID: "X"}, {Code: "u1", LabelID: "Y"}},
			true, [2]string{"Syarat layanan", "Ruang tunggu"}, "Service requirements"},
		{"too long", []polls.IKMLabel{{Code: "U1", LabelID: strings.Repeat("a", polls.MaxIKMLabelRunes+1)}},
			true, [2]string{"Syarat layanan", "Ruang tunggu"}, "Service requirements"},
		{"blank restores default", []polls.IKMLabel{{Code: "U1"}},
			false, [2]string{def[0].LabelID, "Ruang tunggu"}, def[0].LabelEN},
		{"default text is the default", []polls.IKMLabel{{Code: "U9", LabelID: def[8].LabelID}},
			false, [2]string{def[0].LabelID, def[8].LabelID}, def[0].LabelEN},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := polls.NewStore(db, func() time.Time { return t0 }).SetIKMLabels(ctx, forum.Viewer{}, u.ID, tc.in)
			if (tc.bad && errs.KindOf(err) != errs.Invalid) || (!tc.bad && err != nil) {
				t.Fatalf("SetIKMLabels: %v, want an invalid-input error: %v", err, tc.bad)
			}
			els, err := polls.IKMElements(ctx, db, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range els {
				if e.Code != def[i].Code || e.Name != def[i].Name || e.AnswersID != def[i].AnswersID {
					t.Fatalf("element %d changed beyond its labels: %+v", i, e)
				}
			}
			if els[0].LabelID != tc.wantID[0] || els[8].LabelID != tc.wantID[1] || els[0].LabelEN != tc.wantEN {
				t.Fatalf("labels U1 %q/%q U9 %q; want %q/%q %q", els[0].LabelID, els[0].LabelEN, els[8].LabelID, tc.wantID[0], tc.wantEN, tc.wantID[1])
			}
		})
	}
	// Another unit keeps the defaults.
	if els, err := polls.IKMElements(ctx, db, other.ID); err != nil || els[8].LabelID != def[8].LabelID {
		t.Fatalf("other unit: %v %q", err, els[8].LabelID)
	}
	// The report uses the unit's labels.
	if err := polls.NewStore(db, func() time.Time { return t0 }).SetIKMLabels(ctx, forum.Viewer{}, u.ID, []polls.IKMLabel{{Code: "U3", LabelID: "Lama antre", LabelEN: "Queue time"}}); err != nil {
		t.Fatal(err)
	}
	rs, err := ikm.ReadCSV(strings.NewReader(workedCSV()))
	if err != nil {
		t.Fatal(err)
	}
	if err := polls.NewStore(db, func() time.Time { return t0 }).ImportIKM(ctx, forum.Viewer{}, u.ID, mustPeriod(t, "2026-S1"), "d1", rs); err != nil {
		t.Fatal(err)
	}
	rep, err := polls.BuildIKMReport(ctx, db, u, mustPeriod(t, "2026-S1"))
	if err != nil {
		t.Fatal(err)
	}
	if e := rep.Result.Elements[2]; e.Code != "U3" || e.Label("id") != "Lama antre" || e.Label("en") != "Queue time" {
		t.Fatalf("report element U3: %+v", e.Element)
	}
	if rep.Result.Rounded != 9148 {
		t.Fatalf("labels changed the IKM: %d", rep.Result.Rounded)
	}
	found := false
	for _, w := range rep.Weakest {
		found = found || w.Code == "U3" && w.LabelID == "Lama antre"
	}
	if !found {
		t.Fatalf("weakest elements without the unit's label for U3: %+v", rep.Weakest)
	}
}
