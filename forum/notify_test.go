package forum_test

import (
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// kinds returns the kinds of v's visible notifications, newest first, and
// the unread count, checking that the two agree.
func kinds(t *testing.T, w *world, v forum.Viewer) []string {
	t.Helper()
	ns, err := forum.Notifications(w.ctx, w.db, v, 0)
	if err != nil {
		t.Fatal(err)
	}
	n, err := forum.UnreadCount(w.ctx, w.db, v)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	unread := 0
	for _, x := range ns {
		out = append(out, x.Kind)
		if x.Unread() {
			unread++
		}
	}
	if unread != n {
		t.Fatalf("%d unread listed, count says %d", unread, n)
	}
	return out
}

func eq(a []string, b ...string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestNotifications(t *testing.T) {
	w := newWorld(t)
	ani, budi, cita := w.user(t, "ani", forum.RoleParticipant), w.user(t, "budi", forum.RoleParticipant), w.user(t, "cita", forum.RoleParticipant)
	mod := w.user(t, "mod", forum.RoleModerator)
	if err := w.store.Follow(w.ctx, cita, w.c, nil, true); err != nil {
		t.Fatal(err)
	}
	if err := w.store.Follow(w.ctx, forum.Viewer{}, w.c, nil, true); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("guest follows: %v", err)
	}
	p := w.proposal(t, ani, "Taman <script>")
	top := w.comment(t, ani, p, 0, "komentar ani")
	reply, ds, err := w.store.AddComment(w.ctx, budi, w.c, p, forum.CommentInput{Body: "balasan budi", ParentID: top.ID})
	if err != nil || len(ds) != 1 || ds[0].User.ID != ani.User.ID || ds[0].Kind != forum.NotifyReply {
		t.Fatalf("reply deliveries: %v %+v", err, ds)
	}
	if _, ds, _ := w.store.AddComment(w.ctx, ani, w.c, p, forum.CommentInput{Body: "ani membalas dirinya", ParentID: top.ID}); len(ds) != 0 {
		t.Fatalf("a reply to oneself notified %+v", ds)
	}
	if _, err := w.store.Support(w.ctx, budi, p, w.c); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.SetAnswer(w.ctx, mod, w.c, p, forum.AnswerAccepted, "Diterima"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		v    forum.Viewer
		want []string
	}{
		{"author: answer and reply", ani, []string{forum.NotifyAnswer, forum.NotifyReply}},
		{"supporter: answer", budi, []string{forum.NotifyAnswer}},
		{"follower: new proposal", cita, []string{forum.NotifyProposal}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := kinds(t, w, tc.v); !eq(got, tc.want...) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	ns, _ := forum.Notifications(w.ctx, w.db, cita, 0)
	if ns[0].ProposalTitle != "Taman <script>" || ns[0].ConsultationTitle != w.c.Title {
		t.Fatalf("view %+v", ns[0])
	}

	// Hiding the reply takes its notification out of list and count.
	if err := w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetComment, ID: reply.ID}, 0, forum.ActionHide, "spam"); err != nil {
		t.Fatal(err)
	}
	if got := kinds(t, w, ani); !eq(got, forum.NotifyAnswer) {
		t.Fatalf("after hiding the reply: %v", got)
	}
	if err := w.store.MarkNotificationsRead(w.ctx, ani); err != nil {
		t.Fatal(err)
	}
	if n, _ := forum.UnreadCount(w.ctx, w.db, ani); n != 0 {
		t.Fatalf("unread after marking read: %d", n)
	}
}

// TestNotificationsFocusGroup: a focus group's proposal reaches only the
// followers who are members, and a member removed later no longer sees
// the notification nor counts it.
func TestNotificationsFocusGroup(t *testing.T) {
	w := newWorld(t)
	admin := w.user(t, "admin", forum.RoleAdmin)
	member, outsider := w.user(t, "anggota", forum.RoleParticipant), w.user(t, "luar", forum.RoleParticipant)
	g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Warga RW 03", Listed: true}
	if err := w.store.CreateFocusGroup(w.ctx, admin, g); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetMember(w.ctx, admin, g, member.User.ID, forum.MemberRole); err != nil {
		t.Fatal(err)
	}
	for _, v := range []forum.Viewer{member, outsider, admin} {
		if err := w.store.Follow(w.ctx, v, w.c, nil, true); err != nil {
			t.Fatal(err)
		}
	}
	p, ds, err := w.store.CreateProposal(w.ctx, admin, w.c, forum.ProposalInput{Title: "Rahasia kelompok", GroupID: g.ID})
	if err != nil || len(ds) != 1 || ds[0].User.ID != member.User.ID {
		t.Fatalf("deliveries %v %+v", err, ds)
	}
	// Even a notification that exists is not shown to someone who cannot
	// see the content: plant one for the outsider.
	if _, err := w.db.NewInsert().Model(&forum.Notification{UserID: outsider.User.ID, Kind: forum.NotifyProposal,
		ConsultationID: w.c.ID, ProposalID: p.ID, CreatedAt: t0}).Exec(w.ctx); err != nil {
		t.Fatal(err)
	}
	if got := kinds(t, w, outsider); len(got) != 0 {
		t.Fatalf("outsider sees %v", got)
	}
	if got := kinds(t, w, w.again(t, member)); !eq(got, forum.NotifyProposal) {
		t.Fatalf("member sees %v", got)
	}
	w.now = t0.Add(time.Minute)
	if err := w.store.RemoveMember(w.ctx, admin, g, member.User.ID); err != nil {
		t.Fatal(err)
	}
	if got := kinds(t, w, w.again(t, member)); len(got) != 0 {
		t.Fatalf("removed member sees %v", got)
	}
}

func TestEmailInvitesAndMembers(t *testing.T) {
	w := newWorld(t)
	admin := w.user(t, "admin", forum.RoleAdmin)
	ani, budi := w.user(t, "ani", forum.RoleParticipant), w.user(t, "budi", forum.RoleParticipant)
	g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Kelompok"}
	if err := w.store.CreateFocusGroup(w.ctx, admin, g); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.InviteEmails(w.ctx, admin, g, "ani@contoh.test, bukan email", time.Hour); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("bad address: %v", err)
	}
	if _, err := w.store.InviteEmails(w.ctx, ani, g, "ani@contoh.test", time.Hour); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("participant invites: %v", err)
	}
	inv, err := w.store.InviteEmails(w.ctx, admin, g, "Ani <ANI@contoh.test>;\nani@contoh.test", time.Hour)
	if err != nil || len(inv) != 1 || inv[0].Email != "ani@contoh.test" {
		t.Fatalf("invites %v %+v", err, inv)
	}
	if _, err := w.store.AcceptInvite(w.ctx, budi.User, inv[0].Token); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("another user accepts an emailed invitation: %v", err)
	}
	w.now = t0.Add(2 * time.Hour)
	_, err = w.store.AcceptInvite(w.ctx, ani.User, inv[0].Token)
	w.now = t0
	if errs.KindOf(err) != errs.NotFound {
		t.Fatalf("expired invitation: %v", err)
	}
	if gg, c, err := w.store.InviteGroup(w.ctx, inv[0].Token); err != nil || gg.ID != g.ID || c.ID != w.c.ID {
		t.Fatalf("invite group: %v", err)
	}
	if gid, err := w.store.AcceptInvite(w.ctx, ani.User, inv[0].Token); err != nil || gid != g.ID {
		t.Fatalf("accept: %v %d", err, gid)
	}
	ms, err := forum.Members(w.ctx, w.db, admin, g)
	if err != nil || len(ms) != 1 || ms[0].DisplayName != "ani" || ms[0].Removed() {
		t.Fatalf("members %v %+v", err, ms)
	}
	if _, err := forum.Members(w.ctx, w.db, ani, g); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("a member lists members: %v", err)
	}
	// An emailed invitation is used once: afterwards it names nothing.
	if _, _, err := w.store.InviteGroup(w.ctx, inv[0].Token); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("invite group after use: %v", err)
	}
}

