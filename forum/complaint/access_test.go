package complaint

import (
	"context"
	"testing"
)

// TestAccessTable is the decision table of Access for every kind of viewer.
func TestAccessTable(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	mk := func(public, confidential bool) (*Complaint, string) {
		r := f.submit(t, Intake{Public: public, Confidential: confidential, ReporterUserID: &f.citizen.Viewer.User.ID,
			ReporterName: "Budi", ReporterEmail: "budi@example.id"})
		c := must(f.s.Route(ctx, f.admin, r.Complaint.ID, []int64{f.agencyA}, ""))
		return c, r.Secret
	}
	private, secret := mk(false, false)
	confidential, csecret := mk(true, true)
	public, _ := mk(true, false)

	none := View{}
	masked := View{Read: true}
	owner := View{Read: true, Body: true, Reporter: true, Citizen: true}
	desk := View{Read: true, Body: true, Reporter: true, Internal: true, Triage: true, Handle: true}
	officer := View{Read: true, Body: true, Reporter: true, Internal: true, Handle: true}
	officerNoID := View{Read: true, Body: true, Internal: true, Handle: true}
	cases := []struct {
		name string
		a    Actor
		c    *Complaint
		want View
	}{
		{"guest without secret, private", Actor{}, private, none},
		{"guest with wrong secret", Actor{Secret: csecret}, private, none},
		{"guest with secret", Actor{Secret: secret}, private, owner},
		{"reporter signed in", f.citizen, private, owner},
		{"officer of routed agency", f.officerA, private, officer},
		{"officer of another agency", f.officerB, private, none},
		{"admin", f.admin, private, desk},
		{"analyst", f.analyst, private, masked},
		{"guest, public", Actor{}, public, masked},
		{"officer of another agency, public", f.officerB, public, masked},
		{"guest, public but confidential", Actor{}, confidential, none},
		{"officer of routed agency, confidential", f.officerA, confidential, officerNoID},
		{"reporter with secret, confidential", Actor{Secret: csecret}, confidential, owner},
		{"admin, confidential", f.admin, confidential, desk},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := f.s.Access(tc.a, tc.c); got != tc.want {
				t.Errorf("Access = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestAccessPublicListOptIn: a public, non-confidential complaint is read
// by strangers only when the pemda publishes such complaints; the reporter
// and the routed officers read it either way.
func TestAccessPublicListOptIn(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	r := f.submit(t, Intake{Public: true, ReporterUserID: &f.citizen.Viewer.User.ID})
	c := must(f.s.Route(ctx, f.admin, r.Complaint.ID, []int64{f.agencyA}, ""))
	closed := must(NewStore(ctx, f.s.DB(), Config{Location: wibZone, Now: f.clk.Now}))
	for _, tc := range []struct {
		name string
		a    Actor
		want bool
	}{
		{"guest", Actor{}, false},
		{"officer of another agency", f.officerB, false},
		{"reporter", f.citizen, true},
		{"guest with secret", Actor{Secret: r.Secret}, true},
		{"officer of routed agency", f.officerA, true},
	} {
		if got := closed.Access(tc.a, c).Read; got != tc.want {
			t.Errorf("%s without the opt-in: read %v, want %v", tc.name, got, tc.want)
		}
	}
	if !f.s.Access(Actor{}, c).Read {
		t.Error("guest with the opt-in: not read")
	}
}
