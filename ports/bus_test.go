package ports

import (
	"errors"
	"testing"
	"time"
)

func TestSubject(t *testing.T) {
	for _, tc := range []struct {
		name, tenant, org, topic, want string
	}{
		{"simple", "acme", "org-berlin", "charge.created", "acme.org-berlin.charge.created"},
		{"underscores", "t_1", "O_2", "x", "t_1.O_2.x"},
		{"dotInTenant", "ac.me", "org", "x", ""},
		{"starInOrg", "acme", "*", "x", ""},
		{"gtInTopic", "acme", "org", "charge.>", ""},
		{"spaceInOrg", "acme", "org 1", "x", ""},
		{"emptyTopicToken", "acme", "org", "charge..created", ""},
		{"emptyTenant", "", "org", "x", ""},
		{"unicode", "acmé", "org", "x", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Subject(tc.tenant, tc.org, tc.topic)
			if tc.want == "" {
				if !errors.Is(err, ErrBadSubject) {
					t.Fatalf("want ErrBadSubject, got %q, %v", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
			te, o, p, err := ParseSubject(got)
			if err != nil || te != tc.tenant || o != tc.org || p != tc.topic {
				t.Fatalf("ParseSubject(%q) = %q %q %q %v", got, te, o, p, err)
			}
		})
	}
}

func TestConsumerSpec_filter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		spec   ConsumerSpec
		filter string
		ok     bool
	}{
		{"all", ConsumerSpec{Name: "c"}, "*.*.>", true},
		{"tenant", ConsumerSpec{Name: "c", Tenant: "a"}, "a.*.>", true},
		{"topicWildcards", ConsumerSpec{Name: "c", Topic: "charge.*.>"}, "*.*.charge.*.>", true},
		{"gtNotLast", ConsumerSpec{Name: "c", Topic: ">.x"}, "", false},
		{"dottedName", ConsumerSpec{Name: "a.b"}, "", false},
		{"noName", ConsumerSpec{}, "", false},
		{"wildTenant", ConsumerSpec{Name: "c", Tenant: "*"}, "", false},
		{"negativeBackoff", ConsumerSpec{Name: "c", Backoff: []time.Duration{-1}}, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.spec.Check()
			if tc.ok != (err == nil) {
				t.Fatalf("Check() = %v, want ok=%v", err, tc.ok)
			}
			if tc.ok && tc.spec.Filter() != tc.filter {
				t.Fatalf("Filter() = %q, want %q", tc.spec.Filter(), tc.filter)
			}
		})
	}
}

func TestConsumerSpec_backoffAfter(t *testing.T) {
	s := ConsumerSpec{Backoff: []time.Duration{1, 2, 3}}
	for n, want := range map[int]time.Duration{0: 1, 1: 1, 2: 2, 3: 3, 9: 3} {
		if got := s.BackoffAfter(n); got != want {
			t.Errorf("BackoffAfter(%d) = %v, want %v", n, got, want)
		}
	}
	d := ConsumerSpec{}.WithDefaults()
	if d.MaxDeliver != DefaultMaxDeliver || d.AckWait != DefaultAckWait || d.BackoffAfter(3) != DefaultBackoff {
		t.Fatalf("WithDefaults() = %+v", d)
	}
}

func TestParseSubject_rejects(t *testing.T) {
	for _, s := range []string{"", "acme", "acme.org", "acme..x", ".org.x", "acme.org.", "acme.org.a..b", "acme.org.>", "ac me.org.x"} {
		if _, _, _, err := ParseSubject(s); !errors.Is(err, ErrBadSubject) {
			t.Errorf("ParseSubject(%q) = %v, want ErrBadSubject", s, err)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _, _, _, _ = ParseSubject("acme.berlin.charge.created") }); n != 0 {
		t.Errorf("ParseSubject allocates %v times, want 0", n)
	}
}
