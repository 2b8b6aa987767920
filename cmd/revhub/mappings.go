package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	_ "github.com/revhub/revhub/adapters/all"
	"github.com/revhub/revhub/mappings"
	_ "github.com/revhub/revhub/zones/all"
)

func init() {
	register("mappings", "validate a mappings tree: revhub mappings validate DIR", runMappings)
}

// runMappings prints every error as file:line: path: message, then the
// warnings, and fails when there are errors.
func runMappings(_ context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) != 2 || args[0] != "validate" {
		return exitUsage{"usage: revhub mappings validate DIR"}
	}
	warns, err := mappings.Validate(args[1])
	var ps mappings.Problems
	if err != nil && !errors.As(err, &ps) {
		return err
	}
	for _, p := range ps {
		fmt.Fprintln(stdout, p)
	}
	for _, w := range warns {
		fmt.Fprintf(stdout, "warning: %v\n", w)
	}
	if len(ps) > 0 {
		return fmt.Errorf("%s: %d errors, %d warnings", args[1], len(ps), len(warns))
	}
	fmt.Fprintf(stdout, "%s: ok (%d warnings)\n", args[1], len(warns))
	return nil
}
