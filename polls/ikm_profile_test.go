package polls_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
)

// TestIKMOfficeProfileLabels imports a paper file whose office printed its
// own age band "50+" and occupation "Nelayan", stores it, and checks the
// report lists those labels as given beside the regulation's choices, while
// the IKM arithmetic is unchanged.
func TestIKMOfficeProfileLabels(t *testing.T) {
	ctx := context.Background()
	db, _ := mustDB(t)
	u, err := polls.NewStore(db, func() time.Time { return t0 }).EnsureIKMUnit(ctx, forum.Viewer{}, "Kecamatan Pantai")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := ikm.ReadCSV(strings.NewReader("u1,u2,u3,u4,u5,u6,u7,u8,u9,usia,pekerjaan\n" +
		"3,3,3,3,3,3,3,3,3,50+,Nelayan\n" +
		"4,4,4,4,4,4,4,4,4,50+,PNS\n" +
		"3,3,3,3,3,3,3,3,3,50+,Pegawai Swasta / Karyawan BUMN / BUMD / Perbankan\n" +
		"2,2,2,2,2,2,2,2,2,30,Nelayan\n" +
		"4,4,4,4,4,4,4,4,4,,\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := mustPeriod(t, "2026-S1")
	if err := polls.NewStore(db, func() time.Time { return t0 }).ImportIKM(ctx, forum.Viewer{}, u.ID, p, "office-labels", rs); err != nil {
		t.Fatal(err)
	}
	rep, err := polls.BuildIKMReport(ctx, db, u, p)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]map[string]int{}
	unknown := map[string]int{}
	for _, f := range rep.Profile {
		counts[f.Field] = map[string]int{}
		for _, c := range f.Counts {
			if c.Count > 0 {
				counts[f.Field][c.LabelID] = c.Count
			}
		}
		unknown[f.Field] = f.Unknown
	}
	if got := counts["age"]; got["50+"] != 3 || got["30–39 tahun"] != 1 || len(got) != 2 {
		t.Errorf("age counts = %v, want 50+ twice and 30–39 once", got)
	}
	if got := counts["occupation"]; got["Nelayan"] != 2 || got["PNS/ASN"] != 1 || got["Pegawai Swasta / Karyawan BUMN / BUMD / Perbankan"] != 1 || len(got) != 3 {
		t.Errorf("occupation counts = %v", got)
	}
	if unknown["age"] != 1 || unknown["sex"] != 5 {
		t.Errorf("blank counts = %v", unknown)
	}
	want, err := ikm.Compute(rs)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Result.Respondents != 5 || rep.Result.Rounded != want.Rounded {
		t.Errorf("result = %+v, want %+v", rep.Result, want)
	}
}
