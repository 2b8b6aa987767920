package mappings

import (
	"regexp"
	"sort"
	"strings"
)

// idScheme checks one kind of organization identifier.
type idScheme struct {
	re    *regexp.Regexp
	want  string
	check func(string) bool // check digit; nil when the scheme has none we verify
}

// idSchemes are the identifiers an organization may declare under `identifiers:`.
var idSchemes = map[string]idScheme{
	"vat_id":           {regexp.MustCompile(`^[A-Z]{2}[A-Z0-9]{2,12}$`), "a VAT id: country prefix and 2-12 letters or digits", nil},
	"ee_registry_code": {regexp.MustCompile(`^[0-9]{8}$`), "an Estonian registry code: 8 digits", nil},
	"de_ik":            {regexp.MustCompile(`^[0-9]{9}$`), "a German Institutionskennzeichen: 9 digits", nil},
	"fr_siret":         {regexp.MustCompile(`^[0-9]{14}$`), "a SIRET: 14 digits with a valid Luhn check digit", luhn},
	"fr_finess":        {regexp.MustCompile(`^[0-9][0-9AB][0-9]{7}$`), "a FINESS number: 9 characters", nil},
	"us_npi":           {regexp.MustCompile(`^[12][0-9]{9}$`), "an NPI: 10 digits with a valid check digit", func(s string) bool { return luhn("80840" + s) }},
	"us_tin":           {regexp.MustCompile(`^[0-9]{2}-[0-9]{7}$`), "an EIN: NN-NNNNNNN", nil},
	"gln":              {regexp.MustCompile(`^[0-9]{13}$`), "a GLN: 13 digits with a valid GS1 check digit", gs1},
}

func idSchemeNames() string {
	names := make([]string, 0, len(idSchemes))
	for n := range idSchemes {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// luhn reports whether the digits in s pass the Luhn (mod 10) check.
func luhn(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// gs1 reports whether the digits in s end in a valid GS1 check digit.
func gs1(s string) bool {
	sum := 0
	for i := range len(s) - 1 {
		d := int(s[len(s)-2-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return (10-sum%10)%10 == int(s[len(s)-1]-'0')
}
