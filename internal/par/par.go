// Package par runs independent pieces of work on a few goroutines.
package par

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Each calls fn(i) for every i in [0, n) on up to workers goroutines
// (GOMAXPROCS when workers <= 0) and returns once every call has returned.
// With one worker or one item, fn runs on the caller's goroutine. The
// calls take the indices in increasing order, so the first ones start
// first; fn must be safe to call concurrently for distinct indices.
//
// A panic in fn is raised again on the caller's goroutine once every call
// has returned, as a *Panic holding the panic of the lowest index and the
// stack where it happened: a caller that recovers from panics (a parser
// turning one into a diagnostic) keeps doing so.
func Each(workers, n int, fn func(i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var (
		next   atomic.Int64
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed *Panic
		at     = n
	)
	call := func(i int) {
		defer func() {
			if v := recover(); v != nil {
				mu.Lock()
				if i < at {
					failed, at = &Panic{Value: v, Stack: debug.Stack()}, i
				}
				mu.Unlock()
			}
		}()
		fn(i)
	}
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				call(i)
			}
		})
	}
	wg.Wait()
	if failed != nil {
		panic(failed)
	}
}

// Panic is a panic of a call of Each, raised again on Each's caller.
type Panic struct {
	Value any    // what the call panicked with
	Stack []byte // the stack of the goroutine that panicked
}

func (p *Panic) Error() string {
	return fmt.Sprintf("%v\n\n(on a worker goroutine:)\n%s", p.Value, p.Stack)
}
