package mappings

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// Binding is one port's choice of adapter and its settings. Settings may come
// from a tenant file and an organization file, laid over in that order.
type Binding struct {
	Port    string
	Adapter string
	parts   []part
}

// part is the settings one file gives a binding.
type part struct {
	file     string
	portKey  *yaml.Node // the port key
	key      *yaml.Node // the adapter name
	settings *yaml.Node // a mapping, or nil/null for no settings
}

// File returns the most specific file that sets the binding.
func (b *Binding) File() string { return b.last().file }

// Line returns the line of the adapter name in File.
func (b *Binding) Line() int { return b.last().key.Line }

// Path returns the binding's field path: "bindings.gl_export.sap_idoc".
func (b *Binding) Path() string { return "bindings." + b.Port + "." + b.Adapter }

func (b *Binding) last() part { return b.parts[len(b.parts)-1] }

// Decoder returns a strict decoder of the binding's settings: unknown keys
// and mistyped values are *Problem errors with file, line and field path.
func (b *Binding) Decoder() ports.Decoder {
	return func(into any) error {
		rv := reflect.ValueOf(into)
		if rv.Kind() != reflect.Pointer || rv.IsNil() {
			return fmt.Errorf("mappings: decode into %T: need a non-nil pointer", into)
		}
		var ps Problems
		for _, p := range b.parts {
			if isNull(p.settings) {
				continue
			}
			f := &file{name: p.file, probs: &ps}
			f.knownKeys(p.settings, rv.Type().Elem(), b.Path())
			if err := p.settings.Decode(into); err != nil {
				f.typeErrors(p.settings, b.Path(), err)
			}
		}
		return ps.Err()
	}
}

var (
	unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()
	durType         = reflect.TypeFor[time.Duration]()
	timeType        = reflect.TypeFor[time.Time]()
)

// knownKeys reports mapping keys that t has no field for, recursively.
func (f *file) knownKeys(n *yaml.Node, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == durType || t == timeType || reflect.PointerTo(t).Implements(unmarshalerType) {
		return
	}
	switch {
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		fields := map[string]reflect.Type{}
		structKeys(t, fields)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				keys := make([]string, 0, len(fields))
				for key := range fields {
					keys = append(keys, key)
				}
				sort.Strings(keys)
				f.add(k, joinPath(path, k.Value), "unknown_key", "unknown key %q; expected one of: %s", k.Value, strings.Join(keys, ", "))
				continue
			}
			f.knownKeys(v, ft, joinPath(path, k.Value))
		}
	case (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && n.Kind == yaml.SequenceNode:
		for i, c := range n.Content {
			f.knownKeys(c, t.Elem(), path+"["+strconv.Itoa(i)+"]")
		}
	case t.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			f.knownKeys(n.Content[i+1], t.Elem(), joinPath(path, n.Content[i].Value))
		}
	}
}

// structKeys collects the YAML keys of t's fields, following `,inline`.
func structKeys(t reflect.Type, into map[string]reflect.Type) {
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		switch {
		case !sf.IsExported() || name == "-":
		case strings.Contains(opts, "inline") && sf.Type.Kind() == reflect.Struct:
			structKeys(sf.Type, into)
		case name == "":
			into[strings.ToLower(sf.Name)] = sf.Type
		default:
			into[name] = sf.Type
		}
	}
}

var typeErrLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// typeErrors turns a yaml decode error into problems at the lines it names.
func (f *file) typeErrors(n *yaml.Node, path string, err error) {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		f.add(n, path, "invalid", "%v", err)
		return
	}
	for _, m := range te.Errors {
		p := &Problem{File: f.name, Line: n.Line, Path: path, Code: "type", Msg: m, Err: err}
		if sm := typeErrLine.FindStringSubmatch(m); sm != nil {
			p.Line, _ = strconv.Atoi(sm[1])
			p.Msg = sm[2]
			if at := pathAtLine(n, path, p.Line); at != "" {
				p.Path = at
			}
		}
		*f.probs = append(*f.probs, p)
	}
}

// pathAtLine returns the path of the deepest mapping key whose value starts on line.
func pathAtLine(n *yaml.Node, path string, line int) string {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			kp := joinPath(path, k.Value)
			if sub := pathAtLine(v, kp, line); sub != "" {
				return sub
			}
			if k.Line == line || v.Line == line {
				return kp
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if sub := pathAtLine(c, path+"["+strconv.Itoa(i)+"]", line); sub != "" {
				return sub
			}
		}
	}
	return ""
}

// problems addresses an error from checking or building the binding: field
// errors get the file and line of their key, or of the adapter name when the
// key is missing.
func (b *Binding) problems(err error) Problems {
	var ps Problems
	if errors.As(err, &ps) {
		return ps
	}
	var ves validate.Errors
	var fe *validate.FieldError
	switch {
	case errors.As(err, &ves):
		for _, e := range ves {
			ps = append(ps, b.fieldProblem(e))
		}
	case errors.As(err, &fe):
		ps = append(ps, b.fieldProblem(fe))
	default:
		l := b.last()
		ps = append(ps, &Problem{File: l.file, Line: l.key.Line, Path: b.Path(), Code: "invalid", Msg: err.Error(), Err: err})
	}
	return ps
}

func (b *Binding) fieldProblem(fe *validate.FieldError) *Problem {
	p := &Problem{Path: validate.Join(b.Path(), fe.Path), Code: fe.Code, Msg: fe.Msg, Err: fe}
	if fe.Code == "required" || p.Msg == "" {
		p.Msg = fe.Code
	}
	for i := len(b.parts) - 1; i >= 0; i-- {
		if k := find(b.parts[i].settings, fe.Path); k != nil {
			p.File, p.Line = b.parts[i].file, k.Line
			return p
		}
	}
	p.File, p.Line = b.File(), b.Line()
	return p
}

// find returns the key node at a dotted, indexed path ("lines[2].amount") in n.
func find(n *yaml.Node, path string) *yaml.Node {
	if n == nil || path == "" {
		return nil
	}
	var key *yaml.Node
	for seg := range strings.SplitSeq(strings.ReplaceAll(path, "[", ".["), ".") {
		switch {
		case seg == "":
			continue
		case strings.HasPrefix(seg, "[") && strings.HasSuffix(seg, "]"):
			i, err := strconv.Atoi(seg[1 : len(seg)-1])
			if err != nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
				return nil
			}
			n = n.Content[i]
			key = n
		default:
			if n.Kind != yaml.MappingNode {
				return nil
			}
			next := (*yaml.Node)(nil)
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == seg {
					key, next = n.Content[i], n.Content[i+1]
					break
				}
			}
			if next == nil {
				return nil
			}
			n = next
		}
	}
	return key
}
