package errs_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/errs"
)

func TestKindOf(t *testing.T) {
	cause := errors.New("disk full")
	for _, tc := range []struct {
		name string
		err  error
		want errs.Kind
	}{
		{"plain error is internal", cause, errs.Internal},
		{"nil is internal", nil, errs.Internal},
		{"direct", errs.E(errs.Invalid, "error.bad_form", nil), errs.Invalid},
		{"wrapped with %w", fmt.Errorf("proposal 7: %w", errs.ErrNotFound), errs.NotFound},
		{"wrap keeps the kind", errs.Wrap(errs.Unavailable, "error.unavailable", cause), errs.Unavailable},
		{"internalf", errs.Internalf("poll %d: %w", 3, cause), errs.Internal},
		{"rate limited", errs.E(errs.RateLimited, "error.rate_limited", map[string]any{"RetryAfter": 30}), errs.RateLimited},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := errs.KindOf(tc.err); got != tc.want {
				t.Errorf("KindOf = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestIsAndUnwrap(t *testing.T) {
	cause := errors.New("no rows")
	err := fmt.Errorf("consultation 4: %w", errs.Wrap(errs.NotFound, "error.not_found", cause))
	if !errors.Is(err, errs.ErrNotFound) {
		t.Error("a wrapped not-found with the shared key is not ErrNotFound")
	}
	if !errors.Is(err, cause) {
		t.Error("the cause is lost")
	}
	if errors.Is(errs.E(errs.NotFound, "live.error.not_found", nil), errs.ErrNotFound) {
		t.Error("a different key matches ErrNotFound")
	}
	if got := errs.Internalf("poll %d: %w", 3, cause).Error(); got != "error.internal: poll 3: no rows" {
		t.Errorf("Error() = %q", got)
	}
	if errs.As(cause) != nil {
		t.Error("As found an *Error in a plain error")
	}
	if s := errs.RateLimited.String(); s != "rate_limited" {
		t.Errorf("String() = %q", s)
	}
}

func TestLimited(t *testing.T) {
	err := fmt.Errorf("question: %w", errs.Limited("live.error.rate_limited", 1500*time.Millisecond, map[string]any{"Count": 3}))
	if errs.KindOf(err) != errs.RateLimited {
		t.Errorf("kind %v", errs.KindOf(err))
	}
	if got := errs.RetryAfter(err); got != 2 {
		t.Errorf("RetryAfter = %d, want 2 (rounded up)", got)
	}
	if got := errs.As(err).Data["Count"]; got != 3 {
		t.Errorf("data lost: Count = %v", got)
	}
	if got := errs.RetryAfter(errs.Limited("k", 0, nil)); got != 0 {
		t.Errorf("unknown wait gives %d", got)
	}
}
