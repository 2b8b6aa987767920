package x835

// pool hands out elements from chunks that never move, so slices cut from a
// chunk stay valid while the pool keeps filling. Each owner's elements (one
// line's adjustments, one claim's lines) form a run that is kept contiguous:
// a run that outgrows its chunk moves to a fresh one.
type pool[T any] struct {
	buf   []T
	start int        // first element of the open run
	added int        // elements added since the pool was sized
	next  func() int // the size of the next chunk, given added; nil: double
}

// add appends a zero element to the open run and returns a pointer to it.
func (p *pool[T]) add() *T {
	if len(p.buf) == cap(p.buf) {
		p.grow()
	}
	p.added++
	p.buf = p.buf[:len(p.buf)+1]
	return &p.buf[len(p.buf)-1]
}

func (p *pool[T]) grow() {
	run := p.buf[p.start:]
	size := min(max(2*cap(p.buf), 256), 1<<16)
	if p.next != nil {
		size = p.next()
	}
	chunk := make([]T, len(run), max(size, 2*len(run), 16))
	copy(chunk, run)
	p.buf, p.start = chunk, 0
}

// reserve starts a chunk of n elements; next sizes the ones after it.
func (p *pool[T]) reserve(n int, next func() int) {
	p.buf, p.start, p.next = make([]T, 0, n), 0, next
}

// last returns the most recent element of the open run; the run is not empty.
func (p *pool[T]) last() *T { return &p.buf[len(p.buf)-1] }

// runLen returns the number of elements in the open run.
func (p *pool[T]) runLen() int { return len(p.buf) - p.start }

// close ends the open run and returns it (nil when empty).
func (p *pool[T]) close() []T {
	n := len(p.buf)
	if n == p.start {
		return nil
	}
	run := p.buf[p.start:n:n]
	p.start = n
	return run
}

// reset forgets every element of the current chunk, zeroing it for reuse:
// the slices handed out from it are overwritten by later adds.
func (p *pool[T]) reset() {
	clear(p.buf)
	p.buf, p.start = p.buf[:0], 0
}
