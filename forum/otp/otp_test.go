package otp

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/uptrace/bun"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type fixture struct {
	db    *bun.DB
	clock *clock
	store *Store
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(t)
	for _, m := range []func(context.Context, *bun.DB) error{forum.Migrate, messaging.Migrate, Migrate} {
		if err := m(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	c := &clock{t: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
	return &fixture{db: db, clock: c, store: NewStore(db, []byte("kunci rahasia uji"), c.now)}
}

func compose(addr, code, link string) messaging.Message {
	return messaging.Message{Subject: "Kode masuk", Body: fmt.Sprintf("Kode: %s\nTautan: /masuk/email/%s", code, link)}
}

// start asks for a code and reads it from the outbox, as the person
// would from their phone.
func (f *fixture) start(t *testing.T, ch messaging.Channel, addr, client string) (*Challenge, string, string) {
	t.Helper()
	c, err := f.store.Start(context.Background(), Request{Channel: ch, Address: addr, Client: client, Browser: "b1", ReturnTo: "/p/7"}, compose)
	if err != nil {
		t.Fatalf("start %s %s: %v", ch, addr, err)
	}
	rows, err := messaging.Recent(context.Background(), f.db, 1)
	if err != nil || len(rows) != 1 {
		t.Fatalf("outbox: %v %v", rows, err)
	}
	m := regexp.MustCompile(`Kode: (\d{6})\nTautan: /masuk/email/(\S*)`).FindStringSubmatch(rows[0].Body)
	if m == nil || rows[0].Code != m[1] || rows[0].To != c.Address || rows[0].Channel != ch {
		t.Fatalf("message %+v", rows[0])
	}
	return c, m[1], m[2]
}

func key(err error) string {
	if e := errs.As(err); e != nil {
		return e.Key
	}
	return fmt.Sprint(err)
}

var citizen = Person{Lang: "id", Name: "Warga"}

func TestCodeSignsInOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c, code, link := f.start(t, messaging.Email, " Ana@Contoh.TEST ", "203.0.113.1")
	if c.Address != "ana@contoh.test" || link != "" && len(link) != 43 {
		t.Fatalf("challenge %+v link %q", c, link)
	}
	var stored []code_
	f.db.NewSelect().Table("signin_codes").Column("code_hash", "challenge_hash", "link_hash").Scan(ctx, &stored) //nolint:errcheck // checked below
	for _, r := range stored {
		if r.CodeHash == code || r.ChallengeHash == c.Token || r.LinkHash == link || len(r.CodeHash) != 64 {
			t.Fatalf("secrets stored in the clear: %+v", r)
		}
	}
	u, back, err := f.store.Verify(ctx, c.Token, code[:3]+" "+code[3:], "b1", "203.0.113.1", citizen)
	if err != nil || u.Email != "ana@contoh.test" || u.Role != forum.RoleParticipant || back != "/p/7" {
		t.Fatalf("verify: %+v %q %v", u, back, err)
	}
	if _, _, err := f.store.Verify(ctx, c.Token, code, "b1", "203.0.113.1", citizen); key(err) != "error.otp_expired" {
		t.Fatalf("reused code: %v", err)
	}
	if _, _, err := f.store.UseLink(ctx, link, citizen); key(err) != "error.otp_expired" {
		t.Fatalf("link after the code was used: %v", err)
	}
	// A second sign-in by the same address finds the same account.
	c2, code2, _ := f.start(t, messaging.Email, "ana@contoh.test", "203.0.113.1")
	u2, _, err := f.store.Verify(ctx, c2.Token, code2, "b1", "203.0.113.1", citizen)
	if err != nil || u2.ID != u.ID {
		t.Fatalf("second sign-in: %+v %v", u2, err)
	}
}

type code_ struct {
	CodeHash      string `bun:"code_hash"`
	ChallengeHash string `bun:"challenge_hash"`
	LinkHash      string `bun:"link_hash"`
}

func TestMagicLinkOnceAndExpiry(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c, code, link := f.start(t, messaging.Email, "budi@contoh.test", "203.0.113.2")
	u, back, err := f.store.UseLink(ctx, link, citizen)
	if err != nil || u.Email != "budi@contoh.test" || back != "/p/7" {
		t.Fatalf("link: %+v %v", u, err)
	}
	if _, _, err := f.store.UseLink(ctx, link, citizen); key(err) != "error.otp_expired" {
		t.Fatalf("link reused: %v", err)
	}
	if _, _, err := f.store.Verify(ctx, c.Token, code, "b1", "203.0.113.2", citizen); key(err) != "error.otp_expired" {
		t.Fatalf("code after its link: %v", err)
	}
	c, code, link = f.start(t, messaging.Email, "budi@contoh.test", "203.0.113.2")
	f.clock.add(TTL)
	if _, _, err := f.store.Verify(ctx, c.Token, code, "b1", "203.0.113.2", citizen); key(err) != "error.otp_expired" {
		t.Fatalf("code at 15 minutes: %v", err)
	}
	if _, _, err := f.store.UseLink(ctx, link, citizen); key(err) != "error.otp_expired" {
		t.Fatalf("link at 15 minutes: %v", err)
	}
}

func TestCodeExpiresJustAfterFifteenMinutes(t *testing.T) {
	f := newFixture(t)
	c, code, _ := f.start(t, messaging.SMS, "0812-3456-7890", "203.0.113.3")
	f.clock.add(TTL - time.Second)
	u, _, err := f.store.Verify(context.Background(), c.Token, code, "b1", "203.0.113.3", citizen)
	if err != nil || u.Email != "" {
		t.Fatalf("code at 14:59: %+v %v", u, err)
	}
	ids, err := forum.Identities(context.Background(), f.db, u.ID)
	if err != nil || len(ids) != 1 || ids[0].Provider != "phone" || ids[0].Subject != "+6281234567890" {
		t.Fatalf("identities %+v %v", ids, err)
	}
}

func TestAttemptsPerCode(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c, code, _ := f.start(t, messaging.WhatsApp, "+62 812 3456 7890", "203.0.113.4")
	wrong := fmt.Sprintf("%06d", (atoi(code)+1)%1_000_000)
	if _, _, err := f.store.Verify(ctx, c.Token, code, "another browser", "203.0.113.4", citizen); key(err) != "error.otp_expired" {
		t.Fatalf("other browser: %v", err)
	}
	for left := MaxAttempts - 2; left >= 1; left-- {
		_, _, err := f.store.Verify(ctx, c.Token, wrong, "b1", "203.0.113.4", citizen)
		if e := errs.As(err); e == nil || e.Key != "error.otp_wrong" || e.Data["Count"] != left {
			t.Fatalf("wrong code with %d left: %v", left, err)
		}
	}
	if _, _, err := f.store.Verify(ctx, c.Token, wrong, "b1", "203.0.113.4", citizen); key(err) != "error.otp_expired" {
		t.Fatalf("last attempt: %v", err)
	}
	if _, _, err := f.store.Verify(ctx, c.Token, code, "b1", "203.0.113.4", citizen); key(err) != "error.otp_expired" {
		t.Fatalf("right code after the attempts ran out: %v", err)
	}
}

func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n) //nolint:errcheck // six digits
	return n
}

