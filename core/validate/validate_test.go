package validate_test

import (
	"errors"
	"testing"

	"github.com/revhub/revhub/core/validate"
)

func TestErrors_accumulateAndPrefix(t *testing.T) {
	var es validate.Errors
	if es.Err() != nil {
		t.Fatal("empty Errors must be a nil error")
	}
	es.Required("unit_price")
	var inner validate.Errors
	inner.Add("[2].amount", "negative", "must not be negative")
	es.Merge("lines", inner.Err())
	err := es.Prefix("invoice").Err()
	var fe *validate.FieldError
	if !errors.As(err, &fe) || fe.Path != "invoice.unit_price" || fe.Code != "required" {
		t.Fatalf("first error: %v", fe)
	}
	if !errors.Is(err, validate.ErrRequired) {
		t.Fatal("ErrRequired not reachable")
	}
	want := "invoice.unit_price: required: is required\ninvoice.lines[2].amount: negative: must not be negative"
	if err.Error() != want {
		t.Fatalf("got %q", err.Error())
	}
}
