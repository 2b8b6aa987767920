package logx_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/revhub/revhub/adapters/kit/logx"
)

type account string

func (a account) LogValue() slog.Value { return slog.StringValue(string(a)) }

func TestMask(t *testing.T) {
	for _, tc := range []struct {
		name string
		log  func(*slog.Logger)
		want map[string]any // top-level keys of the JSON line
		none []string       // substrings that must not appear anywhere
	}{
		{"secret keys", func(l *slog.Logger) {
			l.Info("login", "password", "hunter2hunter2", "Authorization", "Bearer rh_abc", "api_key", "k-123", "client-secret", "s3", "X-Api-Key", "zz")
		}, map[string]any{"password": "[redacted]", "Authorization": "[redacted]", "api_key": "[redacted]", "client-secret": "[redacted]", "X-Api-Key": "[redacted]"},
			[]string{"hunter2", "rh_abc", "k-123"}},
		{"account keys keep last four", func(l *slog.Logger) {
			l.Info("payout", "account_number", "000123456789", "iban", "DE89 3704 0044 0532 0130 00", "payee_tin", 123456789, "routing", "121042882", "ssn", "123-45-6789", "tin", "12")
		}, map[string]any{"account_number": "****6789", "iban": "****3000", "payee_tin": "****6789", "routing": "****2882", "ssn": "****6789", "tin": "****"},
			[]string{"000123456789", "121042882", "123-45"}},
		{"digit runs in other values", func(l *slog.Logger) {
			l.Info("bank rejected 000123456789", "detail", "acct 123456789012 closed; ref 12345678", "err", errors.New("dfi 121042882 unknown"))
		}, map[string]any{"msg": "bank rejected ****6789", "detail": "acct ****9012 closed; ref 12345678", "err": "dfi ****2882 unknown"},
			[]string{"000123456789", "123456789012", "121042882"}},
		{"hex digests untouched", func(l *slog.Logger) {
			l.Info("verified", "head", "ab1234567890123cd", "count", 1234567890)
		}, map[string]any{"head": "ab1234567890123cd", "count": float64(1234567890)}, nil},
		{"groups, With and LogValuer", func(l *slog.Logger) {
			l.With("token", "rh_secret", slog.Group("bank", "iban", "EE382200221020145685")).
				WithGroup("req").Info("x", "account", account("987654321"), slog.Group("auth", "password", "p"))
		}, map[string]any{"token": "[redacted]", "bank": map[string]any{"iban": "****5685"},
			"req": map[string]any{"account": "****4321", "auth": map[string]any{"password": "[redacted]"}}},
			[]string{"rh_secret", "EE3822", "987654321"}},
		{"non-secret keys kept", func(l *slog.Logger) {
			l.Info("ok", "tenant", "acme", "setting", "on", "route", "GET /v1/audit", "status", 200)
		}, map[string]any{"tenant": "acme", "setting": "on", "route": "GET /v1/audit", "status": float64(200)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			tc.log(slog.New(logx.Mask(slog.NewJSONHandler(&buf, nil))))
			line := buf.String()
			var got map[string]any
			if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatalf("%v: %s", err, line)
			}
			for k, want := range tc.want {
				if g, _ := json.Marshal(got[k]); string(g) != mustJSON(t, want) {
					t.Errorf("%s = %s, want %s", k, g, mustJSON(t, want))
				}
			}
			for _, s := range tc.none {
				if strings.Contains(line, s) {
					t.Errorf("log line leaks %q: %s", s, line)
				}
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMaskDigits(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", ""},
		{"short run kept", "12345678", "12345678"},
		{"nine digits", "123456789", "****6789"},
		{"two runs", "a 1234567890 b 0987654321", "a ****7890 b ****4321"},
		{"touching letters kept", "x123456789", "x123456789"},
		{"punctuation boundary", "(123456789)", "(****6789)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := logx.MaskDigits(tc.in); got != tc.want {
				t.Fatalf("MaskDigits(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func BenchmarkMask(b *testing.B) {
	l := slog.New(logx.Mask(slog.NewJSONHandler(discard{}, nil)))
	ref := slog.New(slog.NewJSONHandler(discard{}, nil))
	for _, bc := range []struct {
		name string
		l    *slog.Logger
	}{{"masked", l}, {"plain", ref}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bc.l.Info("request", "method", "GET", "route", "GET /v1/audit", "status", 200, "tenant", "acme", "account", "000123456789")
			}
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func FuzzMaskDigits(f *testing.F) {
	for _, s := range []string{"", "123456789", "acct 000123456789 x", "ab1234567890cd", "١٢٣٤٥٦٧٨٩", "1234567890123456789012"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := logx.MaskDigits(s)
		if len(got) > len(s) {
			t.Fatalf("MaskDigits(%q) = %q grew", s, got)
		}
		if logx.MaskDigits(got) != got {
			t.Fatalf("MaskDigits is not idempotent on %q", s)
		}
		for i := 0; i+9 <= len(got); i++ {
			run := got[i : i+9]
			if strings.Trim(run, "0123456789") == "" && (i == 0 || !isAlnum(got[i-1])) && !(i+9 < len(got) && isAlnum(got[i+9])) {
				t.Fatalf("MaskDigits(%q) = %q keeps a standalone 9-digit run", s, got)
			}
		}
	})
}

func isAlnum(c byte) bool { return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z' }

func TestMaskDigits_ibanAndDashedIDs(t *testing.T) {
	for in, want := range map[string]string{
		"payout to DE89370400440532013000 failed": "payout to ****3000 failed",
		"TIN 12-3456789 rejected":                 "TIN ****6789 rejected",
		"SSN 123-45-6789 on file":                 "SSN ****6789 on file",
		"sha256 9f86d081884c7d659a2feaa0c55ad015": "sha256 9f86d081884c7d659a2feaa0c55ad015",
	} {
		if got := logx.MaskDigits(in); got != want {
			t.Errorf("MaskDigits(%q) = %q, want %q", in, got, want)
		}
	}
}
