package otp

import (
	"context"
	"regexp"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/messaging"
)

// TestLinkPhone links a phone number to a signed-in citizen's account with
// a code: the code of a link never signs anyone in and a sign-in code never
// links; only the account that asked may use it, in the browser that asked;
// a wrong code counts as an attempt; the number, typed in a local format,
// is stored in E.164 and then signs in to that account; a number of
// another account and a second number are refused without using the code
// up; staff accounts are refused. SQLite and PostgreSQL.
func TestLinkPhone(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := f.clock.now()
	ani := &forum.User{Email: "ani@contoh.test", DisplayName: "Ani", Role: forum.RoleParticipant}
	budi := &forum.User{Email: "budi@contoh.test", DisplayName: "Budi", Role: forum.RoleParticipant}
	admin := &forum.User{Email: "admin@pemda.test", DisplayName: "Admin", Role: forum.RoleAdmin}
	for _, u := range []*forum.User{ani, budi, admin} {
		if err := forumtest.CreateUser(ctx, f.db, u, now); err != nil {
			t.Fatal(err)
		}
	}
	codeRE := regexp.MustCompile(`Kode: (\d{6})`)
	link := func(uid int64, ch messaging.Channel, addr string) (*Challenge, string) {
		t.Helper()
		c, err := f.store.Start(ctx, Request{Channel: ch, Address: addr, Client: "203.0.113.9", Browser: "b1", ReturnTo: "/akun", LinkUser: uid}, compose)
		if err != nil {
			t.Fatalf("start link %s: %v", addr, err)
		}
		rows, err := messaging.Recent(ctx, f.db, 1)
		if err != nil || len(rows) != 1 {
			t.Fatal(err)
		}
		return c, codeRE.FindStringSubmatch(rows[0].Body)[1]
	}

	if _, err := f.store.Start(ctx, Request{Channel: messaging.Email, Address: "x@contoh.test", Client: "c", Browser: "b1", LinkUser: ani.ID}, compose); key(err) != "error.otp_channel" {
		t.Fatalf("linking an email by code: %v", err)
	}
	c, code := link(ani.ID, messaging.WhatsApp, "0812-3456-7890")
	if c.Address != "+6281234567890" {
		t.Fatalf("normalized number %q", c.Address)
	}
	if _, _, err := f.store.Verify(ctx, c.Token, code, "b1", "203.0.113.9", citizen); key(err) != "error.otp_expired" {
		t.Fatalf("a link code signs in: %v", err)
	}
	if _, err := f.store.VerifyLink(ctx, c.Token, code, "b1", "203.0.113.9", budi.ID); key(err) != "error.otp_expired" {
		t.Fatalf("another account uses the link code: %v", err)
	}
	if _, err := f.store.VerifyLink(ctx, c.Token, code, "b2", "203.0.113.9", ani.ID); key(err) != "error.otp_expired" {
		t.Fatalf("another browser uses the link code: %v", err)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if _, err := f.store.VerifyLink(ctx, c.Token, wrong, "b1", "203.0.113.9", ani.ID); key(err) != "error.otp_wrong" {
		t.Fatalf("wrong code: %v", err)
	}
	n, err := f.store.VerifyLink(ctx, c.Token, code, "b1", "203.0.113.9", ani.ID)
	if err != nil || n != "+6281234567890" {
		t.Fatalf("link: %q %v", n, err)
	}
	if _, err := f.store.VerifyLink(ctx, c.Token, code, "b1", "203.0.113.9", ani.ID); key(err) != "error.otp_expired" {
		t.Fatalf("link code used twice: %v", err)
	}
	u, err := forum.NewStore(f.db, f.clock.now).SignInIdentity(ctx, "phone", "+6281234567890")
	if err != nil || u.ID != ani.ID {
		t.Fatalf("the number's account: %+v %v", u, err)
	}
	s, scode, _ := f.start(t, messaging.SMS, "+62 812 3456 7890", "203.0.113.9")
	if got, _, err := f.store.Verify(ctx, s.Token, scode, "b1", "203.0.113.9", citizen); err != nil || got.ID != ani.ID {
		t.Fatalf("sign-in with the linked number: %+v %v", got, err)
	}
	s, scode, _ = f.start(t, messaging.SMS, "081299998888", "203.0.113.9")
	if _, err := f.store.VerifyLink(ctx, s.Token, scode, "b1", "203.0.113.9", ani.ID); key(err) != "error.otp_expired" {
		t.Fatalf("a sign-in code links: %v", err)
	}

	c, code = link(budi.ID, messaging.SMS, "6281234567890")
	if _, err := f.store.VerifyLink(ctx, c.Token, code, "b1", "203.0.113.9", budi.ID); key(err) != "error.phone_taken" {
		t.Fatalf("another account's number: %v", err)
	}
	c, code = link(ani.ID, messaging.SMS, "081311112222")
	if _, err := f.store.VerifyLink(ctx, c.Token, code, "b1", "203.0.113.9", ani.ID); key(err) != "error.phone_linked" {
		t.Fatalf("a second number: %v", err)
	}
	if err := forum.NewStore(f.db, f.clock.now).LinkIdentity(ctx, ani, "email", ani.Email, ani.Email); err != nil {
		t.Fatal(err)
	}
	if err := forum.NewStore(f.db, f.clock.now).UnlinkIdentity(ctx, ani, "phone"); err != nil {
		t.Fatal(err)
	}
	if n, err := f.store.VerifyLink(ctx, c.Token, code, "b1", "203.0.113.9", ani.ID); err != nil || n != "+6281311112222" {
		t.Fatalf("the refused code still links after unlinking: %q %v", n, err)
	}
	c, code = link(admin.ID, messaging.SMS, "081355556666")
	if _, err := f.store.VerifyLink(ctx, c.Token, code, "b1", "203.0.113.9", admin.ID); key(err) != "error.otp_staff" {
		t.Fatalf("staff link a number: %v", err)
	}
}
