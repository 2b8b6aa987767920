package x835_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// TestConformance drives the registered "x12_835" adapter through the
// remittance port: format → parse round trips, unbalanced advices are
// Invalid and write nothing, unbalanced files are Invalid with a position.
func TestConformance(t *testing.T) {
	codec, err := ports.Remittances.Build("x12_835", func(any) error { return nil }, ports.Deps{})
	if err == nil || codec != nil {
		t.Fatalf("building without sender/receiver ids must fail, got %v", err)
	}
	c := newCodec(t)
	ctx := context.Background()
	for _, tc := range fixtures {
		t.Run("RoundTrip/"+tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.Format(ctx, tc.advice(), testEnv, &buf); err != nil {
				t.Fatal(err)
			}
			rem, err := c.Parse(ctx, &buf)
			if err != nil {
				t.Fatal(err)
			}
			if len(rem.Advices) != 1 || !reflect.DeepEqual(rem.Advices[0], tc.advice()) || rem.Envelope != testEnv {
				t.Fatalf("round trip differs: %+v", rem)
			}
		})
	}
	t.Run("UnbalancedAdviceIsInvalid", func(t *testing.T) {
		a := multiClaimAdvice()
		a.Total = usd(17001)
		var buf bytes.Buffer
		err := c.Format(ctx, a, testEnv, &buf)
		var fe *validate.FieldError
		if !ports.Is(ports.Invalid, err) || !errors.As(err, &fe) || fe.Path != "total" || fe.Code != "unbalanced" || buf.Len() != 0 {
			t.Fatalf("got %v, wrote %d bytes", err, buf.Len())
		}
	})
	t.Run("UnbalancedFileIsInvalid", func(t *testing.T) {
		var buf bytes.Buffer
		if err := c.Format(ctx, simpleAdvice(), testEnv, &buf); err != nil {
			t.Fatal(err)
		}
		bad := bytes.Replace(buf.Bytes(), []byte("BPR*I*170*"), []byte("BPR*I*171*"), 1)
		_, err := c.Parse(ctx, bytes.NewReader(bad))
		var pe *ports.ParseError
		if !ports.Is(ports.Invalid, err) || !errors.As(err, &pe) || pe.Line != 4 || pe.Element != "BPR02" {
			t.Fatalf("got %v", err)
		}
	})
}
