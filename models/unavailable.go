package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// SQLite's primary result codes that mean the database cannot do the work
// now, whatever the request: https://sqlite.org/rescode.html.
const (
	sqliteBusy     = 5
	sqliteLocked   = 6
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteFull     = 13
	sqliteCantOpen = 14
)

// Unavailable says whether err means the database could not do the work
// at all: it did not answer within the request's deadline, could not be
// reached, lost the connection, or cannot write (a read-only file, a full
// disk, a standby). Such an error is no fault of the request, and nothing
// stored before it is affected.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, sql.ErrConnDone) || errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	if errors.As(err, &connectErr) || errors.As(err, &netErr) || pgconn.Timeout(err) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case strings.HasPrefix(pgErr.Code, "08"), // connection exception
			strings.HasPrefix(pgErr.Code, "57"), // operator intervention: shutdown, statement timeout
			pgErr.Code == "53100",               // disk full
			pgErr.Code == "53300",               // too many connections
			pgErr.Code == "25006":               // read-only transaction: a standby
			return true
		}
		return false
	}
	var liteErr interface{ Code() int }
	if errors.As(err, &liteErr) {
		switch liteErr.Code() & 0xff {
		case sqliteBusy, sqliteLocked, sqliteReadOnly, sqliteIOErr, sqliteFull, sqliteCantOpen:
			return true
		}
	}
	return false
}