func TestFlagAuthor(t *testing.T) {
	w := newWorld(t)
	ani, budi := w.user(t, "ani", forum.RoleParticipant), w.user(t, "budi", forum.RoleParticipant)
	mod := w.user(t, "mod", forum.RoleModerator)
	p := w.proposal(t, ani, "Usulan ani")
	pt := forum.Target{Kind: forum.TargetProposal, ID: p.ID}
	if err := w.store.FlagAuthor(w.ctx, ani, pt, "saya"); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("self report: %v", err)
	}
	if err := w.store.FlagAuthor(w.ctx, budi, pt, "akun palsu"); err != nil {
		t.Fatal(err)
	}
	q, err := forum.Queue(w.ctx, w.db, mod, w.c)
	if err != nil || len(q) != 1 || q[0].Kind != forum.TargetUser || q[0].ID != ani.ParticipantID || q[0].Reports[0] != "akun palsu" {
		t.Fatalf("queue %v %+v", err, q)
	}
	if err := w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetUser, ID: ani.ParticipantID}, w.c.ID, forum.ActionBlock, "akun palsu"); err != nil {
		t.Fatal(err)
	}
	bs, err := forum.BlockedIn(w.ctx, w.db, mod, w.c)
	if err != nil || len(bs) != 1 || bs[0].Name != "ani" || bs[0].Reason != "akun palsu" {
		t.Fatalf("blocked %v %+v", err, bs)
	}
	if _, _, err := w.store.CreateProposal(w.ctx, w.again(t, ani), w.c, forum.ProposalInput{Title: "Lagi"}); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("blocked participant proposes: %v", err)
	}
	if _, err := forum.BlockedIn(w.ctx, w.db, budi, w.c); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("participant reads blocks: %v", err)
	}
}
