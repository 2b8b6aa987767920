// Package ports declares every interface between the core and the outside
// world, in domain language, and the registries through which adapters
// serve them. Adapters register in init(); mappings choose them by name.
package ports
