package pospace

import (
	"fmt"
	"sync"
)

// prefetcher prepares items 0…n−1 in order on its own goroutine, one item ahead of the
// consumer: two buffers of type T circulate between them. The plotter uses it to read and sort
// bucket b+1 while bucket b is matched; the converter, while bucket b is numbered and encoded.
// The consumer sees the items in order, so what it writes does not depend on the goroutines'
// timing.
type prefetcher[T any] struct {
	ready chan *T
	free  chan *T
	quit  chan struct{}
	err   error // set by the goroutine before it closes ready
	once  sync.Once
}

// prefetch starts the goroutine; load fills buffer s for item i (s holds an earlier item's data
// for reuse).
func prefetch[T any](n int, load func(i int, s *T) error) *prefetcher[T] {
	pf := &prefetcher[T]{
		ready: make(chan *T, 1),
		free:  make(chan *T, 2),
		quit:  make(chan struct{}),
	}
	pf.free <- new(T)
	pf.free <- new(T)
	go func() {
		defer close(pf.ready)
		for i := range n {
			var s *T
			select {
			case s = <-pf.free:
			case <-pf.quit:
				return
			}
			if err := load(i, s); err != nil {
				pf.err = err
				return
			}
			select {
			case pf.ready <- s:
			case <-pf.quit:
				return
			}
		}
	}()
	return pf
}

// next returns the next item in order; the caller hands its buffer back with done.
func (pf *prefetcher[T]) next() (*T, error) {
	s, ok := <-pf.ready
	if !ok {
		if pf.err != nil {
			return nil, pf.err
		}
		return nil, fmt.Errorf("pospace: internal error: prefetched items ended early")
	}
	return s, nil
}

func (pf *prefetcher[T]) done(s *T) { pf.free <- s }

// stop ends the goroutine and waits for it (so that what it reads can be closed); it may be
// called more than once.
func (pf *prefetcher[T]) stop() {
	pf.once.Do(func() {
		close(pf.quit)
		for range pf.ready {
		}
	})
}
