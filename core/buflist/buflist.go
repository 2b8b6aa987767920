// Package buflist keeps large byte buffers from one use to the next. Unlike
// a sync.Pool, whose contents go at every garbage collection, it keeps them
// until they are taken: a buffer of hundreds of kilobytes made afresh is
// cleared and faulted in page by page, which costs more than filling it.
package buflist

// List keeps up to a fixed number of buffers, none larger than a bound.
type List struct {
	bufs   chan []byte
	maxCap int
}

// New returns a list of at most n buffers of at most maxCap bytes each.
func New(n, maxCap int) *List { return &List{bufs: make(chan []byte, n), maxCap: maxCap} }

// Get returns an empty buffer with room for n bytes: a kept one if one is
// large enough, else a new one.
func (l *List) Get(n int) []byte {
	select {
	case b := <-l.bufs:
		if cap(b) >= n {
			return b[:0]
		}
	default:
	}
	return make([]byte, 0, n)
}

// Put keeps b for a later Get unless the list is full or b is larger than
// its bound. Nothing may use b afterwards.
func (l *List) Put(b []byte) {
	if cap(b) == 0 || cap(b) > l.maxCap {
		return
	}
	select {
	case l.bufs <- b[:0]:
	default:
	}
}
