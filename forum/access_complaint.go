package forum

import (
	"fmt"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/search"
)

// ComplaintFacts is what the access rule needs to know of a complaint
// (pengaduan); the complaint package fills it in from its row.
type ComplaintFacts struct {
	// ReporterUserID is the signed-in user who filed it, 0 for none.
	ReporterUserID int64
	// SecretHeld is set when the viewer presented the complaint's tracking
	// secret (a guest following it with number and secret); the complaint
	// package compares the secret with its stored hash.
	SecretHeld bool
	// Agencies are the agencies (OPD) it is routed to.
	Agencies []int64
	// Listed is set when anyone may read it masked: the reporter made it
	// public, it is not confidential, not rejected or merged, and the
	// pemda publishes such complaints (an opt-in setting).
	Listed bool
	// Confidential hides the reporter from agency officers (SP4N-LAPOR!'s
	// "rahasia" report: the reporter's identity is kept from the agency).
	Confidential bool
	// Erased is set once the reporter's personal data was erased after the
	// retention period: nobody reads the reporter any more.
	Erased bool
}

// complaintRule is the access rule of the complaint kinds. Who:
//   - the complaint desk: admins and global moderators;
//   - analysts (staff without the desk);
//   - officers of an agency the complaint is routed to;
//   - the reporter: the signed-in user who filed it, or a guest holding its
//     tracking secret;
//   - everyone, for a Listed complaint.
//
// ItemComplaint is read by all of them (masked for analysts and the public:
// the caller masks, see ItemComplaintText); written (reply, close and rate,
// reopen) by the reporter; moderated (verify, route, reject, merge, the
// LAPOR! id) by the desk; exported by staff (the desk and analysts).
// ItemComplaintText is read by the desk, routed officers and the reporter.
// ItemComplaintReporter is read by the desk, the reporter and routed
// officers unless the complaint is confidential; by nobody once erased.
// ItemComplaintHandling (internal notes, deadlines, the official answer,
// assignment) is read and written by the desk and routed officers only.
// Administer is the admins'. A viewer who does not read ItemComplaint gets
// errs.ErrNotFound, whatever the action.
func complaintRule(v Viewer, a Action, it Item) error {
	f := it.Complaint
	if f == nil {
		return fmt.Errorf("access: %s item without its complaint facts", it.Kind)
	}
	desk := v.ModeratesAll()
	officer := v.OfficerOfAny(f.Agencies)
	owner := f.SecretHeld || (f.ReporterUserID != 0 && v.User != nil && v.User.ID == f.ReporterUserID)
	if !(desk || officer || owner || v.Analyst() || f.Listed) {
		return errs.ErrNotFound
	}
	ok := false
	switch a {
	case ActAdminister:
		ok = v.Admin()
	case ActModerate:
		ok = desk && it.Kind == ItemComplaint
	case ActExport:
		ok = v.Analyst() && it.Kind == ItemComplaint
	case ActRead:
		switch it.Kind {
		case ItemComplaint:
			ok = true
		case ItemComplaintText:
			ok = desk || officer || owner
		case ItemComplaintReporter:
			ok = !f.Erased && (desk || owner || officer && !f.Confidential)
		case ItemComplaintHandling:
			ok = desk || officer
		}
	case ActWrite:
		switch it.Kind {
		case ItemComplaint:
			ok = owner
		case ItemComplaintHandling:
			ok = desk || officer
		}
	default:
		return fmt.Errorf("access: unknown action %q", a)
	}
	if !ok {
		return forbidden()
	}
	return nil
}

// ComplaintSearchAudience is the search audience of a complaint with facts
// f: the staff among complaintRule's ItemComplaint readers — the desk
// (visibility "staff"), analysts and officers of the agencies it is routed
// to (search.Document.Readers). Issue 14's privacy rule: "complaints are
// searchable by officers only". Its reporter is not a search reader, signed
// in or holding the tracking secret (they find it under "Pengaduan saya" or
// by number), and the public listing gives no search. Callers index the
// masked text (complaint.Mask), since analysts read only that.
func ComplaintSearchAudience(f *ComplaintFacts) (visibility string, readers []string) {
	readers = []string{search.ReaderAnalyst}
	for _, a := range f.Agencies {
		readers = append(readers, search.AgencyReader(a))
	}
	return search.VisibilityStaff, readers
}

// SearchReaders is the search audiences (search.Viewer.Readers) viewer v
// belongs to, the viewer side of ComplaintSearchAudience: the agencies they
// are an officer of, analysts, and their own user (an audience the search
// package offers; no complaint document names it).
func SearchReaders(v Viewer) []string {
	if v.User == nil {
		return nil
	}
	out := []string{search.UserReader(v.User.ID)}
	for _, a := range v.agencies {
		out = append(out, search.AgencyReader(a))
	}
	if v.Analyst() {
		out = append(out, search.ReaderAnalyst)
	}
	return out
}
