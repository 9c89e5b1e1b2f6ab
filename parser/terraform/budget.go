package terraform

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// No input may make the analysis run away. Two guards:
//
//   - Nesting. hcl/v2 parses recursively without a limit, so a file of
//     200,000 opening parentheses overflows the goroutine stack. Every text
//     handed to hclsyntax (configuration, tfvars, template files, the
//     strings of .tf.json files) is first scanned for its nesting of
//     brackets, parentheses and braces (which includes ${ and %{); a text
//     nested deeper than maxNesting is refused with a diagnostic at the
//     place where the limit is crossed.
//   - An evaluation budget per module. Every value computed is measured:
//     a string longer than maxString, a collection longer than
//     maxCollection or a value of more than maxElements elements in all is
//     over budget. Functions that can build large values from small inputs
//     (range, setproduct, indent, format, formatlist, join, concat,
//     replace) check their arguments before they run; every function call,
//     expression evaluated and iteration of a for expression is a step, and
//     a module has maxSteps. Over budget, the expression is unknown and a
//     note names the place; doubling local values and nested for
//     expressions stop there.
//   - Numbers. A cty number has arbitrary precision, and writing one as
//     text (a template, tostring, jsonencode, format, an object key) takes
//     time that grows faster than its digits: 1e8888880 took 26 s,
//     1e-100000 3.6 s, and reading a literal of a million digits 4 s. A
//     number literal, the result of arithmetic and a function result whose
//     magnitude is beyond 2^±maxNumberExp is unknown, with a note; a text
//     with a run of more than maxDigits digits is refused like a deep one,
//     and tonumber, parseint and jsondecode refuse longer numbers before
//     reading them.

// Limits of the guards.
const (
	maxNesting    = 256
	maxString     = 1 << 20
	maxCollection = 10_000
	maxElements   = 100_000
	maxSteps      = 250_000
	// maxNumberExp bounds the binary exponent of a number either way:
	// 2^2048 is about 3e616, far beyond float64; writing such a number
	// takes well under a millisecond.
	maxNumberExp = 2048
	// maxDigits bounds a run of digits in a text, and maxNumberText the
	// text tonumber, parseint and jsondecode read as one number (more
	// than maxNumberExp allows in any case, but for zeros).
	maxDigits     = 1 << 16
	maxNumberText = 1 << 10
)

// errBudget is the error of a computation over budget.
var errBudget = errors.New("evaluation budget exceeded")

// budgetError tells what went over budget.
type budgetError struct{ what string }

func (e *budgetError) Error() string { return e.what + ": not evaluated (" + errBudget.Error() + ")" }

func (e *budgetError) Unwrap() error { return errBudget }

