package storage

import (
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unreachable reports whether err means the database server could not be
// reached or dropped the connection, rather than a query being wrong: a
// refused or failed connect (*pgconn.ConnectError, a network error), a
// connection closed under a query (io.ErrUnexpectedEOF, ECONNRESET,
// driver.ErrBadConn), or a server that is shutting down or starting
// (SQLSTATE class 08 connection exception, 57P01 admin_shutdown, 57P02
// crash_shutdown, 57P03 cannot_connect_now; PostgreSQL documentation,
// appendix A). Such a request may succeed once the server is back, so the
// web layer answers it with 503 instead of 500. nil is not unreachable.
func Unreachable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.As(err, &ce), errors.As(err, &oe), errors.As(err, &ne):
		return true
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE):
		return true
	}
	// pgx reports a connection it already found dead by message only.
	return strings.Contains(err.Error(), "conn closed")
}
