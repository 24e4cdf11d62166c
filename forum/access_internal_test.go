package forum

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/errs"
)

// outcome names Can's answer for the table: "ok", "404" (not found),
// "403" (forbidden) or "500" (a fault).
func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errs.KindOf(err) == errs.NotFound:
		return "404"
	case errs.KindOf(err) == errs.Forbidden:
		return "403"
	}
	return "500"
}

// TestCan walks the access rule over roles × items × actions without a
// database: consultation 1 (with focus group 7), a moderator of 1 and one
// of 2. The database-backed table over every path is in web
// (access_table_test.go).
func TestCan(t *testing.T) {
	ctx := context.Background()
	u := func(id int64, role string) *User { return &User{ID: id, Role: role} }
	roles := map[string]Viewer{
		"guest":             GuestViewer(0),
		"guest participant": GuestViewer(50),
		"citizen":           {User: u(1, RoleParticipant), ParticipantID: 11, loaded: true},
		"member":            {User: u(2, RoleParticipant), ParticipantID: 12, loaded: true, groups: []int64{7}},
		"removed member":    {User: u(3, RoleParticipant), ParticipantID: 13, loaded: true}, // membership ended: LoadViewer skips it
		"analyst":           {User: u(4, RoleAnalyst), ParticipantID: 14, loaded: true},
		"moderator here":    {User: u(5, RoleParticipant), ParticipantID: 15, loaded: true, moderates: []int64{1}},
		"moderator there":   {User: u(6, RoleParticipant), ParticipantID: 16, loaded: true, moderates: []int64{2}},
		"global moderator":  {User: u(7, RoleModerator), ParticipantID: 17, loaded: true},
		"admin":             {User: u(8, RoleAdmin), ParticipantID: 18, loaded: true},
		"blocked here":      {User: u(9, RoleParticipant), ParticipantID: 19, loaded: true, blocks: []int64{1}},
		"blocked there":     {User: u(10, RoleParticipant), ParticipantID: 20, loaded: true, blocks: []int64{2}},
		"blocked site-wide": {User: u(11, RoleParticipant), ParticipantID: 21, loaded: true, blocks: []int64{0}},
		"not loaded":        {User: u(12, RoleParticipant), ParticipantID: 22},
	}
	open := &Consultation{ID: 1, Status: StatusOpen}
	draft := &Consultation{ID: 1, Status: StatusDraft}
	closed := &Consultation{ID: 1, Status: StatusClosed}
	all := StageAt(open, nil, time.Time{})
	noPolls := Stage{Features: map[string]bool{FeatureProposals: true}}
	none := StageAt(closed, nil, time.Time{})
	items := map[string]Item{
		"open consultation":     open.Item(),
		"draft consultation":    draft.Item(),
		"group proposal":        {Kind: ItemProposal, Consultation: open, GroupID: 7},
		"pending proposal":      {Kind: ItemProposal, Consultation: open, State: StatePending, AuthorID: 11},
		"deleted comment":       {Kind: ItemComment, Consultation: open, Deleted: true},
		"listed group":          {Kind: ItemFocusGroup, Consultation: open, GroupID: 7, Listed: true},
		"unlisted group":        {Kind: ItemFocusGroup, Consultation: open, GroupID: 7},
		"group live session":    {Kind: ItemLiveSession, Consultation: open, GroupID: 7, Stage: &all},
		"draft live session":    {Kind: ItemLiveSession, Consultation: draft, Stage: &all},
		"guest live session":    {Kind: ItemLiveSession, Consultation: open, Stage: &all, Guests: true},
		"hidden report":         {Kind: ItemReport, Consultation: open},
		"published report":      {Kind: ItemReport, Consultation: open, Published: true},
		"export":                {Kind: ItemExport, Consultation: open},
		"draft file":            {Kind: ItemFile, Consultation: draft},
		"citizen notification":  {Kind: ItemNotification, Consultation: open, OwnerID: 1},
		"poll":                  {Kind: ItemPoll, Consultation: open, Stage: &all, Guests: true},
		"poll, phase off":       {Kind: ItemPoll, Consultation: open, Stage: &noPolls, Guests: true},
		"poll, closed":          {Kind: ItemPoll, Consultation: closed, Stage: &none, Guests: true},
		"poll, no stage":        {Kind: ItemPoll, Consultation: open, Guests: true},
		"site":                  {Kind: ItemSite},
		"unknown kind":          {Kind: "complaint", Consultation: open},
		"moderation queue":      {Kind: ItemModerationLog, Consultation: open},
		"raperda":               {Kind: ItemDraftText, Consultation: open},
		"raperda in draft":      {Kind: ItemDraftText, Consultation: draft},
		"group raperda":         {Kind: ItemDraftText, Consultation: open, GroupID: 7},
		"raperda input":         {Kind: ItemDraftInput, Consultation: open, Stage: &all},
		"hidden raperda input":  {Kind: ItemDraftInput, Consultation: open, Stage: &all, State: StateHidden, AuthorID: 11},
		"raperda input, closed": {Kind: ItemDraftInput, Consultation: closed, Stage: &none},
		"closed consultation":   closed.Item(),
		"meeting":               {Kind: ItemMeeting, Consultation: open},
		"group meeting":         {Kind: ItemMeeting, Consultation: open, GroupID: 7},
		"group proposal closed": {Kind: ItemProposal, Consultation: closed, GroupID: 7, Stage: &none},
	}
	cases := []struct {
		role, item string
		act        Action
		want       string
	}{
		// Drafts: their moderators only; analysts and others' moderators do not.
		{"guest", "draft consultation", ActRead, "404"},
		{"analyst", "draft consultation", ActRead, "404"},
		{"moderator there", "draft consultation", ActRead, "404"},
		{"moderator here", "draft consultation", ActRead, "ok"},
		{"global moderator", "draft consultation", ActRead, "ok"},
		{"admin", "draft consultation", ActRead, "ok"},
		{"guest", "open consultation", ActRead, "ok"},
		// Focus groups: current members and the consultation's moderators.
		{"guest", "group proposal", ActRead, "404"},
		{"citizen", "group proposal", ActRead, "404"},
		{"member", "group proposal", ActRead, "ok"},
		{"removed member", "group proposal", ActRead, "404"},
		{"analyst", "group proposal", ActRead, "404"},
		{"moderator here", "group proposal", ActRead, "ok"},
		{"moderator there", "group proposal", ActRead, "404"},
		{"admin", "group proposal", ActRead, "ok"},
		{"citizen", "listed group", ActRead, "ok"},
		{"citizen", "unlisted group", ActRead, "404"},
		{"member", "unlisted group", ActRead, "ok"},
		// Live sessions follow the same rule: the analyst defect, the member defect.
		{"analyst", "group live session", ActRead, "404"},
		{"analyst", "draft live session", ActRead, "404"},
		{"analyst", "draft live session", ActExport, "404"},
		{"member", "group live session", ActRead, "ok"},
		{"member", "group live session", ActWrite, "ok"},
		{"member", "group live session", ActModerate, "403"},
		{"removed member", "group live session", ActRead, "404"},
		{"moderator here", "group live session", ActModerate, "ok"},
		{"moderator there", "guest live session", ActModerate, "403"},
		{"global moderator", "guest live session", ActModerate, "ok"},
		{"guest", "guest live session", ActWrite, "403"}, // no participant yet
		{"guest participant", "guest live session", ActWrite, "ok"},
		{"guest participant", "group live session", ActWrite, "404"},
		// Pending and deleted content.
		{"citizen", "pending proposal", ActRead, "ok"}, // its author
		{"member", "pending proposal", ActRead, "404"},
		{"moderator here", "pending proposal", ActRead, "ok"},
		{"admin", "deleted comment", ActRead, "404"},
		// Meetings: a group's meeting is its members' and the moderators'.
		{"guest", "meeting", ActRead, "ok"},
		{"guest", "meeting", ActWrite, "403"},
		{"citizen", "meeting", ActWrite, "ok"},
		{"citizen", "meeting", ActModerate, "403"},
		{"moderator here", "meeting", ActModerate, "ok"},
		{"citizen", "group meeting", ActRead, "404"},
		{"removed member", "group meeting", ActWrite, "404"},
		{"member", "group meeting", ActWrite, "ok"},
		{"moderator here", "group meeting", ActRead, "ok"},
		// Reports, exports, the queue.
		{"guest", "hidden report", ActRead, "403"},
		{"citizen", "hidden report", ActRead, "403"},
		{"analyst", "hidden report", ActRead, "ok"},
		{"moderator here", "hidden report", ActRead, "ok"},
		{"moderator there", "hidden report", ActRead, "403"},
		{"guest", "published report", ActRead, "ok"},
		{"citizen", "export", ActExport, "403"},
		{"analyst", "export", ActExport, "ok"},
		{"moderator here", "export", ActExport, "ok"},
		{"moderator there", "export", ActExport, "403"},
		{"analyst", "moderation queue", ActRead, "ok"},
		{"analyst", "moderation queue", ActModerate, "403"},
		{"citizen", "moderation queue", ActRead, "403"},
		// Draft regulations: read as their consultation and focus group,
		// written only by moderating; inputs as comments.
		{"guest", "raperda", ActRead, "ok"},
		{"guest", "raperda in draft", ActRead, "404"},
		{"analyst", "raperda in draft", ActRead, "404"},
		{"moderator here", "raperda in draft", ActModerate, "ok"},
		{"citizen", "raperda", ActWrite, "403"},
		{"citizen", "raperda", ActModerate, "403"},
		{"citizen", "group raperda", ActRead, "404"},
		{"member", "group raperda", ActRead, "ok"},
		{"citizen", "raperda input", ActWrite, "ok"},
		{"guest", "raperda input", ActWrite, "403"},
		{"blocked here", "raperda input", ActWrite, "403"},
		{"citizen", "raperda input, closed", ActWrite, "403"},
		{"citizen", "hidden raperda input", ActRead, "ok"}, // its author
		{"member", "hidden raperda input", ActRead, "404"},
		{"moderator here", "hidden raperda input", ActModerate, "ok"},
		// Files follow their consultation.
		{"guest", "draft file", ActRead, "404"},
		{"moderator here", "draft file", ActRead, "ok"},
		{"analyst", "draft file", ActRead, "404"},
		// Notifications: the recipient, while they read the subject.
		{"citizen", "citizen notification", ActRead, "ok"},
		{"member", "citizen notification", ActRead, "404"},
		{"admin", "citizen notification", ActRead, "404"},
		// Writes: phase and status turn features off on every path.
		{"guest participant", "poll", ActWrite, "ok"},
		{"guest participant", "poll, phase off", ActWrite, "403"},
		{"guest participant", "poll, closed", ActWrite, "403"},
		{"admin", "poll, closed", ActWrite, "403"},
		{"citizen", "poll, no stage", ActWrite, "500"},
		{"citizen", "closed consultation", ActWrite, "403"},
		{"member", "group proposal closed", ActWrite, "403"},
		// Blocks: in their consultation, or everywhere.
		{"blocked here", "poll", ActWrite, "403"},
		{"blocked there", "poll", ActWrite, "ok"},
		{"blocked site-wide", "poll", ActWrite, "403"},
		{"blocked here", "open consultation", ActRead, "ok"},
		// Administration: admins only.
		{"moderator here", "site", ActAdminister, "403"},
		{"global moderator", "site", ActAdminister, "403"},
		{"admin", "site", ActAdminister, "ok"},
		{"admin", "site", ActRead, "403"},
		{"analyst", "site", ActExport, "ok"},
		{"citizen", "site", ActExport, "403"},
		{"guest", "site", ActExport, "403"},
		{"moderator here", "open consultation", ActAdminister, "403"},
		{"guest", "draft consultation", ActAdminister, "404"},
		{"admin", "open consultation", ActAdminister, "ok"},
		// Faults are loud.
		{"not loaded", "open consultation", ActRead, "500"},
		{"admin", "unknown kind", ActRead, "500"},
	}
	for _, c := range cases {
		t.Run(c.role+"/"+c.item+"/"+string(c.act), func(t *testing.T) {
			v, ok := roles[c.role]
			it, ok2 := items[c.item]
			if !ok || !ok2 {
				t.Fatalf("no role %q or item %q", c.role, c.item)
			}
			if got := outcome(Can(ctx, v, c.act, it)); got != c.want {
				t.Errorf("Can = %s, want %s (%v)", got, c.want, Can(ctx, v, c.act, it))
			}
		})
	}
}
