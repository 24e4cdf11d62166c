package forum

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
)

// Viewer is who asks, for authorization: a signed-in user or a guest, the
// participant that acts for them (0 before a guest first takes part), and
// their rights in consultations and focus groups as read from the database
// by LoadViewer. It is the only viewer type that decides anything: the
// search filter and the web layer's request plumbing are derived from it.
//
// A Viewer is a value read once per request (or per websocket re-check);
// Can answers from it without touching the database. A Viewer of a user
// that was not made by LoadViewer or GuestViewer is refused by Can with an
// internal error, so that a forgotten load cannot quietly drop a
// per-consultation moderator's or a member's rights.
type Viewer struct {
	User          *User
	ParticipantID int64

	loaded    bool
	moderates []int64  // consultations the user moderates by name (sorted)
	analyzes  []int64  // consultations the user is an analyst of by name (sorted)
	groups    []int64  // focus groups the user is a current member of (sorted)
	blocks    []int64  // consultations the participant is blocked in; 0 means site-wide (sorted)
	agencies  []int64  // agencies (OPD) the user is a complaint officer of (sorted)
	fresh     *txFacts // the write transaction it was loaded in (InTx), nil outside one
	retired   bool     // a guest merged into an account since it was loaded (MergeParticipant)
}

// GuestViewer is a visitor without an account, acting as participant pid (0
// before they first take part). Blocks of pid are not known: use
// LoadViewer for writes by a guest that has a participant.
func GuestViewer(pid int64) Viewer { return Viewer{ParticipantID: pid, loaded: true} }

// LoadViewer reads the rights of user u (nil for a guest) acting as
// participant pid: the consultations u moderates by name, the focus groups
// u is a current (not removed) member of, the agencies u is a complaint
// officer of (agency_officers) and the blocks on pid, in one query.
func LoadViewer(ctx context.Context, db bun.IDB, u *User, pid int64) (Viewer, error) {
	v := Viewer{User: u, ParticipantID: pid, loaded: true, fresh: factsOf(ctx)}
	uid := int64(0)
	if u != nil {
		uid = u.ID
	}
	if uid == 0 && pid == 0 {
		return v, nil
	}
	var rows []struct {
		Kind string `bun:"k"`
		ID   int64  `bun:"id"`
	}
	err := db.NewRaw(`SELECT 'm' AS k, consultation_id AS id FROM consultation_moderators WHERE user_id = ?
		UNION ALL SELECT 'n', consultation_id FROM consultation_analysts WHERE user_id = ?
		UNION ALL SELECT 'g', focus_group_id FROM focus_group_members WHERE user_id = ? AND removed_at IS NULL
		UNION ALL SELECT 'b', consultation_id FROM blocks WHERE participant_id = ?
		UNION ALL SELECT 'a', agency_id FROM agency_officers WHERE user_id = ?`, uid, uid, uid, pid, uid).Scan(ctx, &rows)
	if err != nil {
		return Viewer{}, fmt.Errorf("rights of user %d, participant %d: %w", uid, pid, err)
	}
	for _, r := range rows {
		switch r.Kind {
		case "m":
			v.moderates = append(v.moderates, r.ID)
		case "n":
			v.analyzes = append(v.analyzes, r.ID)
		case "g":
			v.groups = append(v.groups, r.ID)
		case "b":
			v.blocks = append(v.blocks, r.ID)
		case "a":
			v.agencies = append(v.agencies, r.ID)
		}
	}
	slices.Sort(v.moderates)
	slices.Sort(v.analyzes)
	slices.Sort(v.groups)
	slices.Sort(v.blocks)
	slices.Sort(v.agencies)
	return v, nil
}

// LoadViewers returns, by user id, the viewers of the signed-in users ids
// that exist and are not deleted, as LoadViewer makes them (without a
// participant), in two queries whatever the number of users: for a fan-out
// (a notification to a whole complaint desk) that checks each recipient
// against forum.Can. Ids with no live user are absent.
func LoadViewers(ctx context.Context, db bun.IDB, ids []int64) (map[int64]Viewer, error) {
	out := make(map[int64]Viewer, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var users []*User
	if err := db.NewSelect().Model(&users).Where("id IN (?) AND deleted_at IS NULL", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("users %v: %w", ids, err)
	}
	if len(users) == 0 {
		return out, nil
	}
	live := make([]int64, len(users))
	byID := map[int64]*Viewer{}
	for i, u := range users {
		live[i] = u.ID
		byID[u.ID] = &Viewer{User: u, loaded: true, fresh: factsOf(ctx)}
	}
	var rows []struct {
		Kind string `bun:"k"`
		User int64  `bun:"uid"`
		ID   int64  `bun:"id"`
	}
	in := bun.In(live)
	err := db.NewRaw(`SELECT 'm' AS k, user_id AS uid, consultation_id AS id FROM consultation_moderators WHERE user_id IN (?)
		UNION ALL SELECT 'n', user_id, consultation_id FROM consultation_analysts WHERE user_id IN (?)
		UNION ALL SELECT 'g', user_id, focus_group_id FROM focus_group_members WHERE user_id IN (?) AND removed_at IS NULL
		UNION ALL SELECT 'a', user_id, agency_id FROM agency_officers WHERE user_id IN (?)`, in, in, in, in).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("rights of users %v: %w", live, err)
	}
	for _, r := range rows {
		v := byID[r.User]
		switch r.Kind {
		case "m":
			v.moderates = append(v.moderates, r.ID)
		case "n":
			v.analyzes = append(v.analyzes, r.ID)
		case "g":
			v.groups = append(v.groups, r.ID)
		case "a":
			v.agencies = append(v.agencies, r.ID)
		}
	}
	for id, v := range byID {
		slices.Sort(v.moderates)
		slices.Sort(v.analyzes)
		slices.Sort(v.groups)
		slices.Sort(v.agencies)
		out[id] = *v
	}
	return out, nil
}

