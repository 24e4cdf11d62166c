package complaint

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/rembug/rembug/forum"
)

// Actor is who acts on or looks at a complaint: a signed-in user (with the
// agencies they are an officer of), a guest holding a tracking secret, or
// the system (periodic jobs). Build one with Store.Actor.
type Actor struct {
	User     *forum.User
	Agencies []int64 // agencies User is an officer of
	Secret   string  // the guest tracking secret presented, if any
	System   bool
}

// UserID is the acting user's id, 0 for guests and the system.
func (a Actor) UserID() int64 {
	if a.User == nil {
		return 0
	}
	return a.User.ID
}

// SystemActor acts for periodic jobs (deadline checks, auto-close, erasure).
var SystemActor = Actor{System: true}

// Actor returns the actor for viewer v presenting tracking secret (may be
// ""), with the agencies v's user is an officer of.
func (s *Store) Actor(ctx context.Context, v forum.Viewer, secret string) (Actor, error) {
	a := Actor{User: v.User, Secret: secret}
	if v.User == nil {
		return a, nil
	}
	if err := s.db.NewSelect().Table("complaint_officers").Column("agency_id").Where("user_id = ?", v.User.ID).
		Order("agency_id").Scan(ctx, &a.Agencies); err != nil {
		return a, fmt.Errorf("officer agencies of user %d: %w", v.User.ID, err)
	}
	return a, nil
}

// View is what an actor may see of and do to one complaint.
type View struct {
	Read     bool // the complaint exists for them at all
	Body     bool // the text unmasked (otherwise Mask(body) when Read)
	Reporter bool // the reporter's name and contact
	Internal bool // internal notes and the audit trail
	Triage   bool // verify, route, reject, merge, set the LAPOR! id
	Handle   bool // start, ask the citizen, answer, note, assign
	Citizen  bool // reply, close and rate, reopen
}

// Access is the one rule for who may see and do what to complaint c.
// Complaints are private by default (UU 25/2009 Pasal 42 ayat (2) lets a
// reporter's identity be kept secret; SP4N-LAPOR! offers "rahasia"):
//   - admins and moderators (the complaint desk) see and triage everything,
//     and also handle it;
//   - an officer of an agency the complaint is routed to reads it unmasked,
//     sees internal notes and handles it, but never a confidential
//     reporter's identity;
//   - analysts read it masked, without reporter or notes (for statistics);
//   - the reporter (signed in as the reporting user, or a guest presenting
//     the tracking secret) reads it, their own identity and the public
//     timeline, and replies, closes, rates or reopens it;
//   - everyone else reads it masked, without reporter or notes, only when the
//     reporter made it public and not confidential and it was not rejected
//     or merged; otherwise it does not exist for them.
//
// Erased complaints show no reporter to anyone.
func Access(a Actor, c *Complaint) View {
	var v View
	public := c.Public && !c.Confidential && c.Status != StatusRejected && c.Status != StatusMerged
	if public {
		v.Read = true
	}
	if a.System {
		return View{Read: true, Body: true, Reporter: true, Internal: true, Triage: true, Handle: true}
	}
	if a.User != nil {
		switch a.User.Role {
		case forum.RoleAdmin, forum.RoleModerator:
			v = View{Read: true, Body: true, Reporter: true, Internal: true, Triage: true, Handle: true}
		case forum.RoleAnalyst:
			v.Read = true
		}
		if routedTo(a, c) {
			v.Read, v.Body, v.Internal, v.Handle = true, true, true, true
			v.Reporter = v.Reporter || !c.Confidential
		}
		if c.ReporterUserID != nil && *c.ReporterUserID == a.User.ID {
			v.Read, v.Body, v.Reporter, v.Citizen = true, true, true, true
		}
	}
	if a.Secret != "" && c.SecretHash != "" && secretMatches(a.Secret, c.SecretHash) {
		v.Read, v.Body, v.Reporter, v.Citizen = true, true, true, true
	}
	if c.ErasedAt != nil {
		v.Reporter = false
	}
	return v
}

func routedTo(a Actor, c *Complaint) bool {
	for _, id := range c.Agencies {
		if slices.Contains(a.Agencies, id) {
			return true
		}
	}
	return false
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
