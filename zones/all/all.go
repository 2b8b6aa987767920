// Package all blank-imports every zone bundle so that their init functions
// register zones, e-invoice formatters and tariff sources.
package all

import (
	_ "github.com/revhub/revhub/zones/de"
	_ "github.com/revhub/revhub/zones/ee"
	_ "github.com/revhub/revhub/zones/fr"
	_ "github.com/revhub/revhub/zones/us"
)
