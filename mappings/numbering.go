package mappings

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// patternToken matches one placeholder of a numbering pattern.
var patternToken = regexp.MustCompile(`\{([A-Z]+)(?::([0-9]+))?\}`)

// patternLiteral is what may appear between placeholders.
var patternLiteral = regexp.MustCompile(`^[A-Za-z0-9/_.-]*$`)

// checkPattern validates a numbering pattern: literals, {ORG}, {YYYY}, {YY},
// {MM} and exactly one {SEQ:n} with 1 <= n <= 12. A yearly series needs the year.
func checkPattern(p string, reset Reset) error {
	seqs, year := 0, false
	rest := p
	for _, m := range patternToken.FindAllStringSubmatchIndex(p, -1) {
		name, width := p[m[2]:m[3]], ""
		if m[4] >= 0 {
			width = p[m[4]:m[5]]
		}
		switch {
		case name == "SEQ":
			n, err := strconv.Atoi(width)
			if err != nil || n < 1 || n > 12 {
				return fmt.Errorf("{SEQ:n} needs a width n from 1 to 12")
			}
			seqs++
		case width != "":
			return fmt.Errorf("{%s} takes no width", name)
		case name == "YYYY" || name == "YY":
			year = true
		case name != "ORG" && name != "MM":
			return fmt.Errorf("unknown placeholder {%s}; expected {ORG}, {YYYY}, {YY}, {MM} or {SEQ:n}", name)
		}
	}
	rest = patternToken.ReplaceAllString(rest, "")
	switch {
	case !patternLiteral.MatchString(rest):
		return fmt.Errorf("literal text may hold only letters, digits and / _ . -")
	case seqs != 1:
		return fmt.Errorf("needs exactly one {SEQ:n} placeholder")
	case reset == ResetYearly && !year:
		return fmt.Errorf("a series that resets yearly needs {YYYY} or {YY}, or numbers repeat")
	}
	return nil
}

// Format renders the number seq of the series for org code and a date's year
// and month. It fails when seq does not fit the {SEQ:n} width.
func (s Series) Format(code string, year, month int, seq int64) (string, error) {
	var err error
	out := patternToken.ReplaceAllStringFunc(s.Pattern, func(tok string) string {
		m := patternToken.FindStringSubmatch(tok)
		switch m[1] {
		case "ORG":
			return code
		case "YYYY":
			return fmt.Sprintf("%04d", year)
		case "YY":
			return fmt.Sprintf("%02d", year%100)
		case "MM":
			return fmt.Sprintf("%02d", month)
		}
		w, _ := strconv.Atoi(m[2])
		n := strconv.FormatInt(seq, 10)
		if seq < 1 || len(n) > w {
			err = fmt.Errorf("mappings: series %s: number %d does not fit %d digits", s.Name, seq, w)
		}
		return strings.Repeat("0", max(0, w-len(n))) + n
	})
	if err != nil {
		return "", err
	}
	return out, nil
}
