package rules

import "testing"

func TestFormatNumber(t *testing.T) {
	tests := map[float64]string{
		204518736390: "204518736390",
		43200:        "43200",
		-3:           "-3",
		0.5:          "0.5",
		1e300:        "1e+300",
	}
	for x, want := range tests {
		if got := formatNumber(x); got != want {
			t.Errorf("formatNumber(%v) = %q, want %q", x, got, want)
		}
	}
}
