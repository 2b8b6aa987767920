package pricing

// prefetchSlots starts loading the four cache lines of each of two slots
// without waiting for them, so that work not needing the slots (a charge's
// rules) runs while they arrive from memory.
//
//go:noescape
func prefetchSlots(a, b *int32)
