package capture

import (
	"reflect"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// decodePlain decodes a single trigger resource written plainly, as FHIR
// servers write them: keys spelled as Resource's tags, no escape in any
// string it keeps, no null, no key twice. It reports false for anything
// else, which decodeFast then hands to the general decoders; when it
// reports true, r is what json.Unmarshal gives. Unknown members are checked
// as JSON and skipped. Kept strings point into data, as in decodeFast.
func decodePlain(data []byte) (r Resource, ok bool) {
	d := plainDec{b: data}
	ok = d.object(func(key string) bool { return d.resourceMember(&r, key) }) && d.end()
	return r, ok && r.ResourceType != "" && r.ResourceType != "Bundle"
}

// plainDec reads JSON from b at i; depth counts the open arrays and objects.
type plainDec struct {
	b     []byte
	i     int
	depth int
}

// maxPlainDepth bounds nesting; deeper input goes to the general decoders.
const (
	maxPlainDepth = 64
)

func (d *plainDec) resourceMember(r *Resource, key string) bool {
	switch key {
	case "resourceType":
		return d.str(&r.ResourceType)
	case "id":
		return d.str(&r.ID)
	case "meta":
		return d.stringFields(metaKeys, &r.Meta.VersionID, &r.Meta.LastUpdated)
	case "status":
		return d.str(&r.Status)
	case "code":
		return d.concept(&r.Code)
	case "medicationCodeableConcept":
		return d.concept(&r.MedicationCodeableConcept)
	case "type":
		return d.concepts(&r.Type)
	case "class":
		if r.Class != nil {
			return false
		}
		r.Class = new(Coding)
		return d.coding(r.Class)
	case "subject":
		return d.ref(&r.Subject)
	case "encounter":
		return d.ref(&r.Encounter)
	case "context":
		return d.ref(&r.Context)
	case "serviceProvider":
		return d.ref(&r.ServiceProvider)
	case "performer":
		return objects(d, &r.Performer, func(p *Performer, k string) bool {
			switch k {
			case "function":
				return d.concept(&p.Function)
			case "actor":
				return d.refInto(&p.Actor)
			case "onBehalfOf":
				return d.ref(&p.OnBehalfOf)
			}
			return d.unknown(k, performerKeys...)
		})
	case "participant":
		return objects(d, &r.Participant, func(p *Participant, k string) bool {
			switch k {
			case "type":
				return d.concepts(&p.Type)
			case "individual":
				return d.ref(&p.Individual)
			}
			return d.unknown(k, participantKeys...)
		})
	case "quantity":
		if r.Quantity != nil {
			return false
		}
		r.Quantity = new(Quantity)
		return d.object(func(k string) bool {
			switch k {
			case "value":
				return d.rate(r.Quantity)
			case "unit":
				return d.str(&r.Quantity.Unit)
			}
			return d.unknown(k, quantityKeys...)
		})
	case "performedDateTime":
		return d.str(&r.PerformedDateTime)
	case "performedPeriod":
		return d.period(&r.PerformedPeriod)
	case "occurrenceDateTime":
		return d.str(&r.OccurrenceDateTime)
	case "whenHandedOver":
		return d.str(&r.WhenHandedOver)
	case "period":
		return d.period(&r.Period)
	}
	return d.unknown(key, resourceKeys...)
}

func (d *plainDec) concept(p **CodeableConcept) bool {
	if *p != nil {
		return false
	}
	c := new(CodeableConcept)
	*p = c
	return d.object(func(k string) bool {
		switch k {
		case "coding":
			if c.Coding != nil {
				return false
			}
			c.Coding = []Coding{}
			return d.array(func() bool {
				c.Coding = append(c.Coding, Coding{})
				return d.coding(&c.Coding[len(c.Coding)-1])
			})
		case "text":
			return d.str(&c.Text)
		}
		return d.unknown(k, conceptKeys...)
	})
}

func (d *plainDec) concepts(p *[]CodeableConcept) bool {
	if *p != nil {
		return false
	}
	*p = []CodeableConcept{}
	return d.array(func() bool {
		var c *CodeableConcept
		ok := d.concept(&c)
		*p = append(*p, *c)
		return ok
	})
}

func (d *plainDec) coding(c *Coding) bool {
	return d.stringFields(codingKeys, &c.System, &c.Code, &c.Display)
}

func (d *plainDec) ref(p **Reference) bool {
	if *p != nil {
		return false
	}
	*p = new(Reference)
	return d.refInto(*p)
}

func (d *plainDec) refInto(r *Reference) bool { return d.stringFields(referenceKeys, &r.Reference) }

func (d *plainDec) period(p **Period) bool {
	if *p != nil {
		return false
	}
	pp := new(Period)
	*p = pp
	return d.stringFields(periodKeys, &pp.Start, &pp.End)
}

// objects reads an array of objects into *p (a slice field not yet set),
// each element's members by member.
func objects[T any](d *plainDec, p *[]T, member func(x *T, key string) bool) bool {
	if *p != nil {
		return false
	}
	*p = []T{}
	return d.array(func() bool {
		var x T
		ok := d.object(func(k string) bool { return member(&x, k) })
		*p = append(*p, x)
		return ok
	})
}

// The JSON names of the fields of Resource and the types within it, in
// field order, from their tags.
var (
	resourceKeys    = jsonNames[Resource]()
	metaKeys        = jsonNames[Meta]()
	conceptKeys     = jsonNames[CodeableConcept]()
	codingKeys      = jsonNames[Coding]()
	referenceKeys   = jsonNames[Reference]()
	periodKeys      = jsonNames[Period]()
	quantityKeys    = jsonNames[Quantity]()
	performerKeys   = jsonNames[Performer]()
	participantKeys = jsonNames[Participant]()
)

// jsonNames returns the JSON names of struct type T's fields, in order.
func jsonNames[T any]() []string {
	t := reflect.TypeFor[T]()
	names := make([]string, t.NumField())
	for i := range names {
		names[i], _, _ = strings.Cut(t.Field(i).Tag.Get("json"), ",")
	}
	return names
}

// stringFields reads an object whose members named keys are strings, into
// dst (one per key, in order).
func (d *plainDec) stringFields(keys []string, dst ...*string) bool {
	return d.object(func(k string) bool {
		for i, name := range keys {
			if k == name {
				return d.str(dst[i])
			}
		}
		return d.unknown(k, keys...)
	})
}

// rate reads a quantity's value, number or string, as json.Unmarshal does:
// through money.Rate's UnmarshalJSON.
func (d *plainDec) rate(q *Quantity) bool {
	d.space()
	start := d.i
	switch {
	case d.i < len(d.b) && d.b[d.i] == '"':
		var s string
		if !d.str(&s) {
			return false
		}
	case !d.number():
		return false
	}
	return q.Value.UnmarshalJSON(d.b[start:d.i]) == nil
}

// unknown skips the value of a member Resource does not read, unless its
// key matches one of known but for case, which json.Unmarshal would take.
func (d *plainDec) unknown(key string, known ...string) bool {
	for _, k := range known {
		if len(k) == len(key) && equalFoldASCII(k, key) {
			return false
		}
	}
	return d.skip()
}

func equalFoldASCII(a, b string) bool {
	for i := range len(a) {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y || a[i] != b[i] && (x < 'a' || x > 'z') {
			return false
		}
	}
	return true
}

func (d *plainDec) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// end reports whether only white space follows.
func (d *plainDec) end() bool {
	d.space()
	return d.i == len(d.b)
}

// object reads an object of a known type, calling member with the cursor
// at each member's value. A key with an escape or a byte outside ASCII
// fails. A key given twice decodes twice, as with json.Unmarshal: a string
// or a struct field keeps what the last one says, and a pointer or slice
// field already set fails (json.Unmarshal would merge the two values).
func (d *plainDec) object(member func(key string) bool) bool {
	if !d.open('{') {
		return false
	}
	if d.closes('}') {
		return true
	}
	for {
		d.space()
		key, ok := d.key()
		if !ok {
			return false
		}
		d.space()
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			return false
		}
		d.i++
		if !member(key) {
			return false
		}
		if more, ok := d.next('}'); !more {
			return ok
		}
	}
}

