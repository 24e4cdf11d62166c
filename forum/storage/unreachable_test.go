package storage_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/rembug/rembug/forum/storage"
)

// TestUnreachable: connection failures and server shutdowns count as
// unreachable (503), query errors do not (they stay 4xx/500).
func TestUnreachable(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"no rows", sql.ErrNoRows, false},
		{"cancelled by the client", context.Canceled, false},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"admin shutdown (pg_terminate_backend)", fmt.Errorf("query: %w", &pgconn.PgError{Code: "57P01"}), true},
		{"starting up", &pgconn.PgError{Code: "57P03"}, true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, true},
		{"closed under a query", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{"bad connection", driver.ErrBadConn, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := storage.Unreachable(tc.err); got != tc.want {
				t.Fatalf("Unreachable(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}
