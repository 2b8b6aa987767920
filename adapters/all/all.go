// Package all blank-imports every adapter package so that their init
// functions register them. cmd/revhub and cmd/docgen import it; add a line
// here when you add an adapter package.
package all

import (
	_ "github.com/revhub/revhub/adapters/csvgl"
	_ "github.com/revhub/revhub/adapters/einvoiceportal"
	_ "github.com/revhub/revhub/adapters/embedded"
	_ "github.com/revhub/revhub/adapters/invoicedelivery"
	_ "github.com/revhub/revhub/adapters/invoicepdf"
	_ "github.com/revhub/revhub/adapters/mail"
	_ "github.com/revhub/revhub/adapters/nacha"
	_ "github.com/revhub/revhub/adapters/nats"
	_ "github.com/revhub/revhub/adapters/postgres"
	_ "github.com/revhub/revhub/adapters/sapidoc"
	_ "github.com/revhub/revhub/adapters/sftp"
	_ "github.com/revhub/revhub/adapters/x12/x835"
)