// array reads an array, calling elem with the cursor at each element.
func (d *plainDec) array(elem func() bool) bool {
	if !d.open('[') {
		return false
	}
	if d.closes(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if more, ok := d.next(']'); !more {
			return ok
		}
	}
}

// open passes over the bracket c that opens an object or array.
func (d *plainDec) open(c byte) bool {
	d.space()
	if d.i >= len(d.b) || d.b[d.i] != c || d.depth == maxPlainDepth {
		return false
	}
	d.i++
	d.depth++
	return true
}

// closes passes over the closing bracket c if it comes next.
func (d *plainDec) closes(c byte) bool {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		d.depth--
		return true
	}
	return false
}

// next passes over the comma before another item (more), or the closing
// bracket c (ok and not more); anything else fails.
func (d *plainDec) next(c byte) (more, ok bool) {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == ',' {
		d.i++
		return true, true
	}
	return false, d.closes(c)
}

// key reads an object key of ASCII without escapes.
func (d *plainDec) key() (string, bool) {
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return "", false
	}
	start := d.i + 1
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			return unsafe.String(unsafe.SliceData(d.b[start:]), j-start), true
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return "", false
		}
	}
	return "", false
}

// str reads a string value without escapes, valid UTF-8, into *s.
func (d *plainDec) str(s *string) bool {
	d.space()
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return false
	}
	start := d.i + 1
	ascii := true
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			if !ascii && !utf8.Valid(d.b[start:j]) {
				return false
			}
			d.i = j + 1
			*s = unsafe.String(unsafe.SliceData(d.b[start:]), j-start)
			return true
		case c == '\\' || c < 0x20:
			return false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return false
}

