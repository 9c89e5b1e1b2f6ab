package chunk

import "testing"

// TestList checks Len and At across chunks, that Reset empties the list,
// and that Take hands the elements over (copied or not) and leaves an
// empty list that is independent of them.
func TestList(t *testing.T) {
	for _, n := range []int{0, 1, 100, Size, Size + 1, 3*Size + 7} {
		var l List[int]
		for i := range n {
			l.Append(i)
		}
		if l.Len() != n {
			t.Fatalf("%d appended: Len %d", n, l.Len())
		}
		for i := range n {
			if *l.At(i) != i {
				t.Fatalf("%d appended: At(%d) = %d", n, i, *l.At(i))
			}
		}
		got := l.Take()
		if l.Len() != 0 || got.Len() != n {
			t.Fatalf("%d appended: after Take, Len %d and %d", n, l.Len(), got.Len())
		}
		for i := range 5 {
			l.Append(-1 - i) // must not write into the taken elements
		}
		for i := range n {
			if *got.At(i) != i {
				t.Fatalf("%d appended: taken At(%d) = %d after reuse", n, i, *got.At(i))
			}
		}
		l.Reset()
		if l.Len() != 0 {
			t.Fatalf("Len %d after Reset", l.Len())
		}
	}
}
