package cloudformation

import "testing"

// TestYAMLLinesCursor checks that offsets computed by counting on from the
// last position are those computed from the start of the line, in any
// order of questions.
func TestYAMLLinesCursor(t *testing.T) {
	src := []byte("a: [1, 2, é, 3]\r\nb: \u2028c: ünï, d\n[x, y]")
	y := newYAMLLines(src)
	qs := [][2]int{{1, 1}, {1, 5}, {1, 12}, {1, 3}, {1, 40}, {1, 41}, {2, 1}, {3, 4}, {3, 2}, {3, 9}, {4, 2}, {4, 6}, {2, 3}, {9, 1}}
	for _, q := range qs {
		got := y.offset(q[0], q[1])
		if want := newYAMLLines(src).offset(q[0], q[1]); got != want {
			t.Errorf("line %d col %d: got offset %d, want %d", q[0], q[1], got, want)
		}
	}
}
