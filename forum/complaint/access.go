package complaint

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"

	"github.com/rembug/rembug/forum"
)

// Actor is who acts on or looks at a complaint: a viewer (forum.LoadViewer:
// a signed-in user with the agencies they are an officer of, or a guest),
// the guest tracking secret they presented, or the system (periodic jobs).
type Actor struct {
	Viewer forum.Viewer
	Secret string // the guest tracking secret presented, if any
	System bool
}

// User is the acting user, nil for guests and the system.
func (a Actor) User() *forum.User { return a.Viewer.User }

// UserID is the acting user's id, 0 for guests and the system.
func (a Actor) UserID() int64 {
	if a.Viewer.User == nil {
		return 0
	}
	return a.Viewer.User.ID
}

// SystemActor acts for periodic jobs (deadline checks, auto-close, erasure).
var SystemActor = Actor{System: true}

// Actor returns the actor for viewer v (made by forum.LoadViewer, which
// reads the agencies its user is an officer of) presenting tracking secret
// (may be "").
func (s *Store) Actor(v forum.Viewer, secret string) Actor {
	return Actor{Viewer: v, Secret: secret}
}

// View is what an actor may see of and do to one complaint, as the access
// rule (forum.Can over the complaint item kinds) answers.
type View struct {
	Read     bool // the complaint exists for them at all (ItemComplaint read)
	Body     bool // the text unmasked (ItemComplaintText read); otherwise Mask(body) when Read
	Reporter bool // the reporter's name and contact (ItemComplaintReporter read)
	Internal bool // internal notes and the deadlines (ItemComplaintHandling read)
	Triage   bool // verify, route, reject, merge, set the LAPOR! id (ItemComplaint moderate)
	Handle   bool // start, ask the citizen, answer, note, assign (ItemComplaintHandling write)
	Citizen  bool // reply, close and rate, reopen (ItemComplaint write)
}

// Facts returns what the access rule needs to know of c for actor a: the
// secret a presented is compared with c's stored hash here, and Listed
// counts the pemda's opt-in (Config.PublicList).
func (s *Store) Facts(a Actor, c *Complaint) *forum.ComplaintFacts {
	f := &forum.ComplaintFacts{Agencies: c.Agencies, Confidential: c.Confidential, Erased: c.ErasedAt != nil,
		SecretHeld: a.Secret != "" && c.SecretHash != "" && secretMatches(a.Secret, c.SecretHash),
		Listed:     s.cfg.PublicList && c.Public && !c.Confidential && c.Status != StatusRejected && c.Status != StatusMerged}
	if c.ReporterUserID != nil {
		f.ReporterUserID = *c.ReporterUserID
	}
	return f
}

// Can asks the access rule (forum.Can) whether a may do act to kind (one of
// the forum.ItemComplaint kinds) of c. The system actor may do everything.
func (s *Store) Can(ctx context.Context, a Actor, act forum.Action, kind forum.ItemKind, c *Complaint) error {
	if a.System {
		return nil
	}
	return forum.Can(ctx, a.Viewer, act, forum.Item{Kind: kind, Complaint: s.Facts(a, c)})
}

// Access is what a may see of and do to complaint c, each answer from the
// access rule (forum.Can; see forum's access_complaint.go for who is who).
// Complaints are private by default. A confidential reporter is hidden from
// agency officers; erased complaints show no reporter to anyone.
func (s *Store) Access(a Actor, c *Complaint) View { return s.access(context.Background(), a, c) }

// access is Access asked with ctx: inside a write (forum.InTx) the rule
// reads a's rights again in the write's transaction, so an officer removed
// from the agency or a desk member demoted since a was loaded is refused.
func (s *Store) access(ctx context.Context, a Actor, c *Complaint) View {
	if a.System {
		return View{Read: true, Body: true, Reporter: true, Internal: true, Triage: true, Handle: true}
	}
	ok := func(act forum.Action, kind forum.ItemKind) bool { return s.Can(ctx, a, act, kind, c) == nil }
	if !ok(forum.ActRead, forum.ItemComplaint) {
		return View{}
	}
	return View{Read: true,
		Body:     ok(forum.ActRead, forum.ItemComplaintText),
		Reporter: ok(forum.ActRead, forum.ItemComplaintReporter),
		Internal: ok(forum.ActRead, forum.ItemComplaintHandling),
		Triage:   ok(forum.ActModerate, forum.ItemComplaint),
		Handle:   ok(forum.ActWrite, forum.ItemComplaintHandling),
		Citizen:  ok(forum.ActWrite, forum.ItemComplaint)}
}

// hashSecret returns the stored form of a tracking secret: SHA-256, hex. The
// secret is 128 random bits, so a fast hash is enough.
func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

func secretMatches(secret, hash string) bool {
	return subtle.ConstantTimeCompare([]byte(hashSecret(secret)), []byte(hash)) == 1
}
