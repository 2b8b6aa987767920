package reference_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/mappings/reference"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/golden"
)

var sample = ports.Info{
	Port: "gl_export",
	Spec: ports.Spec{
		Name:     "sample_gl",
		Summary:  "Posts ledger batches to a sample ledger.",
		Examples: []string{"partner_number: ACME01\ncredentials_ref: env:SAMPLE_GL\n"},
	},
	ConfigType: reflect.TypeFor[struct{}](),
	Fields: []ports.Field{
		{Key: "partner_number", Type: "string", Required: true, Doc: "partner | profile id"},
		{Key: "timeout", Type: "duration", Default: "30s", Doc: "per request"},
		{Key: "credentials_ref", Type: "string", Doc: "login", Secret: true},
	},
}

var bare = ports.Info{Port: "tariff", Spec: ports.Spec{Name: "bare", Summary: "No settings."}, ConfigType: reflect.TypeFor[time.Time]()}

func TestText_golden(t *testing.T) {
	var b bytes.Buffer
	if err := reference.Text(&b, []ports.Info{sample, bare}); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "list.golden.txt", b.Bytes())
}

func TestMarkdown_golden(t *testing.T) {
	for _, info := range []ports.Info{sample, bare} {
		var b bytes.Buffer
		if err := reference.Markdown(&b, info); err != nil {
			t.Fatal(err)
		}
		golden.Assert(t, reference.FileName(info), b.Bytes())
	}
}

// TestTextAndMarkdownAgree checks that both renderings carry every cell of
// every field, so the CLI and the docs cannot drift.
func TestTextAndMarkdownAgree(t *testing.T) {
	var txt, md bytes.Buffer
	reference.Text(&txt, []ports.Info{sample})
	reference.Markdown(&md, sample)
	for _, f := range sample.Fields {
		for _, cell := range []string{f.Key, f.Type, f.Default, strings.Split(f.Doc, " |")[0]} {
			if !strings.Contains(txt.String(), cell) || !strings.Contains(md.String(), cell) {
				t.Errorf("cell %q missing from one rendering", cell)
			}
		}
	}
}

func TestText_noAdapters(t *testing.T) {
	var b bytes.Buffer
	reference.Text(&b, nil)
	if b.String() != "no adapters are registered in this build\n" {
		t.Errorf("got %q", b.String())
	}
}
