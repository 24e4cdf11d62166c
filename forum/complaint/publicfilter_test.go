package complaint

import (
	"context"
	"encoding/csv"
	"maps"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestPublicListFiltersSurabaya: on the real Surabaya import, with a third
// of the complaints private, a seventh confidential and an eleventh
// rejected, each public-list filter (agency, topic, kecamatan, status,
// period, and together) returns exactly the public complaints of the file
// that match, across keyset pages, and never another.
func TestPublicListFiltersSurabaya(t *testing.T) {
	path := sharedComplaints(t)
	ctx := context.Background()
	f := newFixture(t)
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Import(ctx, f.admin, "surabaya_complaints_meta.csv", in, wibZone); err != nil {
		t.Fatal(err)
	}
	in.Close()
	db := f.s.db
	for _, q := range []struct {
		sql string
		arg any
	}{
		{"UPDATE complaints SET public = ?", true},
		{"UPDATE complaints SET public = ? WHERE CAST(idem_key AS BIGINT) % 3 = 0", false},
		{"UPDATE complaints SET confidential = ? WHERE CAST(idem_key AS BIGINT) % 7 = 0", true},
		{"UPDATE complaints SET status = ? WHERE CAST(idem_key AS BIGINT) % 11 = 0", string(StatusRejected)},
	} {
		if _, err := db.ExecContext(ctx, q.sql, q.arg); err != nil {
			t.Fatal(err)
		}
	}
	visible := func(id int) bool { return id%3 != 0 && id%7 != 0 && id%11 != 0 }

	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(fh).ReadAll()
	fh.Close()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	const (
		agency = "Badan Pendapatan Daerah"
		topic  = "Informasi BPHTB"
		kec    = "Wonocolo"
	)
	jan := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	feb := time.Date(2022, 2, 1, 0, 0, 0, 0, time.UTC)
	agencyID := must(f.s.FindAgency(ctx, agency))
	topicID := must(f.s.FindTopic(ctx, topic))
	type row struct {
		id                 int
		agency, topic, kec string
		status             Status
		received           string
	}
	var rows []row
	for _, r := range recs[1:] {
		id, err := strconv.Atoi(r[col["id"]])
		if err != nil {
			t.Fatal(err)
		}
		st := StatusRouted
		if r[col["answered_at"]] != "" {
			st = StatusClosed
		}
		rows = append(rows, row{id, r[col["agency"]], r[col["topic"]], r[col["kecamatan"]], st, r[col["received_at"]]})
	}
	inJan := func(r row) bool { return r.received >= "2022-01-01" && r.received < "2022-02-01" }
	cases := []struct {
		name  string
		f     Filter
		match func(row) bool
	}{
		{"none", Filter{}, func(row) bool { return true }},
		{"agency", Filter{AgencyID: agencyID}, func(r row) bool { return r.agency == agency }},
		{"topic", Filter{TopicID: topicID}, func(r row) bool { return r.topic == topic }},
		{"kecamatan", Filter{Kecamatan: kec}, func(r row) bool { return r.kec == kec }},
		{"status routed", Filter{Status: StatusRouted}, func(r row) bool { return r.status == StatusRouted }},
		{"January 2022", Filter{From: jan, To: feb}, inJan},
		{"kecamatan, closed, January", Filter{Kecamatan: kec, Status: StatusClosed, From: jan, To: feb},
			func(r row) bool { return r.kec == kec && r.status == StatusClosed && inJan(r) }},
		{"rejected", Filter{Status: StatusRejected}, func(row) bool { return false }},
	}
	for _, c := range cases {
		want, private := 0, 0
		for _, r := range rows {
			if c.match(r) {
				if visible(r.id) {
					want++
				} else {
					private++
				}
			}
		}
		if c.name != "rejected" && (want == 0 || private == 0) {
			t.Fatalf("%s: a filter that cannot tell: %d public, %d private", c.name, want, private)
		}
		got := 0
		flt := c.f
		flt.PublicOnly, flt.Limit = true, 200
		for pages := 0; ; pages++ {
			pg, err := f.s.List(ctx, Actor{}, flt)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			for _, it := range pg.Items {
				if !it.Public || it.Confidential || it.Status == StatusRejected || it.Status == StatusMerged {
					t.Fatalf("%s: a private complaint listed: %+v", c.name, it)
				}
				if c.f.Kecamatan != "" && it.Kecamatan != c.f.Kecamatan {
					t.Fatalf("%s: kecamatan %q listed", c.name, it.Kecamatan)
				}
			}
			got += len(pg.Items)
			if pg.Next == "" {
				break
			}
			flt.Cursor = pg.Next
		}
		if got != want {
			t.Errorf("%s: %d listed, want %d public of %d matching", c.name, got, want, want+private)
		}

		// The list's counts per kecamatan are of the same complaints,
		// groups under MinPublicCell pooled (the pool left out when
		// itself under).
		perKec := map[string]int{}
		for _, r := range rows {
			if c.match(r) && visible(r.id) {
				perKec[r.kec]++
			}
		}
		wantKec := map[string]int{}
		for k, n := range perKec {
			if n < MinPublicCell {
				k = PooledKey
			}
			wantKec[k] += n
		}
		if wantKec[PooledKey] < MinPublicCell {
			delete(wantKec, PooledKey)
		}
		groups, err := f.s.PublicStats(ctx, ByKecamatan, c.f.Narrowing())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		gotKec := map[string]int{}
		for _, g := range groups {
			gotKec[g.Key] = g.Received
		}
		if !maps.Equal(gotKec, wantKec) {
			t.Errorf("%s: counts per kecamatan %v, want %v", c.name, gotKec, wantKec)
		}
	}
}
