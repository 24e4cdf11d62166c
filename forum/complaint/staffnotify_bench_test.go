package complaint

import (
	"context"
	"fmt"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
)

// BenchmarkIntakeNotifiesDesk50 files web complaints with a complaint desk
// of 50 (admins and moderators), each of whom gets an in-app notification
// checked against the access rule in the intake's transaction.
func BenchmarkIntakeNotifiesDesk50(b *testing.B) {
	ctx := context.Background()
	f := newFixture(b)
	for i := 0; i < 49; i++ { // the fixture's admin is the 50th
		role := forum.RoleModerator
		if i%5 == 0 {
			role = forum.RoleAdmin
		}
		u := &forum.User{Email: fmt.Sprintf("meja%d@example.id", i), DisplayName: fmt.Sprintf("Meja %d", i), Role: role}
		if err := forumtest.CreateUser(ctx, f.s.db, u, f.clk.Now()); err != nil {
			b.Fatal(err)
		}
	}
	in := Intake{Channel: ChannelWeb, Body: "Lampu penerangan jalan di Jalan Darmo mati sejak tiga malam."}
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.s.Submit(ctx, Actor{}, in); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var n int
	if err := f.s.db.NewSelect().Table("complaint_notifications").ColumnExpr("count(*)").Where("kind = ?", NotifyNew).Scan(ctx, &n); err != nil || n%50 != 0 || n == 0 {
		b.Fatalf("%d desk notifications (%v), want 50 per complaint", n, err)
	}
}
