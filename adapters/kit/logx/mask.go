// Package logx holds the hub's log/slog plumbing: a handler wrapper that
// keeps secrets and account numbers out of every log line.
package logx

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"strings"
)

// Redacted replaces the value of a secret attribute.
const Redacted = "[redacted]"

// Mask wraps h so that every record it handles is masked first:
//
//   - attributes whose key names a secret (password, secret, token,
//     authorization, api_key, credential, cookie, private_key) become "[redacted]";
//   - attributes whose key names an account or tax identifier (account,
//     iban, tin, ssn, routing, tax_id, ein) keep only their last four
//     characters: "****6789";
//   - in every other string value, in error texts and in the message, a
//     standalone run of nine or more digits keeps only its last four.
//
// Keys are matched case-insensitively inside groups too, whether the
// attribute comes from the record, from Logger.With or from a LogValuer.
func Mask(h slog.Handler) slog.Handler { return &masker{next: h} }

type masker struct{ next slog.Handler }

func (m *masker) Enabled(ctx context.Context, l slog.Level) bool { return m.next.Enabled(ctx, l) }

func (m *masker) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, MaskDigits(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(maskAttr(a))
		return true
	})
	return m.next.Handle(ctx, out)
}

func (m *masker) WithAttrs(as []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(as))
	for i, a := range as {
		masked[i] = maskAttr(a)
	}
	return &masker{next: m.next.WithAttrs(masked)}
}

func (m *masker) WithGroup(name string) slog.Handler { return &masker{next: m.next.WithGroup(name)} }

func maskAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch classify(a.Key) {
	case secretKey:
		return slog.String(a.Key, Redacted)
	case accountKey:
		if v.Kind() == slog.KindGroup {
			return slog.String(a.Key, Redacted)
		}
		return slog.String(a.Key, Last4(valueString(v)))
	}
	switch v.Kind() {
	case slog.KindGroup:
		as := v.Group()
		masked := make([]any, len(as))
		for i, g := range as {
			masked[i] = maskAttr(g)
		}
		return slog.Group(a.Key, masked...)
	case slog.KindString:
		return slog.String(a.Key, MaskDigits(v.String()))
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, MaskDigits(err.Error()))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

func valueString(v slog.Value) string {
	if err, ok := v.Any().(error); ok && v.Kind() == slog.KindAny {
		return err.Error()
	}
	return v.String()
}

type keyClass int

const (
	plainKey keyClass = iota
	secretKey
	accountKey
)

// secretWords match anywhere in a key, ignoring case and separators.
var secretWords = words("password", "passwd", "secret", "token", "authorization", "apikey", "credential", "cookie", "privatekey")

// accountWords match one word of a key split at separators, or the whole
// key without separators: "account_number", "payee_tin", "IBAN".
var accountWords = words("account", "accountnumber", "acct", "iban", "tin", "ssn", "routing", "taxid", "ein")

func words(ws ...string) [][]byte {
	out := make([][]byte, len(ws))
	for i, w := range ws {
		out[i] = []byte(w)
	}
	return out
}

// classify allocates nothing for keys of up to 64 bytes.
func classify(key string) keyClass {
	var buf [64]byte
	joined := buf[:0]
	for i := 0; i < len(key); i++ {
		if c := key[i]; !isSep(c) {
			joined = append(joined, lower(c))
		}
	}
	for _, w := range secretWords {
		if bytes.Contains(joined, w) {
			return secretKey
		}
	}
	for _, w := range accountWords {
		if bytes.Equal(joined, w) {
			return accountKey
		}
	}
	for rest := key; rest != ""; {
		i := 0
		for i < len(rest) && !isSep(rest[i]) {
			i++
		}
		word := rest[:i]
		for _, w := range accountWords {
			if equalFold(word, w) {
				return accountKey
			}
		}
		if i < len(rest) {
			i++
		}
		rest = rest[i:]
	}
	return plainKey
}

func isSep(c byte) bool { return c == '_' || c == '-' || c == '.' || c == ' ' }

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func equalFold(s string, w []byte) bool {
	if len(s) != len(w) {
		return false
	}
	for i := range w {
		if lower(s[i]) != w[i] {
			return false
		}
	}
	return true
}

// Last4 masks s but for its last four characters, after dropping spaces
// and dashes: "DE89 3704 0044 0532 0130 00" → "****3000". Values of four
// characters or fewer are masked whole.
func Last4(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
	rs := []rune(s)
	if len(rs) <= 4 {
		return "****"
	}
	return "****" + string(rs[len(rs)-4:])
}

// ibanLike matches an IBAN (country, check digits, 11–30 alphanumerics) and
// dashedID a US TIN/EIN or SSN written with dashes ("12-3456789", "123-45-6789").
var (
	ibanLike = regexp.MustCompile(`\b[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\b`)
	dashedID = regexp.MustCompile(`\b(?:[0-9]{2}-[0-9]{7}|[0-9]{3}-[0-9]{2}-[0-9]{4})\b`)
)

// MaskDigits masks account-like numbers in free text, keeping the last
// four characters: IBANs, dashed TINs and SSNs, and every standalone run of
// nine or more ASCII digits ("acct 123456789 failed" → "acct ****6789
// failed"). Other runs touching a letter (hex digests, identifiers) stay.
func MaskDigits(s string) string {
	keepLast4 := func(m string) string { return "****" + m[len(m)-4:] }
	s = ibanLike.ReplaceAllStringFunc(s, keepLast4)
	s = dashedID.ReplaceAllStringFunc(s, keepLast4)
	return maskDigitRuns(s)
}

func maskDigitRuns(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i >= 9 && !(i > 0 && isLetter(s[i-1])) && !(j < len(s) && isLetter(s[j])) {
			b.WriteString(s[last:i])
			b.WriteString("****")
			b.WriteString(s[j-4 : j])
			last = j
		}
		i = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
