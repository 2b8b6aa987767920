package mappings

import (
	"fmt"
	"strings"
)

// Problem is one error or warning in the configuration tree.
type Problem struct {
	File string // slash-separated, relative to the tree's root: "tenants/acme/org-berlin.yaml"
	Line int    // 1-based; 0 when unknown
	Path string // dotted field path: "bindings.gl_export.sap_idoc.partner_number"
	Code string // stable slug: "required", "unknown_key", "unknown_adapter", "inline_secret", ...
	Msg  string // what was expected
	Err  error  // optional cause
}

func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	if p.Path != "" {
		b.WriteString(": ")
		b.WriteString(p.Path)
	}
	b.WriteString(": ")
	if p.Msg != "" {
		b.WriteString(p.Msg)
	} else {
		b.WriteString(p.Code)
	}
	return b.String()
}

// Unwrap returns the cause.
func (p *Problem) Unwrap() error { return p.Err }

// Problems is an accumulated list, in file order.
type Problems []*Problem

func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap exposes each problem to errors.Is and errors.As.
func (ps Problems) Unwrap() []error {
	out := make([]error, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}

// Err returns nil when ps is empty, else ps.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}
