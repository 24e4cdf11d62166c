package web_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/web"
)

func TestMessagesDescribe(t *testing.T) {
	m, err := web.LoadMessages()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, lang string
		err        error
		want       string
	}{
		{"wrapped key, English", "en", fmt.Errorf("poll 9: %w", errs.ErrNotFound), "poll 9: The page or data you are looking for was not found."},
		{"wrapped key, Indonesian", "id", fmt.Errorf("poll 9: %w", errs.ErrNotFound), "poll 9: Halaman atau data yang Anda cari tidak ditemukan."},
		{"plain error", "en", errors.New("disk full"), "disk full"},
		{"unknown key", "en", errs.E(errs.Invalid, "no.such.key", nil), "no.such.key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := m.Describe(tc.lang, tc.err); got != tc.want {
				t.Fatalf("Describe = %q, want %q", got, tc.want)
			}
		})
	}
}
