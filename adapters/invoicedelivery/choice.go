// Package invoicedelivery composes invoice delivery: an SFTP drop channel
// over any registered payout_delivery FileDropper (sftp: pinned host key,
// temp name then rename), a channel chain that falls back when a channel
// rejects or is down (portal, then e-mail), and Outbox, the outbox
// Deliverer that renders an issued invoice, sends it and records the
// outcome per invoice (document kind "invoice_delivery") and in sync status.
package invoicedelivery

import (
	"bytes"
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/revhub/revhub/ports"
)

// Choice is a nested adapter binding in the one-key style of mappings:
// `{sftp: {host: ..., user: ...}}`. Its settings are decoded strictly by the
// chosen adapter's registry.
type Choice struct {
	Name     string
	settings *yaml.Node
}

// UnmarshalYAML reads a single-key mapping.
func (c *Choice) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return errors.New("want exactly one adapter name as key, e.g. {email: {...}}")
	}
	c.Name, c.settings = n.Content[0].Value, n.Content[1]
	return nil
}

// Decoder decodes the settings strictly: unknown keys are errors.
func (c Choice) Decoder() ports.Decoder {
	return func(into any) error {
		if c.settings == nil || c.settings.Tag == "!!null" {
			return nil
		}
		raw, err := yaml.Marshal(c.settings)
		if err != nil {
			return err
		}
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		dec.KnownFields(true)
		if err := dec.Decode(into); err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
		return nil
	}
}

// NewChoice builds a Choice from a name and settings given as YAML (tests, fixed wiring).
func NewChoice(name, settings string) (Choice, error) {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(settings), &n); err != nil {
		return Choice{}, err
	}
	c := Choice{Name: name}
	if len(n.Content) > 0 {
		c.settings = n.Content[0]
	}
	return c, nil
}
