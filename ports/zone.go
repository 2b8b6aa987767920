package ports

import (
	"fmt"
	"sort"
	"sync"

	"github.com/revhub/revhub/core/money"
)

// ZoneSpec describes a country bundle: currency, rounding, and the names of
// the e-invoice formats and tariff sources its organizations may bind.
type ZoneSpec struct {
	Country  string // ISO 3166-1 alpha-2, upper case: "DE"
	Name     string
	Currency money.Currency
	Rounding money.Rounding
	EInvoice []string // adapter names valid under bindings.einvoice
	Tariff   []string // adapter names valid under bindings.tariff
}

var (
	zonesMu sync.RWMutex
	zones   = map[string]ZoneSpec{}
)

// RegisterZone adds a zone; it panics on a duplicate country.
func RegisterZone(z ZoneSpec) {
	zonesMu.Lock()
	defer zonesMu.Unlock()
	if _, dup := zones[z.Country]; dup {
		panic(fmt.Sprintf("ports: duplicate zone %s", z.Country))
	}
	zones[z.Country] = z
}

// Zone returns the zone for a country code.
func Zone(country string) (ZoneSpec, bool) {
	zonesMu.RLock()
	defer zonesMu.RUnlock()
	z, ok := zones[country]
	return z, ok
}

// Zones lists registered countries, sorted.
func Zones() []string {
	zonesMu.RLock()
	defer zonesMu.RUnlock()
	out := make([]string, 0, len(zones))
	for c := range zones {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
