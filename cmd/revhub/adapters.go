package main

import (
	"context"
	"io"

	"github.com/revhub/revhub/mappings/reference"
	"github.com/revhub/revhub/ports"
)

func init() {
	register("adapters", "list every registered adapter and its settings: revhub adapters list", runAdapters)
}

// runAdapters prints what `make docs` renders, as plain text.
func runAdapters(_ context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) != 1 || args[0] != "list" {
		return exitUsage{"usage: revhub adapters list"}
	}
	return reference.Text(stdout, ports.Adapters())
}