// SignedIn reports whether v is a signed-in user.
func (v Viewer) SignedIn() bool { return v.User != nil }

// Admin reports whether v is an admin: the only role that administers the
// site (consultation settings, site-wide blocks, the audit log).
func (v Viewer) Admin() bool { return v.User != nil && v.User.Role == RoleAdmin }

// Assists reports whether v records entries on behalf of citizens at a
// desk (ActAssist): assisted-entry officers and admins.
func (v Viewer) Assists() bool {
	return v.User != nil && (v.User.Role == RoleAssistant || v.User.Role == RoleAdmin)
}

// globalModerator reports whether v moderates every consultation.
func (v Viewer) globalModerator() bool {
	return v.User != nil && (v.User.Role == RoleAdmin || v.User.Role == RoleModerator)
}

// Analyst reports whether v holds a staff role (analyst, moderator or
// admin), which may read reports and exports of what v can read.
func (v Viewer) Analyst() bool { return v.User.Staff() }

// Moderates reports whether v moderates consultation id: admins, global
// moderators and moderators named for that consultation.
func (v Viewer) Moderates(id int64) bool {
	if v.globalModerator() {
		return true
	}
	_, ok := slices.BinarySearch(v.moderates, id)
	return v.User != nil && ok
}

// AnalyzesIn reports whether v reads consultation id's reports, exports
// and moderation queue as an analyst: a staff role (Analyst) or an analyst
// named for that consultation (AssignConsultationRole).
func (v Viewer) AnalyzesIn(id int64) bool {
	if v.Analyst() {
		return true
	}
	_, ok := slices.BinarySearch(v.analyzes, id)
	return v.User != nil && ok
}

// AnalyzedConsultations returns the consultations v is an analyst of by
// name (not counting a global role), sorted.
func (v Viewer) AnalyzedConsultations() []int64 { return slices.Clone(v.analyzes) }

// ModeratesAll reports whether v moderates every consultation (admins and
// global moderators); the search filter's "staff".
func (v Viewer) ModeratesAll() bool { return v.globalModerator() }

// ModeratedConsultations returns the consultations v moderates by name
// (not counting a global role), sorted.
func (v Viewer) ModeratedConsultations() []int64 { return slices.Clone(v.moderates) }

// Agencies returns the agencies (OPD) v is a complaint officer of, sorted.
func (v Viewer) Agencies() []int64 { return slices.Clone(v.agencies) }

// OfficerOfAny reports whether v is an officer of one of agencies.
func (v Viewer) OfficerOfAny(agencies []int64) bool {
	if v.User == nil {
		return false
	}
	for _, id := range agencies {
		if _, ok := slices.BinarySearch(v.agencies, id); ok {
			return true
		}
	}
	return false
}

// MemberGroups returns the focus groups v is a current member of, sorted.
func (v Viewer) MemberGroups() []int64 { return slices.Clone(v.groups) }

// Member reports whether v is a current member of focus group id.
func (v Viewer) Member(id int64) bool {
	_, ok := slices.BinarySearch(v.groups, id)
	return v.User != nil && ok
}

// BlockedIn reports whether v's participant may not take part in
// consultation id: blocked there, or site-wide.
func (v Viewer) BlockedIn(id int64) bool {
	_, here := slices.BinarySearch(v.blocks, id)
	_, everywhere := slices.BinarySearch(v.blocks, 0)
	return here || everywhere
}

// ReadableGroups returns, sorted, the focus groups whose content v reads by
// the access rule (Can): every group for admins and global moderators,
// otherwise the groups v is a current member of and those of the
// consultations v moderates by name. It is the list form of the rule for
// filters that cannot call Can per item (the search engine's query).
func ReadableGroups(ctx context.Context, db bun.IDB, v Viewer) ([]int64, error) {
	if v.User == nil {
		return nil, nil
	}
	if !v.loaded {
		return nil, fmt.Errorf("access: viewer of user %d was not loaded (use LoadViewer)", v.User.ID)
	}
	var ids []int64
	var err error
	if v.globalModerator() {
		err = db.NewRaw("SELECT id FROM focus_groups ORDER BY id").Scan(ctx, &ids)
	} else if len(v.moderates) > 0 {
		err = db.NewRaw("SELECT id FROM focus_groups WHERE consultation_id IN (?) ORDER BY id", bun.In(v.moderates)).Scan(ctx, &ids)
	}
	if err != nil {
		return nil, fmt.Errorf("focus groups readable by user %d: %w", v.User.ID, err)
	}
	ids = append(ids, v.groups...)
	slices.Sort(ids)
	return slices.Compact(ids), nil
}
