package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/revhub/revhub/ports"
)

// wrap turns a database error into a *ports.Error of the right Kind.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var pe *ports.Error
	if errors.As(err, &pe) {
		return err
	}
	return ports.E(op, kindOf(err), err)
}

func kindOf(err error) ports.Kind {
	var pg *pgconn.PgError
	var ne net.Error
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return ports.NotFound
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return ports.Transient
	case errors.As(err, &pg):
		switch {
		case pg.Code == "23505":
			return ports.Conflict
		case strings.HasPrefix(pg.Code, "23"), strings.HasPrefix(pg.Code, "22"):
			return ports.Invalid
		case retryable(pg.Code), pg.Code == "57014", pg.Code == "55P03":
			return ports.Transient
		case pg.Code == "25006", strings.HasPrefix(pg.Code, "42501"):
			return ports.Permission
		case strings.HasPrefix(pg.Code, "08"), strings.HasPrefix(pg.Code, "53"), strings.HasPrefix(pg.Code, "57P"):
			return ports.Unavailable
		}
	case errors.As(err, &ne), pgconn.SafeToRetry(err):
		return ports.Unavailable
	}
	return ports.Other
}

// retryable reports serialization failures and deadlocks, after which the
// whole transaction may simply run again.
func retryable(code string) bool { return code == "40001" || code == "40P01" }

func isRetryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && retryable(pg.Code)
}

func notFound(op, what string) error {
	return ports.E(op, ports.NotFound, fmt.Errorf("%s not found", what))
}

func conflict(op, format string, args ...any) error {
	return ports.E(op, ports.Conflict, fmt.Errorf(format, args...))
}

func invalid(op string, err error) error { return ports.E(op, ports.Invalid, err) }