// nestingOffset returns the byte offset in src where nesting exceeds
// maxNesting, or -1. It counts (, [ and { against their closers over the
// raw bytes, strings and comments included: a conservative count that real
// configuration stays far below.
func nestingOffset(src []byte) int {
	depth := 0
	for i, c := range src {
		switch c {
		case '(', '[', '{':
			depth++
			if depth > maxNesting {
				return i
			}
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return -1
}

// digitsOffset returns the byte offset in src where a run of digits
// grows longer than limit, or -1.
func digitsOffset[T string | []byte](src T, limit int) int {
	run := 0
	for i := range len(src) {
		if src[i] < '0' || src[i] > '9' {
			run = 0
			continue
		}
		if run++; run > limit {
			return i
		}
	}
	return -1
}

// tooDeep reports, with a diagnostic, whether text of source s (or the
// whole source when text is nil) nests deeper than maxNesting or holds a
// number of more than maxDigits digits.
func (m *module) tooDeep(s *source, text []byte) bool {
	if text == nil {
		text = s.text
	}
	var what string
	off := nestingOffset(text)
	if off >= 0 {
		what = fmt.Sprintf("nesting deeper than %d levels", maxNesting)
	} else if off = digitsOffset(text, maxDigits); off >= 0 {
		what = fmt.Sprintf("a number of more than %d digits", maxDigits)
	} else {
		return false
	}
	at := s.loc.Range(s.off(off), s.off(off+1))
	m.diag(at, what+"; not read")
	return true
}

// hugeNumber reports whether v is a known number beyond 2^±maxNumberExp
// in magnitude (infinities aside: they are written as such).
func hugeNumber(v cty.Value) bool {
	if v.Type() != cty.Number || !v.IsKnown() || v.IsNull() {
		return false
	}
	v, _ = v.Unmark()
	f := v.AsBigFloat()
	if f.IsInf() {
		return false
	}
	exp := f.MantExp(nil)
	return exp > maxNumberExp || exp < -maxNumberExp
}

// errHugeNumber is the budget error of a number beyond maxNumberExp.
var errHugeNumber = &budgetError{fmt.Sprintf("a number beyond 2^%d or below 2^-%d in magnitude", maxNumberExp, maxNumberExp)}

// boundNumber makes a number literal beyond maxNumberExp unknown, with a
// note.
func (m *module) boundNumber(lit *hclsyntax.LiteralValueExpr) {
	if hugeNumber(lit.Val) {
		lit.Val = cty.UnknownVal(cty.Number)
		m.note(m.rng(lit.SrcRange), errHugeNumber.Error())
	}
}

// checkedOps are the arithmetic operations with a result beyond
// maxNumberExp refused: a few multiplications of bounded literals reach
// any size.
var checkedOps = func() map[*hclsyntax.Operation]*hclsyntax.Operation {
	ops := map[*hclsyntax.Operation]*hclsyntax.Operation{}
	for _, op := range []*hclsyntax.Operation{hclsyntax.OpAdd, hclsyntax.OpSubtract, hclsyntax.OpMultiply, hclsyntax.OpDivide, hclsyntax.OpModulo} {
		f := op.Impl
		ops[op] = &hclsyntax.Operation{Type: op.Type, ShortCircuit: op.ShortCircuit, Impl: function.New(&function.Spec{
			Params: f.Params(),
			Type:   f.ReturnTypeForValues,
			Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
				v, err := f.Call(args)
				if err == nil && hugeNumber(v) {
					return cty.UnknownVal(ret), errHugeNumber
				}
				return v, err
			},
		})}
	}
	return ops
}()

// isHugeOp reports whether d is the error of a checked arithmetic
// operation whose result was refused.
func isHugeOp(d *hcl.Diagnostic) bool {
	b, ok := d.Expression.(*hclsyntax.BinaryOpExpr)
	if !ok || d.Subject == nil || !strings.Contains(d.Detail, errHugeNumber.Error()) {
		return false
	}
	for _, c := range checkedOps {
		if b.Op == c {
			return true
		}
	}
	return false
}

// stepsExceeded is what a budgetError says when the steps ran out.
const stepsExceeded = "too many evaluation steps"

// charge charges one evaluation step; false when the module has none left.
func (m *module) charge() bool {
	if m.steps >= maxSteps {
		m.budgetHits++
		return false
	}
	m.steps++
	return true
}

// overSize reports whether v is larger than the budget allows; elements
// are counted until the limit is reached.
func overSize(v cty.Value) bool {
	n := 0
	return sizeOver(v, &n, 0)
}

func sizeOver(v cty.Value, n *int, depth int) bool {
	*n++
	if *n > maxElements || depth > maxDepth {
		return true
	}
	if !v.IsKnown() || v.IsNull() {
		return false
	}
	ty := v.Type()
	switch {
	case ty == cty.Number:
		return hugeNumber(v)
	case ty == cty.String:
		l := len(v.AsString())
		*n += l / 64
		return l > maxString || *n > maxElements
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty.IsMapType() || ty.IsObjectType():
		if ty.IsCollectionType() || ty.IsTupleType() {
			if v.LengthInt() > maxCollection {
				return true
			}
		}
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			if sizeOver(ev, n, depth+1) {
				return true
			}
		}
	}
	return false
}

