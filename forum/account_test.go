package forum_test

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/uptrace/bun"
)

var accountNow = time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)

// cheapArgon2 keeps tests fast; production uses RecommendedArgon2.
var cheapArgon2 = forum.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1, SaltLen: 16, KeyLen: 32}

func accountDB(t *testing.T) *bun.DB {
	t.Helper()
	db := storagetest.NewDB(t)
	if err := forum.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

func mustUser(t *testing.T, db bun.IDB, email, role string) *forum.User {
	t.Helper()
	u := &forum.User{Email: email, DisplayName: "U " + email, Role: role}
	if err := forumtest.CreateUser(context.Background(), db, u, accountNow); err != nil {
		t.Fatal(err)
	}
	return u
}

func wantKey(t *testing.T, err error, key string) {
	t.Helper()
	fe, ok := err.(*errs.Error)
	if !ok || fe.Key != key {
		t.Fatalf("error %v, want %s", err, key)
	}
}

func TestIdentityLinkAndUnlink(t *testing.T) {
	ctx := context.Background()
	db := accountDB(t)
	ana := mustUser(t, db, "ana@contoh.test", forum.RoleParticipant)
	budi := mustUser(t, db, "budi@contoh.test", forum.RoleParticipant)
	if err := forum.LinkIdentityAt(ctx, db, ana.ID, "sso", "sub-ana", "ana@contoh.test", accountNow); err != nil {
		t.Fatal(err)
	}
	if err := forum.LinkIdentityAt(ctx, db, ana.ID, "sso", "sub-ana", "", accountNow); err != nil {
		t.Fatalf("relinking the same identity: %v", err)
	}
	wantKey(t, forum.LinkIdentityAt(ctx, db, budi.ID, "sso", "sub-ana", "", accountNow), "error.identity_taken")
	wantKey(t, forum.LinkIdentityAt(ctx, db, ana.ID, "sso", "sub-other", "", accountNow), "error.identity_provider_linked")
	u, err := forum.IdentityUserAt(ctx, db, "sso", "sub-ana", accountNow)
	if err != nil || u.ID != ana.ID {
		t.Fatalf("identity user: %v %v", u, err)
	}
	if _, err := forum.IdentityUserAt(ctx, db, "other", "sub-ana", accountNow); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("same subject at another provider found a user: %v", err)
	}
	wantKey(t, forum.UnlinkIdentityNow(ctx, db, ana.ID, "sso"), "error.identity_last")
	if err := forum.LinkIdentityAt(ctx, db, ana.ID, "google", "g-1", "", accountNow); err != nil {
		t.Fatal(err)
	}
	if err := forum.UnlinkIdentityNow(ctx, db, ana.ID, "sso"); err != nil {
		t.Fatalf("unlink with another identity left: %v", err)
	}
	if err := forum.UnlinkIdentityNow(ctx, db, ana.ID, "sso"); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("unlink twice: %v", err)
	}
	ids, _ := forum.Identities(ctx, db, ana.ID)
	if len(ids) != 1 || ids[0].Provider != "google" {
		t.Fatalf("identities left: %+v", ids)
	}
}

func TestPasswords(t *testing.T) {
	ctx := context.Background()
	db := accountDB(t)
	admin := mustUser(t, db, "admin@pemda.test", forum.RoleAdmin)
	warga := mustUser(t, db, "warga@contoh.test", forum.RoleParticipant)
	const pw = "kata-sandi-panjang-sekali"
	wantKey(t, forum.SetPasswordAt(ctx, db, admin.ID, "pendek", cheapArgon2, accountNow), "error.password_short")
	wantKey(t, forum.SetPasswordAt(ctx, db, warga.ID, pw, cheapArgon2, accountNow), "error.password_staff_only")
	if err := forum.SetPasswordAt(ctx, db, admin.ID, pw, cheapArgon2, accountNow); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, email, pw string
		ok              bool
	}{
		{"right", "admin@pemda.test", pw, true},
		{"email case and spaces", "  ADMIN@pemda.test ", pw, true},
		{"wrong password", "admin@pemda.test", pw + "x", false},
		{"unknown email", "nobody@pemda.test", pw, false},
		{"no password", "warga@contoh.test", pw, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, err := forum.CheckPassword(ctx, db, c.email, c.pw)
			if c.ok != (err == nil) || (c.ok && u.ID != admin.ID) {
				t.Fatalf("got %v, %v", u, err)
			}
			if !c.ok && err != forum.ErrBadPassword {
				t.Fatalf("error %v, want ErrBadPassword", err)
			}
		})
	}
	// A demoted staff member can no longer use the password.
	if _, err := db.NewUpdate().Model(admin).Set("role = ?", forum.RoleParticipant).WherePK().Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := forum.CheckPassword(ctx, db, "admin@pemda.test", pw); err != forum.ErrBadPassword {
		t.Fatalf("demoted user signed in: %v", err)
	}
}

