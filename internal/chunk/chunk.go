// Package chunk is a list that grows in chunks of a fixed size once it
// outgrows its first, so that a list of millions of elements grows without
// copying them (and without the garbage of the copies: a slice grown by
// appending allocates several times its final size), while a short list
// stays a short slice.
package chunk

import "slices"

// Size is the number of elements of a chunk after the first. It is even:
// pairs appended together share a chunk.
const Size = 1 << 12

// List is a list of T in chunks. Its zero value is empty and ready to use.
type List[T any] struct{ chunks [][]T }

// Len returns the number of elements.
func (l *List[T]) Len() int {
	if len(l.chunks) == 0 {
		return 0
	}
	return (len(l.chunks)-1)*Size + len(l.chunks[len(l.chunks)-1])
}

// At returns element i.
func (l *List[T]) At(i int) *T { return &l.chunks[i/Size][i%Size] }

// Append adds v at the end. The first chunk grows as a slice; later ones
// are allocated whole.
func (l *List[T]) Append(v T) {
	last := len(l.chunks) - 1
	if last < 0 || len(l.chunks[last]) == Size {
		var c []T
		if last >= 0 {
			c = make([]T, 0, Size)
		}
		l.chunks = append(l.chunks, c)
		last++
	}
	l.chunks[last] = append(l.chunks[last], v)
}

// Reset empties l, keeping its first chunk for reuse.
func (l *List[T]) Reset() {
	if len(l.chunks) > 0 {
		l.chunks = append(l.chunks[:0], l.chunks[0][:0])
	}
}

// Take returns the elements as a list of their own and empties l. A list of
// one chunk, which grew by doubling, is copied when it has much unused room
// (l keeps the chunk for reuse); a longer one is handed over, its last
// chunk wasting at most Size elements.
func (l *List[T]) Take() List[T] {
	if len(l.chunks) == 1 {
		if c := l.chunks[0]; cap(c)-len(c) > len(c)/4 {
			t := List[T]{chunks: [][]T{slices.Clone(c)}}
			l.Reset()
			return t
		}
	}
	t := *l
	*l = List[T]{}
	return t
}
