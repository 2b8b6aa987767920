package capture

import (
	"fmt"
	"strconv"
	"strings"
)

// Counts is how many times each action happened, indexed by Action. It
// costs nothing to count into (one per event, thousands per batch), and
// encodes to JSON as an object of the nonzero counts by action name.
type Counts [len(actionNames)]int

// Of returns the count of the action named name ("create"), 0 for a name
// that is not an action.
func (c *Counts) Of(name string) int {
	for a, n := range actionNames {
		if n == name {
			return c[a]
		}
	}
	return 0
}

// Map returns the nonzero counts by action name.
func (c *Counts) Map() map[string]int {
	m := map[string]int{}
	for a, n := range c {
		if n != 0 {
			m[actionNames[a]] = n
		}
	}
	return m
}

// MarshalJSON encodes the nonzero counts as an object, names in order.
func (c Counts) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for _, a := range sortedActions {
		if c[a] == 0 {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(append(strconv.AppendQuote(b, actionNames[a]), ':'), int64(c[a]), 10)
	}
	return append(b, '}'), nil
}

// String lists the nonzero counts, names in order: "create:2 ignore:1".
func (c Counts) String() string {
	var parts []string
	for _, a := range sortedActions {
		if c[a] != 0 {
			parts = append(parts, fmt.Sprintf("%s:%d", actionNames[a], c[a]))
		}
	}
	return strings.Join(parts, " ")
}

// sortedActions are the actions in the order of their names.
var sortedActions = [...]Action{Create, Ignore, Replace, Reverse, Touch}
