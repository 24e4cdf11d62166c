package cursor

import (
	"errors"
	"testing"
)

// TestRoundTrip: a key comes back unchanged; anything else is ErrMalformed.
func TestRoundTrip(t *testing.T) {
	c := Encode(-1733000000123456, 42)
	k, err := Decode(c, 2)
	if err != nil || k[0] != -1733000000123456 || k[1] != 42 {
		t.Fatalf("Decode(%q) = %v, %v", c, k, err)
	}
	for _, bad := range []string{"", "!!", Encode(1), Encode(1, 2, 3), "YTpi" /* "a:b" */} {
		if _, err := Decode(bad, 2); !errors.Is(err, ErrMalformed) {
			t.Errorf("Decode(%q): %v, want ErrMalformed", bad, err)
		}
	}
}
