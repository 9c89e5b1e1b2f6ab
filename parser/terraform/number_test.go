package terraform

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// TestNumberText checks that numberText writes every number exactly as
// big.Float.Text('f', -1) does, at the precisions cty numbers have (512
// for literals and arithmetic, 53 from float64, 64 from int64).
func TestNumberText(t *testing.T) {
	var nums []*big.Float
	add := func(f *big.Float) { nums = append(nums, f) }
	for _, s := range []string{"0", "1", "-1", "111122223333", "999988887777", "3600", "43200", "-0", "0.5", "0.1", "1e18",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "1e-7", "2.5e3"} {
		v, err := cty.ParseNumberVal(s)
		if err != nil {
			t.Fatal(err)
		}
		add(v.AsBigFloat())
	}
	negZero := new(big.Float).Neg(new(big.Float))
	add(negZero)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		i := rng.Int64() >> rng.UintN(64)
		if rng.IntN(2) == 0 {
			i = -i
		}
		add(cty.NumberIntVal(i).AsBigFloat())
		add(big.NewFloat(float64(i)))                                           // precision 53: 2^60 reads as 1152921504606847000
		add(new(big.Float).SetPrec(512).SetInt64(i))                            // a literal
		add(big.NewFloat(math.Ldexp(float64(rng.Int64N(1<<53)), rng.IntN(80)))) // large float64 integers
		add(big.NewFloat(rng.Float64() * 1e6))
	}
	for _, f := range nums {
		if got, want := numberText(f), f.Text('f', -1); got != want {
			t.Fatalf("numberText(%s at precision %d) = %s, want %s", f.Text('g', 30), f.Prec(), got, want)
		}
	}
}