// skip checks and passes over any JSON value.
func (d *plainDec) skip() bool {
	d.space()
	if d.i >= len(d.b) {
		return false
	}
	switch c := d.b[d.i]; {
	case c == '{':
		return d.object(func(string) bool { return d.skip() })
	case c == '[':
		return d.array(d.skip)
	case c == '"':
		return d.skipString()
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	}
	return d.number()
}

func (d *plainDec) literal(lit string) bool {
	if len(d.b)-d.i < len(lit) || string(d.b[d.i:d.i+len(lit)]) != lit {
		return false
	}
	d.i += len(lit)
	return true
}

// skipString passes over a string, escapes and all.
func (d *plainDec) skipString() bool {
	for j := d.i + 1; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			return true
		case c < 0x20:
			return false
		case c == '\\':
			j++
			if j >= len(d.b) {
				return false
			}
			switch d.b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if len(d.b)-j < 5 {
					return false
				}
				for _, h := range d.b[j+1 : j+5] {
					if !isHex(h) {
						return false
					}
				}
				j += 4
			default:
				return false
			}
		}
	}
	return false
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f' }

// number passes over a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *plainDec) number() bool {
	i := d.i
	if i < len(d.b) && d.b[i] == '-' {
		i++
	}
	switch {
	case i < len(d.b) && d.b[i] == '0':
		i++
	case i < len(d.b) && d.b[i] >= '1' && d.b[i] <= '9':
		i = digits(d.b, i)
	default:
		return false
	}
	if i < len(d.b) && d.b[i] == '.' {
		if j := digits(d.b, i+1); j > i+1 {
			i = j
		} else {
			return false
		}
	}
	if i < len(d.b) && d.b[i]|0x20 == 'e' {
		i++
		if i < len(d.b) && (d.b[i] == '+' || d.b[i] == '-') {
			i++
		}
		j := digits(d.b, i)
		if j == i {
			return false
		}
		i = j
	}
	d.i = i
	return true
}

func digits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}
