package par

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

func TestEachCallsEveryIndexOnce(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 5, 100} {
		for _, n := range []int{0, 1, 2, 7, 1000} {
			calls := make([]atomic.Int32, n)
			Each(workers, n, func(i int) { calls[i].Add(1) })
			for i := range calls {
				if c := calls[i].Load(); c != 1 {
					t.Fatalf("workers %d, n %d: index %d called %d times", workers, n, i, c)
				}
			}
		}
	}
}

func TestEachRaisesTheFirstPanic(t *testing.T) {
	for _, workers := range []int{2, 4} {
		var done atomic.Int32
		got := func() (p any) {
			defer func() { p = recover() }()
			Each(workers, 50, func(i int) {
				if i == 7 || i == 30 {
					panic(i)
				}
				done.Add(1)
			})
			return nil
		}()
		var wp *Panic
		if err, ok := got.(error); !ok || !errors.As(err, &wp) {
			t.Fatalf("workers %d: recovered %v (%T), want a *Panic", workers, got, got)
		}
		if wp.Value != 7 {
			t.Errorf("workers %d: panic value %v, want 7 (the lowest index that panicked)", workers, wp.Value)
		}
		if !strings.Contains(string(wp.Stack), "par.TestEachRaisesTheFirstPanic") {
			t.Errorf("workers %d: the stack does not show where the panic happened:\n%s", workers, wp.Stack)
		}
		if d := done.Load(); d != 48 {
			t.Errorf("workers %d: %d calls returned, want the 48 that did not panic", workers, d)
		}
	}
}

func TestEachOneWorkerPanicsAsIs(t *testing.T) {
	got := func() (p any) {
		defer func() { p = recover() }()
		Each(1, 3, func(i int) {
			if i == 1 {
				panic("one")
			}
		})
		return nil
	}()
	if got != "one" {
		t.Errorf("recovered %v (%T), want the panic value itself on the caller's goroutine", got, got)
	}
}
