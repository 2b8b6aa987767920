package mappings

import "testing"

func TestLooksSecret(t *testing.T) {
	for _, tc := range []struct {
		name string
		key  string
		want bool
	}{
		{"password", "password", true},
		{"client secret", "client_secret", true},
		{"api key", "api_key", true},
		{"private key", "ssh_private_key", true},
		{"bearer token", "bearer_token", true},
		{"token url is not", "token_url", false},
		{"key alone is not", "key", false},
		{"username is not", "username", false},
		{"partner number is not", "partner_number", false},
		{"bank account number", "odfi_account_number", true},
		{"account type is not", "account_type", false},
		{"host key fingerprint is not", "host_key_fingerprint", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := looksSecret(tc.key); got != tc.want {
				t.Errorf("looksSecret(%q) = %v", tc.key, got)
			}
		})
	}
}

func TestValidRef(t *testing.T) {
	for _, tc := range []struct {
		name, ref string
		want      bool
	}{
		{"env", "env:SAP_PASSWORD", true},
		{"file", "file:/run/secrets/sap", true},
		{"relative file", "file:secrets/sap", false},
		{"unclean file", "file:/run/../etc/shadow", false},
		{"bare name", "sap/acme-prd", false},
		{"env with space", "env:SAP PASSWORD", false},
		{"empty env", "env:", false},
		{"vault", "vault:kv/sap", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := validRef(tc.ref); got != tc.want {
				t.Errorf("validRef(%q) = %v", tc.ref, got)
			}
		})
	}
}

func TestCheckPattern(t *testing.T) {
	for _, tc := range []struct {
		name, pattern string
		reset         Reset
		ok            bool
	}{
		{"org year seq", "{ORG}-{YYYY}-{SEQ:6}", ResetYearly, true},
		{"short year month", "{ORG}{YY}{MM}-{SEQ:5}", ResetYearly, true},
		{"never without year", "CN{SEQ:8}", ResetNever, true},
		{"yearly without year", "CN{SEQ:8}", ResetYearly, false},
		{"no seq", "{ORG}-{YYYY}", ResetYearly, false},
		{"two seqs", "{SEQ:3}{SEQ:3}{YYYY}", ResetYearly, false},
		{"seq too wide", "{YYYY}{SEQ:13}", ResetYearly, false},
		{"seq no width", "{YYYY}{SEQ}", ResetYearly, false},
		{"unknown token", "{DD}{YYYY}{SEQ:4}", ResetYearly, false},
		{"width on year", "{YYYY:2}{SEQ:4}", ResetYearly, false},
		{"bad literal", "INV {YYYY}{SEQ:4}", ResetYearly, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := checkPattern(tc.pattern, tc.reset); (err == nil) != tc.ok {
				t.Errorf("checkPattern(%q) = %v", tc.pattern, err)
			}
		})
	}
}

func TestSeries_Format(t *testing.T) {
	for _, tc := range []struct {
		name, pattern string
		seq           int64
		want          string
	}{
		{"padded", "{ORG}-{YYYY}-{SEQ:6}", 42, "LHT-2025-000042"},
		{"short year and month", "{ORG}{YY}{MM}-{SEQ:3}", 7, "LHT2503-007"},
		{"full width", "CN{SEQ:2}", 99, "CN99"},
		{"overflow", "CN{SEQ:2}", 100, ""},
		{"zero", "CN{SEQ:2}", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Series{Name: "s", Pattern: tc.pattern}.Format("LHT", 2025, 3, tc.seq)
			if got != tc.want || (err != nil) != (tc.want == "") {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestIdentifierCheckDigits(t *testing.T) {
	for _, tc := range []struct {
		name, scheme, value string
		ok                  bool
	}{
		{"siret", "fr_siret", "81234567800013", true},
		{"siret bad luhn", "fr_siret", "81234567800014", false},
		{"npi", "us_npi", "1234567893", true},
		{"npi bad check", "us_npi", "1234567890", false},
		{"gln", "gln", "4001234000015", true},
		{"gln bad check", "gln", "4001234000016", false},
		{"ik", "de_ik", "260612345", true},
		{"ik too short", "de_ik", "26061234", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := idSchemes[tc.scheme]
			ok := s.re.MatchString(tc.value) && (s.check == nil || s.check(tc.value))
			if ok != tc.ok {
				t.Errorf("%s %q: got %v", tc.scheme, tc.value, ok)
			}
		})
	}
}
