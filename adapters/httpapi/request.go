package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// PageOf reads ?cursor= (opaque: the next_cursor of the previous page) and
// ?limit= (1 to ports.MaxPageLimit).
func PageOf(r *http.Request) (ports.Page, error) {
	q := r.URL.Query()
	p := ports.Page{Cursor: q.Get("cursor")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return p, validate.Errorf("limit", "invalid", "want a whole number from 1 to %d", ports.MaxPageLimit)
		}
		p.Limit = n
	}
	return p, nil
}

// DecodeJSON reads a JSON request body of at most max bytes into v,
// refusing unknown fields and trailing data. Errors are field errors: the
// JSON field that has the wrong type, or "body" (an empty body wraps
// validate.ErrRequired).
func DecodeJSON(r *http.Request, max int64, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, max))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data after the JSON value")
	}
	var te *json.UnmarshalTypeError
	var mb *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te) && te.Field != "":
		return validate.Errorf(te.Field, "invalid", "want a JSON %s", te.Type)
	case errors.As(err, &mb):
		return validate.Errorf("body", "too_large", "at most %d bytes", max)
	case errors.Is(err, io.EOF):
		return &validate.FieldError{Path: "body", Code: "required", Msg: "want a JSON object", Err: validate.ErrRequired}
	}
	return &validate.FieldError{Path: "body", Code: "invalid_json", Msg: fmt.Sprint(err)}
}