// budgeted wraps a function of the evaluation context: each call is a
// step, arguments that would build a value over budget are refused before
// the call, and a result over budget is refused after it.
func (m *module) budgeted(name string, f function.Function) function.Function {
	spec := &function.Spec{
		Params:   f.Params(),
		VarParam: f.VarParam(),
		Type:     f.ReturnTypeForValues,
		Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
			if !m.charge() {
				return cty.UnknownVal(ret), &budgetError{stepsExceeded}
			}
			if err := precheck(name, args); err != nil {
				m.budgetHits++
				return cty.UnknownVal(ret), err
			}
			v, err := f.Call(args)
			if err != nil {
				return v, err
			}
			if overSize(v) {
				m.budgetHits++
				return cty.UnknownVal(ret), &budgetError{"the result of " + name + " is too large"}
			}
			return v, nil
		},
	}
	return function.New(spec)
}

// precheck refuses the arguments of functions whose result can be much
// larger than their arguments.
func precheck(name string, args []cty.Value) error {
	tooLarge := &budgetError{"the result of " + name + " would be too large"}
	known := func(v cty.Value) bool { return v.IsWhollyKnown() && !v.IsNull() }
	switch name {
	case "tonumber", "parseint", "jsondecode":
		// Reading a number of n digits takes time in n².
		if len(args) > 0 && known(args[0]) && args[0].Type() == cty.String {
			s := args[0].AsString()
			if digitsOffset(s, maxNumberText) >= 0 || name != "jsondecode" && len(s) > maxNumberText {
				return &budgetError{fmt.Sprintf("the argument of %s holds a number longer than %d characters", name, maxNumberText)}
			}
		}
	case "range":
		if n, ok := rangeLen(args); ok && n > maxCollection {
			return tooLarge
		}
	case "setproduct":
		total := 1
		for _, a := range args {
			if !known(a) || !a.CanIterateElements() {
				continue
			}
			total *= max(a.LengthInt(), 1)
			if total > maxCollection {
				return tooLarge
			}
		}
	case "concat":
		total := 0
		for _, a := range args {
			if known(a) && a.CanIterateElements() {
				total += a.LengthInt()
			}
		}
		if total > maxCollection {
			return tooLarge
		}
	case "indent":
		if len(args) == 2 && known(args[0]) && known(args[1]) && args[0].Type() == cty.Number && args[1].Type() == cty.String {
			n, _ := wholeNumber(args[0])
			s := args[1].AsString()
			if n < 0 || n > maxString || (n*int64(strings.Count(s, "\n")+1))+int64(len(s)) > maxString {
				return tooLarge
			}
		}
	case "format", "formatlist":
		if len(args) > 0 && known(args[0]) && args[0].Type() == cty.String && hugeWidth(args[0].AsString()) {
			return tooLarge
		}
	case "join":
		total := 0
		for i, a := range args {
			if i == 0 || !known(a) || !a.CanIterateElements() {
				continue
			}
			for it := a.ElementIterator(); it.Next(); {
				_, ev := it.Element()
				if ev.Type() == cty.String && ev.IsKnown() && !ev.IsNull() {
					total += len(ev.AsString())
				}
				if known(args[0]) && args[0].Type() == cty.String {
					total += len(args[0].AsString())
				}
				if total > maxString {
					return tooLarge
				}
			}
		}
	case "replace":
		if len(args) == 3 && known(args[0]) && known(args[1]) && known(args[2]) {
			s, sub, repl := args[0].AsString(), args[1].AsString(), args[2].AsString()
			n := strings.Count(s, sub)
			if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' || sub == "" {
				n = len(s) + 1 // a pattern may match anywhere
			}
			if len(s)+n*len(repl) > maxString {
				return tooLarge
			}
		}
	}
	return nil
}

