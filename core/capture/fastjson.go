package capture

import (
	"unicode/utf8"
)

// decodeFast decodes a single trigger resource without reflection, as
// json.Unmarshal into a Resource would. It handles the plain shapes FHIR
// servers send and reports false for anything else (an escaped or
// case-folded key, a duplicate or null field, a field of an unexpected
// type, a Bundle, malformed JSON), which the caller then decodes with
// encoding/json. It never accepts input that json.Unmarshal rejects.
func decodeFast(data []byte) (Resource, bool) {
	s := scanner{b: data}
	var r Resource
	s.ws()
	ok := s.object(resourceKeys, func(k int) bool { return s.resourceField(&r, k) })
	s.ws()
	if !ok || s.i != len(s.b) || r.ResourceType == "" || r.ResourceType == "Bundle" {
		return Resource{}, false
	}
	return r, true
}

// scanner reads JSON from b at i, strictly (RFC 8259, as encoding/json).
type scanner struct {
	b     []byte
	i     int
	depth int // objects and arrays open
}

// maxDepth bounds nesting, well below encoding/json's own limit (10000),
// so that nothing it rejects for depth is accepted here.
const maxDepth = 64

// keys lists an object's known fields; keyIndex finds one by exact name.
type keys []string

var (
	resourceKeys = keys{"resourceType", "id", "meta", "status", "code", "medicationCodeableConcept", "type", "class",
		"subject", "encounter", "context", "serviceProvider", "performer", "participant", "quantity",
		"performedDateTime", "performedPeriod", "occurrenceDateTime", "whenHandedOver", "period"}
	metaKeys        = keys{"versionId", "lastUpdated"}
	codingKeys      = keys{"system", "code", "display"}
	conceptKeys     = keys{"coding", "text"}
	referenceKeys   = keys{"reference"}
	quantityKeys    = keys{"value", "unit"}
	periodKeys      = keys{"start", "end"}
	performerKeys   = keys{"function", "actor", "onBehalfOf"}
	participantKeys = keys{"type", "individual"}
)

// match returns the index of key, -1 for a key json.Unmarshal ignores, or
// -2 for one it might fold onto a known key (non-ASCII or another case).
func (ks keys) match(key []byte) int {
	if ks == nil {
		return -1 // skipping: every key is unknown
	}
	for i, k := range ks {
		if string(key) == k {
			return i
		}
	}
	for _, c := range key {
		if c >= utf8.RuneSelf {
			return -2
		}
	}
	for _, k := range ks {
		if asciiEqualFold(key, k) {
			return -2
		}
	}
	return -1
}

func asciiEqualFold(a []byte, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y || (a[i] != b[i] && (x < 'a' || x > 'z')) {
			return false
		}
	}
	return true
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next byte after whitespace, or 0 at the end.
func (s *scanner) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// object reads an object, calling field for each known key (it must read
// the value) and skipping the values of unknown keys. A known key seen
// twice, or a null value for one, makes it fail.
func (s *scanner) object(ks keys, field func(k int) bool) bool {
	if s.peek() != '{' || s.depth == maxDepth {
		return false
	}
	s.i++
	s.depth++
	defer func() { s.depth-- }()
	if s.peek() == '}' {
		s.i++
		return true
	}
	var seen uint32
	for {
		key, ok := s.rawString()
		if !ok || s.peek() != ':' {
			return false
		}
		s.i++
		switch k := ks.match(key); {
		case k == -2:
			return false
		case k == -1:
			if !s.skip() {
				return false
			}
		default:
			if seen&(1<<k) != 0 || s.peek() == 'n' || !field(k) {
				return false
			}
			seen |= 1 << k
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return true
		default:
			return false
		}
	}
}

// array reads an array, calling elem for each element.
func (s *scanner) array(elem func() bool) bool {
	if s.peek() != '[' || s.depth == maxDepth {
		return false
	}
	s.i++
	s.depth++
	defer func() { s.depth-- }()
	if s.peek() == ']' {
		s.i++
		return true
	}
	for {
		if !elem() {
			return false
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return true
		default:
			return false
		}
	}
}

// rawString reads a string without escapes and returns its bytes; it fails
// on an escape, a control character or invalid UTF-8 (which json.Unmarshal
// would rewrite).
func (s *scanner) rawString() ([]byte, bool) {
	if s.peek() != '"' {
		return nil, false
	}
	start := s.i + 1
	ascii := true
	for i := start; i < len(s.b); i++ {
		switch c := s.b[i]; {
		case c == '"':
			s.i = i + 1
			v := s.b[start:i]
			return v, ascii || utf8.Valid(v)
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false
}

// str reads a string value into *dst.
func (s *scanner) str(dst *string) bool {
	v, ok := s.rawString()
	if ok {
		*dst = string(v)
	}
	return ok
}

// skip reads any JSON value, escapes included, and ignores it.
func (s *scanner) skip() bool {
	switch s.peek() {
	case '{':
		return s.object(nil, nil)
	case '[':
		return s.array(s.skip)
	case '"':
		return s.skipString()
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	default:
		_, ok := s.number()
		return ok
	}
}

func (s *scanner) literal(l string) bool {
	if len(s.b)-s.i < len(l) || string(s.b[s.i:s.i+len(l)]) != l {
		return false
	}
	s.i += len(l)
	return true
}

func (s *scanner) skipString() bool {
	for i := s.i + 1; i < len(s.b); i++ {
		switch c := s.b[i]; {
		case c == '"':
			s.i = i + 1
			return true
		case c < 0x20:
			return false
		case c == '\\':
			i++
			if i >= len(s.b) {
				return false
			}
			switch s.b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(s.b) {
					return false
				}
				for _, h := range s.b[i+1 : i+5] {
					if !isHex(h) {
						return false
					}
				}
				i += 4
			default:
				return false
			}
		}
	}
	return false
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// number reads -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? and returns it.
func (s *scanner) number() ([]byte, bool) {
	b, i := s.b, s.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digits(b, i)
	default:
		return nil, false
	}
	if i < len(b) && b[i] == '.' {
		if i+1 >= len(b) || !isDigit(b[i+1]) {
			return nil, false
		}
		i = digits(b, i+1)
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return nil, false
		}
		i = digits(b, i)
	}
	v := b[s.i:i]
	s.i = i
	return v, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digits(b []byte, i int) int {
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	return i
}
