package mappings

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxFileSize caps each YAML file; larger files are rejected unread.
const maxFileSize = 1 << 20

// file collects the problems of one YAML file.
type file struct {
	name  string
	probs *Problems
}

func (f *file) add(n *yaml.Node, path, code, format string, args ...any) {
	*f.probs = append(*f.probs, &Problem{File: f.name, Line: line(n), Path: path, Code: code, Msg: fmt.Sprintf(format, args...)})
}

func line(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	return n.Line
}

var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

// parse decodes data into its root node: a mapping, or nil after reporting why not.
func (f *file) parse(data []byte) *yaml.Node {
	if len(data) > maxFileSize {
		f.add(nil, "", "too_large", "file is larger than %d bytes", maxFileSize)
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		f.syntax(err)
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		f.add(nil, "", "empty", "expected a mapping, found an empty file")
		return nil
	}
	root := doc.Content[0]
	if a := findAlias(root, 0); a != nil {
		f.add(a, "", "alias", "anchors, aliases and nesting deeper than %d levels are not supported", maxDepth)
		return nil
	}
	if root.Kind != yaml.MappingNode {
		f.add(root, "", "type", "expected a mapping at the top of the file")
		return nil
	}
	return root
}

// syntax reports a YAML parse error, one problem per line it names.
func (f *file) syntax(err error) {
	msgs := []string{err.Error()}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, m := range msgs {
		p := &Problem{File: f.name, Code: "syntax", Msg: strings.TrimPrefix(m, "yaml: "), Err: err}
		if sm := yamlLine.FindStringSubmatch(m); sm != nil {
			p.Line, _ = strconv.Atoi(sm[1])
			p.Msg = sm[2]
		}
		*f.probs = append(*f.probs, p)
	}
}

const maxDepth = 32

// findAlias returns the first anchor or alias, which mappings do not support
// (every value should be visible where it applies), or a node nested too deep.
func findAlias(n *yaml.Node, depth int) *yaml.Node {
	if n.Kind == yaml.AliasNode || n.Anchor != "" || depth > maxDepth {
		return n
	}
	for _, c := range n.Content {
		if a := findAlias(c, depth+1); a != nil {
			return a
		}
	}
	return nil
}

// fields walks a mapping with a handler per allowed key, reporting duplicate
// and unknown keys, and values that are not mappings.
func (f *file) fields(n *yaml.Node, path string, handlers map[string]func(k, v *yaml.Node, path string)) {
	f.pairs(n, path, func(k, v *yaml.Node, p string) {
		h, ok := handlers[k.Value]
		if !ok {
			keys := make([]string, 0, len(handlers))
			for key := range handlers {
				keys = append(keys, key)
			}
			sort.Strings(keys)
			f.add(k, p, "unknown_key", "unknown key %q; expected one of: %s", k.Value, strings.Join(keys, ", "))
			return
		}
		h(k, v, p)
	})
}

// pairs calls fn for each key of mapping n, reporting duplicates and non-mappings.
func (f *file) pairs(n *yaml.Node, path string, fn func(k, v *yaml.Node, path string)) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		f.add(n, path, "type", "expected a mapping")
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := joinPath(path, k.Value)
		if k.Kind != yaml.ScalarNode {
			f.add(k, path, "type", "expected a scalar key")
			continue
		}
		if first, dup := seen[k.Value]; dup {
			f.add(k, p, "duplicate_key", "duplicate key (first at line %d)", first)
			continue
		}
		seen[k.Value] = k.Line
		fn(k, v, p)
	}
}

// str returns a scalar's text; null and collections are reported.
func (f *file) str(n *yaml.Node, path string) (string, bool) {
	if isNull(n) {
		f.add(n, path, "required", "required")
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		f.add(n, path, "type", "expected a string")
		return "", false
	}
	return n.Value, true
}

// match returns a scalar's text when it matches re, else reports want.
func (f *file) match(n *yaml.Node, path string, re *regexp.Regexp, want string) (string, bool) {
	s, ok := f.str(n, path)
	if !ok {
		return "", false
	}
	if !re.MatchString(s) {
		f.add(n, path, "invalid", "%q is not %s", s, want)
		return "", false
	}
	return s, true
}

// strMap reads a mapping of keys matching keyRE to non-empty scalars.
func (f *file) strMap(n *yaml.Node, path string, keyRE *regexp.Regexp, into map[string]string) {
	f.pairs(n, path, func(k, v *yaml.Node, p string) {
		if !keyRE.MatchString(k.Value) {
			f.add(k, p, "invalid_key", "key %q must be lower-case words joined by _ or .", k.Value)
			return
		}
		if s, ok := f.str(v, p); ok && s != "" {
			into[k.Value] = s
		} else if ok {
			f.add(v, p, "required", "required")
		}
	})
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

func joinPath(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}
