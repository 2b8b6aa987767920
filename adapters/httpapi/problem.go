package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// Problem is an RFC 9457 problem detail, sent as application/problem+json.
// Code is a stable slug a client branches on; Errors lists the field errors
// of an invalid request by path and code.
type Problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail,omitempty"`
	Instance string         `json:"instance,omitempty"`
	Code     string         `json:"code"`
	Errors   []FieldProblem `json:"errors,omitempty"`

	header http.Header
}

// FieldProblem is one validate.FieldError of an invalid request.
type FieldProblem struct {
	Path   string `json:"path"`
	Code   string `json:"code"`
	Detail string `json:"detail,omitempty"`
}

func (p *Problem) Error() string {
	if p.Detail != "" {
		return http.StatusText(p.Status) + ": " + p.Detail
	}
	return http.StatusText(p.Status)
}

// ProblemFor maps an error to a problem: a *Problem as is; validation
// errors to 400 with their field paths and codes; a *ports.Error by Kind
// (Invalid 400, NotFound 404, Conflict 409, Permission 403, Transient and
// Unavailable 503); anything else to 500 without detail, since its text may
// carry internals.
func ProblemFor(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	var fes []FieldProblem
	var ves validate.Errors
	var fe *validate.FieldError
	switch {
	case errors.As(err, &ves):
		for _, e := range ves {
			fes = append(fes, FieldProblem{Path: e.Path, Code: e.Code, Detail: e.Msg})
		}
	case errors.As(err, &fe):
		fes = []FieldProblem{{Path: fe.Path, Code: fe.Code, Detail: fe.Msg}}
	}
	if fes != nil {
		return &Problem{Status: http.StatusBadRequest, Code: "invalid", Detail: "the request has invalid fields", Errors: fes}
	}
	switch ports.KindOf(err) {
	case ports.Invalid:
		return &Problem{Status: http.StatusBadRequest, Code: "invalid", Detail: err.Error()}
	case ports.NotFound:
		return notFound()
	case ports.Conflict:
		return &Problem{Status: http.StatusConflict, Code: "conflict", Detail: "the request conflicts with the current state; retry or use another key"}
	case ports.Permission:
		return &Problem{Status: http.StatusForbidden, Code: "forbidden"}
	case ports.Transient, ports.Unavailable:
		return &Problem{Status: http.StatusServiceUnavailable, Code: "unavailable", Detail: "try again later",
			header: http.Header{"Retry-After": {"5"}}}
	}
	return &Problem{Status: http.StatusInternalServerError, Code: "internal"}
}

func writeProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	out := *p
	if out.Type == "" {
		out.Type = "about:blank"
	}
	if out.Title == "" {
		out.Title = http.StatusText(out.Status)
	}
	if out.Instance == "" {
		out.Instance = r.URL.Path
	}
	for k, vs := range p.header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(out.Status)
	_ = json.NewEncoder(w).Encode(out)
}

// WriteJSON sends v as a JSON response with the given status. It fails
// only when v cannot be encoded, before anything is written.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n')) // a failed write means the client went away
	return nil
}