func TestPasswordHashFormat(t *testing.T) {
	h1, _ := forum.HashPassword("rahasia", cheapArgon2)
	h2, _ := forum.HashPassword("rahasia", cheapArgon2)
	if h1 == h2 {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	cases := []struct {
		name, hash, pw string
		want           bool
	}{
		{"match", h1, "rahasia", true},
		{"mismatch", h1, "Rahasia", false},
		{"tampered hash", h1[:len(h1)-2] + "AA", "rahasia", false},
		{"not argon2id", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "rahasia", false},
		{"absurd cost", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$aGFzaA", "rahasia", false},
		{"empty", "", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := forum.VerifyPassword(c.hash, c.pw); got != c.want {
				t.Fatalf("VerifyPassword = %v", got)
			}
		})
	}
}

func TestSignInLinkSingleUse(t *testing.T) {
	ctx := context.Background()
	db := accountDB(t)
	mod := mustUser(t, db, "mod@pemda.test", forum.RoleModerator)
	tok, err := forum.CreateSignInLinkAt(ctx, db, mod.ID, time.Hour, accountNow)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := forum.CreateSignInLinkAt(ctx, db, mod.ID, time.Minute, accountNow)
	if u, err := forum.UseSignInLinkAt(ctx, db, tok, accountNow.Add(time.Minute)); err != nil || u.ID != mod.ID {
		t.Fatalf("first use: %v %v", u, err)
	}
	cases := []struct {
		name, tok string
		at        time.Time
	}{
		{"second use", tok, accountNow.Add(time.Minute)},
		{"expired", old, accountNow.Add(2 * time.Minute)},
		{"forged", forum.NewToken(), accountNow},
		{"empty", "", accountNow},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := forum.UseSignInLinkAt(ctx, db, c.tok, c.at)
			wantKey(t, err, "error.signin_link_invalid")
		})
	}
}

func TestLoginStateSingleUse(t *testing.T) {
	ctx := context.Background()
	db := accountDB(t)
	state := forum.NewToken()
	st := &forum.LoginState{BrowserHash: "b", Provider: "sso", Verifier: "v", Nonce: "n", ReturnTo: "/k/x"}
	if err := forum.SaveLoginStateAt(ctx, db, state, st, accountNow); err != nil {
		t.Fatal(err)
	}
	got, err := forum.TakeLoginStateAt(ctx, db, state, accountNow.Add(time.Minute))
	if err != nil || got.Provider != "sso" || got.Verifier != "v" || got.ReturnTo != "/k/x" {
		t.Fatalf("take: %+v %v", got, err)
	}
	_, err = forum.TakeLoginStateAt(ctx, db, state, accountNow.Add(time.Minute))
	wantKey(t, err, "error.login_state")
	late := forum.NewToken()
	forum.SaveLoginStateAt(ctx, db, late, &forum.LoginState{Provider: "sso"}, accountNow)
	_, err = forum.TakeLoginStateAt(ctx, db, late, accountNow.Add(forum.LoginStateTTL))
	wantKey(t, err, "error.login_state")
}