// rangeLen is the number of elements range(args...) would return.
func rangeLen(args []cty.Value) (int64, bool) {
	nums := make([]*big.Float, 0, 3)
	for _, a := range args {
		if !a.IsKnown() || a.IsNull() || a.Type() != cty.Number {
			return 0, false
		}
		nums = append(nums, a.AsBigFloat())
	}
	start, step := big.NewFloat(0), big.NewFloat(1)
	var limit *big.Float
	switch len(nums) {
	case 1:
		limit = nums[0]
	case 2:
		start, limit = nums[0], nums[1]
	case 3:
		start, limit, step = nums[0], nums[1], nums[2]
	default:
		return 0, false
	}
	if step.Sign() == 0 {
		return 0, false
	}
	span := new(big.Float).Sub(limit, start)
	n := new(big.Float).Quo(span, step)
	f, _ := n.Float64()
	if f < 0 {
		return 0, true
	}
	if f > float64(maxCollection)*2 {
		return int64(maxCollection) * 2, true
	}
	return int64(f) + 1, true
}

// hugeWidth reports whether a format string asks for a width or precision
// above maxString (%999999999d).
func hugeWidth(format string) bool {
	digits := 0
	for i := range len(format) {
		c := format[i]
		if c >= '0' && c <= '9' {
			digits++
			if digits >= 7 {
				return true
			}
			continue
		}
		digits = 0
	}
	return false
}

// Names of the functions that charge the iterations of for expressions.
const (
	forCollFunc = "__trustlint_for_collection"
	forStepFunc = "__trustlint_for_step"
)

// guard makes every for expression of e charge the module's budget: its
// collection is measured before the loop, each element it produces is a
// step. The expressions are wrapped in calls to internal functions that
// keep their ranges. Number literals and arithmetic are bounded
// (maxNumberExp).
func (m *module) guard(e hclsyntax.Node) {
	var fors []*hclsyntax.ForExpr
	_ = hclsyntax.VisitAll(e, func(n hclsyntax.Node) hcl.Diagnostics {
		switch n := n.(type) {
		case *hclsyntax.ForExpr:
			fors = append(fors, n)
		case *hclsyntax.LiteralValueExpr:
			m.boundNumber(n)
		case *hclsyntax.BinaryOpExpr:
			if c := checkedOps[n.Op]; c != nil {
				n.Op = c
			}
		}
		return nil
	})
	wrap := func(name string, x hclsyntax.Expression) hclsyntax.Expression {
		if x == nil {
			return nil
		}
		r := x.Range()
		return &hclsyntax.FunctionCallExpr{Name: name, Args: []hclsyntax.Expression{x}, NameRange: r, OpenParenRange: r, CloseParenRange: r}
	}
	for _, f := range fors {
		f.CollExpr = wrap(forCollFunc, f.CollExpr)
		f.ValExpr = wrap(forStepFunc, f.ValExpr)
	}
}

// forFunctions are the functions guard calls.
func (m *module) forFunctions(fns map[string]function.Function) {
	pass := func(check func(v cty.Value) error) function.Function {
		return function.New(&function.Spec{
			Params: []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true, AllowNull: true, AllowMarked: true}},
			Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
			Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
				if err := check(args[0]); err != nil {
					m.budgetHits++
					return cty.UnknownVal(ret), err
				}
				return args[0], nil
			},
		})
	}
	fns[forCollFunc] = pass(func(v cty.Value) error {
		if !m.charge() {
			return &budgetError{stepsExceeded}
		}
		if v.IsKnown() && !v.IsNull() && v.CanIterateElements() && v.LengthInt() > maxCollection {
			return &budgetError{"the collection of a for expression is too large"}
		}
		return nil
	})
	fns[forStepFunc] = pass(func(v cty.Value) error {
		if !m.charge() {
			return &budgetError{stepsExceeded}
		}
		if overSize(v) {
			return &budgetError{"a value of a for expression is too large"}
		}
		return nil
	})
}
