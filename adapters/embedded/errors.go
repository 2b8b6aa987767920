package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/revhub/revhub/ports"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// wrap turns a database error into a *ports.Error of the right Kind.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return ports.E(op, kindOf(err), err)
}

func kindOf(err error) ports.Kind {
	var se *sqlite.Error
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ports.NotFound
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return ports.Transient
	case errors.As(err, &se):
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CONSTRAINT:
			if c := se.Code(); c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY {
				return ports.Conflict
			}
			return ports.Invalid
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return ports.Transient
		case sqlite3.SQLITE_READONLY:
			return ports.Permission
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
			return ports.Unavailable
		}
	}
	return ports.Other
}

func notFound(op, what string) error {
	return ports.E(op, ports.NotFound, fmt.Errorf("%s not found", what))
}

func conflict(op, format string, args ...any) error {
	return ports.E(op, ports.Conflict, fmt.Errorf(format, args...))
}

func invalid(op string, err error) error { return ports.E(op, ports.Invalid, err) }
