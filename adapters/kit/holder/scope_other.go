//go:build !linux

package holder

// readScope cannot tell processes' namespaces apart here: no holder is
// judged gone, and leases run out.
func readScope() string { return "" }

func processAlive(int) bool { return true }
