package x835_test

import (
	"reflect"
	"testing"

	"github.com/revhub/revhub/adapters/x12/x835"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/golden"
)

// TestBuild_golden builds every fixture, compares it with its golden file,
// parses it back deep-equal and rebuilds it byte for byte.
func TestBuild_golden(t *testing.T) {
	c := newCodec(t)
	for _, tc := range fixtures {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.advice()
			got, err := c.Build(a, testEnv)
			if err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, tc.name+".golden.835", got)
			rem, err := x835.Parse(got)
			if err != nil {
				t.Fatal(err)
			}
			want := &ports.Remittance{Sender: ports.Partner{Qualifier: "ZZ", ID: "ACMEPAYER"},
				Receiver: ports.Partner{Qualifier: "ZZ", ID: "NORTHCLINIC"}, Envelope: testEnv, Advices: []settlement.PaymentAdvice{a}}
			if !reflect.DeepEqual(rem, want) {
				t.Fatalf("parsed back differs:\n got %+v\nwant %+v", rem, want)
			}
			again, err := c.Build(rem.Advices[0], rem.Envelope)
			if err != nil || string(again) != string(got) {
				t.Fatalf("rebuild differs (err %v)", err)
			}
		})
	}
}