func TestRateLimits(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	req := Request{Channel: messaging.Email, Client: "203.0.113.5", Browser: "b1"}
	for i := range PerAddress {
		req.Address = "cici@contoh.test"
		if _, err := f.store.Start(ctx, req, compose); err != nil {
			t.Fatalf("code %d: %v", i+1, err)
		}
	}
	_, err := f.store.Start(ctx, req, compose)
	if e := errs.As(err); e == nil || e.Kind != errs.RateLimited || e.Data["Count"] != 15 {
		t.Fatalf("sixth code for one address: %v", err)
	}
	req.Address = "dedi@contoh.test"
	if _, err := f.store.Start(ctx, req, compose); err != nil {
		t.Fatalf("another address: %v", err)
	}
	for i := PerAddress + 2; i < PerClient; i++ {
		req.Address = fmt.Sprintf("warga%d@contoh.test", i)
		if _, err := f.store.Start(ctx, req, compose); err != nil {
			t.Fatalf("code %d from one client: %v", i, err)
		}
	}
	req.Address = "eka@contoh.test"
	if _, err := f.store.Start(ctx, req, compose); errs.KindOf(err) != errs.RateLimited {
		t.Fatalf("one client over its limit: %v", err)
	}
	f.clock.add(Window)
	if _, err := f.store.Start(ctx, req, compose); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	// Guesses are limited per client across codes.
	for i := range VerifyPerClient {
		f.store.Verify(ctx, fmt.Sprintf("tebakan-%d", i), "000000", "b1", "198.51.100.9", citizen) //nolint:errcheck // counting
	}
	if _, _, err := f.store.Verify(ctx, "x", "000000", "b1", "198.51.100.9", citizen); errs.KindOf(err) != errs.RateLimited {
		t.Fatalf("guesses over the limit: %v", err)
	}
}

func TestTakeoverRules(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := f.clock.now()
	admin := &forum.User{Email: "admin@pemda.test", DisplayName: "Admin", Role: forum.RoleAdmin}
	old := &forum.User{Email: "fajar@contoh.test", DisplayName: "Fajar"}
	for _, u := range []*forum.User{admin, old} {
		if err := forumtest.CreateUser(ctx, f.db, u, now); err != nil {
			t.Fatal(err)
		}
	}
	c, code, _ := f.start(t, messaging.Email, "admin@pemda.test", "203.0.113.6")
	if _, _, err := f.store.Verify(ctx, c.Token, code, "b1", "203.0.113.6", citizen); key(err) != "error.otp_staff" {
		t.Fatalf("staff by code: %v", err)
	}
	c, code, _ = f.start(t, messaging.Email, "fajar@contoh.test", "203.0.113.6")
	u, _, err := f.store.Verify(ctx, c.Token, code, "b1", "203.0.113.6", citizen)
	if err != nil || u.ID != old.ID {
		t.Fatalf("citizen's own address: %+v %v", u, err)
	}
	if _, err := NormalizeAddress(messaging.Email, "Fajar <fajar@contoh.test>"); key(err) != "error.email_invalid" {
		t.Fatalf("display name accepted: %v", err)
	}
	if _, err := NormalizeAddress(messaging.SMS, "021 5550 123"); key(err) != "error.phone_not_mobile" {
		t.Fatalf("fixed line accepted: %v", err)
	}
	if _, err := NormalizeAddress("fax", "1"); key(err) != "error.otp_channel" {
		t.Fatalf("unknown channel: %v", err)
	}
}
