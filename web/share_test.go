package web_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/reach"
)

// TestShareLinksAndChannels: the consultation page offers plain share
// links tagged by channel, loads no script of a network, and arrivals
// through tagged links count by channel (an unknown tag does not).
func TestShareLinksAndChannels(t *testing.T) {
	f := newFixture(t)
	c := browser(t)
	for _, src := range []string{"wa", "wa", "tg", "bogus", ""} {
		res, err := c.Get(f.url + "/k/" + f.c.Slug + "?src=" + src)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		page := string(body)
		for _, want := range []string{`href="https://wa.me/?text=`, `href="https://www.facebook.com/sharer/sharer.php?u=`, `href="https://x.com/intent/post?text=`, `href="https://t.me/share/url?url=`, "src%3Dwa", "src%3Dtg"} {
			if !strings.Contains(page, want) {
				t.Fatalf("page lacks %s", want)
			}
		}
		for _, never := range []string{"connect.facebook.net", "platform.twitter.com", "telegram.org/js"} {
			if strings.Contains(page, never) {
				t.Fatalf("page loads %s", never)
			}
		}
	}
	got, err := reach.ByChannel(context.Background(), f.db, f.c.ID, "2000-01-01", "2100-01-01")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["wa"] != 2 || got["tg"] != 1 {
		t.Fatalf("arrivals by channel %v, want wa 2, tg 1", got)
	}

	// Staff read the counts on the consultation's admin page.
	admin := fpSignIn(t, f, "Admin Kota", forum.RoleAdmin)
	res, err := admin.c.Get(f.url + "/admin/konsultasi/" + f.c.Slug)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(body)
	i := strings.Index(page, `<table class="arrivals">`)
	if res.StatusCode != 200 || i < 0 {
		t.Fatalf("admin page %d without the arrivals table", res.StatusCode)
	}
	table := page[i : i+strings.Index(page[i:], "</table>")]
	for _, want := range []string{"<th scope=\"row\">WhatsApp</th><td>2</td>", "<th scope=\"row\">Telegram</th><td>1</td>", "<th scope=\"row\">Facebook</th><td>0</td>"} {
		if !strings.Contains(table, want) {
			t.Fatalf("arrivals table lacks %s:\n%s", want, table)
		}
	}
}