func TestCountAttempt(t *testing.T) {
	ctx := context.Background()
	clk := accountNow
	st := forum.NewStore(accountDB(t), func() time.Time { return clk })
	const limit = 3
	for i := 1; i <= limit+1; i++ {
		clk = accountNow.Add(time.Duration(i) * time.Second)
		ok, wait, err := st.CountAttempt(ctx, "pw-email:a", limit, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if ok != (i <= limit) || (!ok && wait <= 0) {
			t.Fatalf("attempt %d: ok=%v wait=%v", i, ok, wait)
		}
	}
	clk = accountNow
	if ok, _, _ := st.CountAttempt(ctx, "pw-email:b", limit, time.Minute); !ok {
		t.Fatal("buckets are not separate")
	}
	clk = accountNow.Add(2 * time.Minute)
	if ok, _, _ := st.CountAttempt(ctx, "pw-email:a", limit, time.Minute); !ok {
		t.Fatal("a new window did not start")
	}
}

// TestCountAttemptParallel checks that concurrent attempts are counted
// exactly: of 12 at once with a limit of 4, exactly 4 pass.
func TestCountAttemptParallel(t *testing.T) {
	ctx := context.Background()
	st := forum.NewStore(accountDB(t), func() time.Time { return accountNow })
	res := make(chan bool, 12)
	for i := 0; i < 12; i++ {
		go func() {
			ok, _, err := st.CountAttempt(ctx, "pw-ip:1", 4, time.Minute)
			if err != nil {
				t.Error(err)
			}
			res <- ok
		}()
	}
	passed := 0
	for i := 0; i < 12; i++ {
		if <-res {
			passed++
		}
	}
	if passed != 4 {
		t.Fatalf("%d attempts passed, want 4", passed)
	}
}

func TestConsentsAndAnswers(t *testing.T) {
	ctx := context.Background()
	db := accountDB(t)
	u := mustUser(t, db, "sari@contoh.test", forum.RoleParticipant)
	st := forum.NewStore(db, func() time.Time { return accountNow })
	wantKey(t, st.SetProfileAnswers(ctx, u.ID, map[string]string{"kecamatan": "Klojen"}), "error.consent_needed")
	if err := st.GrantConsent(ctx, u.ID, forum.ConsentRegion); err != nil {
		t.Fatal(err)
	}
	st.GrantConsent(ctx, u.ID, forum.ConsentRegion) // idempotent
	if err := st.SetProfileAnswers(ctx, u.ID, map[string]string{"kecamatan": " Klojen ", "kelurahan": "Oro-oro Dowo"}); err != nil {
		t.Fatal(err)
	}
	wantKey(t, st.SetProfileAnswers(ctx, u.ID, map[string]string{"gender": "female"}), "error.consent_needed")
	st.GrantConsent(ctx, u.ID, forum.ConsentDemographics)
	wantKey(t, st.SetProfileAnswers(ctx, u.ID, map[string]string{"gender": "unknown"}), "error.answer_invalid")
	wantKey(t, st.SetProfileAnswers(ctx, u.ID, map[string]string{"shoe_size": "42"}), "error.answer_invalid")
	if err := st.SetProfileAnswers(ctx, u.ID, map[string]string{"gender": "female"}); err != nil {
		t.Fatal(err)
	}
	if err := forum.NewStore(db, func() time.Time { return accountNow.Add(time.Hour) }).WithdrawConsent(ctx, u.ID, forum.ConsentRegion); err != nil {
		t.Fatal(err)
	}
	a, _ := forum.ProfileAnswers(ctx, db, u.ID)
	if len(a) != 1 || a["gender"] != "female" {
		t.Fatalf("answers after withdrawing region consent: %v", a)
	}
	cs, _ := forum.Consents(ctx, db, u.ID)
	if len(cs) != 2 || cs[0].Purpose != forum.ConsentRegion || !cs[0].WithdrawnAt.Equal(accountNow.Add(time.Hour)) || !cs[1].WithdrawnAt.IsZero() {
		t.Fatalf("consent history: %+v", cs)
	}
}
