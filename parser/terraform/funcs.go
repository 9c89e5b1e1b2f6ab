package terraform

import (
	"encoding/base64"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// baseFunctions are the Terraform functions the package evaluates that do
// not read files. Any other function makes its call unknown.
var baseFunctions = map[string]function.Function{
	"abs":             stdlib.AbsoluteFunc,
	"alltrue":         boolsFunc(true),
	"anytrue":         boolsFunc(false),
	"base64decode":    base64DecodeFunc,
	"base64encode":    base64EncodeFunc,
	"can":             tryfunc.CanFunc,
	"ceil":            stdlib.CeilFunc,
	"chomp":           stdlib.ChompFunc,
	"chunklist":       stdlib.ChunklistFunc,
	"coalesce":        coalesceFunc,
	"coalescelist":    stdlib.CoalesceListFunc,
	"compact":         stdlib.CompactFunc,
	"concat":          stdlib.ConcatFunc,
	"contains":        stdlib.ContainsFunc,
	"csvdecode":       stdlib.CSVDecodeFunc,
	"distinct":        stdlib.DistinctFunc,
	"element":         stdlib.ElementFunc,
	"endswith":        endsWithFunc,
	"flatten":         stdlib.FlattenFunc,
	"floor":           stdlib.FloorFunc,
	"format":          stdlib.FormatFunc,
	"formatlist":      stdlib.FormatListFunc,
	"indent":          stdlib.IndentFunc,
	"index":           stdlib.IndexFunc,
	"join":            stdlib.JoinFunc,
	"jsondecode":      stdlib.JSONDecodeFunc,
	"jsonencode":      stdlib.JSONEncodeFunc,
	"keys":            stdlib.KeysFunc,
	"length":          lengthFunc,
	"log":             stdlib.LogFunc,
	"lookup":          lookupFunc,
	"lower":           stdlib.LowerFunc,
	"max":             stdlib.MaxFunc,
	"merge":           stdlib.MergeFunc,
	"min":             stdlib.MinFunc,
	"nonsensitive":    identityFunc,
	"one":             oneFunc,
	"parseint":        stdlib.ParseIntFunc,
	"pow":             stdlib.PowFunc,
	"range":           stdlib.RangeFunc,
	"regex":           stdlib.RegexFunc,
	"regexall":        stdlib.RegexAllFunc,
	"replace":         replaceFunc,
	"reverse":         stdlib.ReverseListFunc,
	"sensitive":       identityFunc,
	"setintersection": stdlib.SetIntersectionFunc,
	"setproduct":      stdlib.SetProductFunc,
	"setsubtract":     stdlib.SetSubtractFunc,
	"setunion":        stdlib.SetUnionFunc,
	"signum":          stdlib.SignumFunc,
	"slice":           stdlib.SliceFunc,
	"sort":            stdlib.SortFunc,
	"split":           stdlib.SplitFunc,
	"startswith":      startsWithFunc,
	"strcontains":     stringPredicate(strings.Contains),
	"strrev":          stdlib.ReverseFunc,
	"substr":          stdlib.SubstrFunc,
	"title":           stdlib.TitleFunc,
	"tobool":          stdlib.MakeToFunc(cty.Bool),
	"tolist":          stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
	"tomap":           stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
	"tonumber":        stdlib.MakeToFunc(cty.Number),
	"toset":           stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
	"tostring":        stdlib.MakeToFunc(cty.String),
	"trim":            stdlib.TrimFunc,
	"trimprefix":      stdlib.TrimPrefixFunc,
	"trimspace":       stdlib.TrimSpaceFunc,
	"trimsuffix":      stdlib.TrimSuffixFunc,
	"try":             tryfunc.TryFunc,
	"upper":           stdlib.UpperFunc,
	"values":          stdlib.ValuesFunc,
	"zipmap":          stdlib.ZipmapFunc,
}

// functions returns the function table of the module: the base functions,
// plus file, fileexists and (unless inside a template) templatefile,
// confined to the scanned tree.
func (m *module) functions(withTemplate bool) map[string]function.Function {
	fns := make(map[string]function.Function, len(baseFunctions)+5)
	for k, v := range baseFunctions {
		fns[k] = v
	}
	fns["file"] = m.fileFunc()
	fns["fileexists"] = m.fileExistsFunc()
	if withTemplate {
		fns["templatefile"] = m.templateFileFunc()
	}
	for k, v := range fns {
		if k != "try" && k != "can" { // they evaluate expressions, whose calls are charged
			fns[k] = m.budgeted(k, v)
		}
	}
	m.forFunctions(fns)
	return fns
}

// fileFunc is Terraform's file(path), reading relative to the module
// directory and never outside the scanned tree.
func (m *module) fileFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			src, _, err := m.readRef(p)
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			if !utf8.Valid(src) {
				return cty.UnknownVal(cty.String), errors.New("contents are not valid UTF-8")
			}
			return cty.StringVal(string(src)), nil
		},
	})
}

// fileExistsFunc is Terraform's fileexists(path), confined like file.
func (m *module) fileExistsFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			fsPath, _, err := m.resolvePath(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.Bool), err
			}
			_, err = m.readFile(fsPath)
			return cty.BoolVal(err == nil), nil
		},
	})
}

// templateFileFunc is Terraform's templatefile(path, vars): the file is
// read like file() and rendered with vars as its only variables.
func (m *module) templateFileFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true, AllowNull: true},
		},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			t, err := m.template(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			sc := m.templateScope(args[1], nil)
			v := knownString(m.eval(t.expr, sc))
			return v, nil
		},
	})
}

// templateScope makes the scope of a template rendered with vars; names
// are the expressions of vars when it is an object constructor.
func (m *module) templateScope(vars cty.Value, names map[string]hclsyntax.Expression) *scope {
	variables := map[string]cty.Value{}
	if vars.IsKnown() && !vars.IsNull() && (vars.Type().IsObjectType() || vars.Type().IsMapType()) {
		for it := vars.ElementIterator(); it.Next(); {
			k, v := it.Element()
			if k.Type() == cty.String && k.IsKnown() && hclsyntax.ValidIdentifier(k.AsString()) {
				variables[k.AsString()] = v
			}
		}
	}
	return &scope{ctx: &hcl.EvalContext{Variables: variables, Functions: m.functions(false)}, names: names}
}

// readRef reads a file named by file() or templatefile() and returns its
// display path.
func (m *module) readRef(p string) ([]byte, string, error) {
	fsPath, display, err := m.resolvePath(p)
	if err != nil {
		return nil, "", err
	}
	src, err := m.readFile(fsPath)
	if err != nil {
		return nil, "", &pathError{path: p, err: err}
	}
	return src, display, nil
}

// replaceFunc is Terraform's replace: a substring written /like this/ is a
// regular expression.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "str", Type: cty.String},
		{Name: "substr", Type: cty.String},
		{Name: "replace", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		sub := args[1].AsString()
		if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
			re := cty.StringVal(sub[1 : len(sub)-1])
			return stdlib.RegexReplace(args[0], re, args[2])
		}
		return stdlib.Replace(args[0], args[1], args[2])
	},
})

// lengthFunc is Terraform's length: of a collection, or of a string in
// characters.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if v.Type() == cty.String {
			return stdlib.Strlen(v)
		}
		return stdlib.Length(v)
	},
})

// coalesceFunc is Terraform's coalesce: the first argument that is neither
// null nor an empty string.
var coalesceFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "vals", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true, AllowNull: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		types := make([]cty.Type, len(args))
		for i, a := range args {
			types[i] = a.Type()
		}
		return stdlib.CoalesceFunc.ReturnType(types)
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		for _, a := range args {
			if !a.IsKnown() {
				return cty.UnknownVal(retType), nil
			}
			if a.IsNull() {
				continue
			}
			v, err := convert.Convert(a, retType)
			if err != nil {
				return cty.UnknownVal(retType), err
			}
			if v.Type() == cty.String && v.AsString() == "" {
				continue
			}
			return v, nil
		}
		return cty.NilVal, errors.New("no non-null, non-empty-string arguments")
	},
})

// lookupFunc is Terraform's lookup(map, key, default), whose default may
// be null (lookup(each.value, "external_id", null)); stdlib's refuses a
// null default, which made every such call unknown.
var lookupFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "inputMap", Type: cty.DynamicPseudoType},
		{Name: "key", Type: cty.String},
	},
	VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true},
	Type:     function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		coll, key := args[0], cty.StringVal(args[1].AsString())
		ty := coll.Type()
		switch {
		case len(args) > 3:
			return cty.NilVal, errors.New("lookup takes at most three arguments")
		case !ty.IsObjectType() && !ty.IsMapType():
			return cty.NilVal, errors.New("lookup() requires a map as the first argument")
		case !coll.IsWhollyKnown():
			return cty.DynamicVal, nil
		case ty.IsObjectType() && ty.HasAttribute(key.AsString()):
			return coll.GetAttr(key.AsString()), nil
		case ty.IsMapType() && coll.HasIndex(key).True():
			return coll.Index(key), nil
		case len(args) == 3:
			return args[2], nil
		}
		return cty.NilVal, errors.New("no element with the given key and no default")
	},
})

// oneFunc is Terraform's one(list): null for no element, the element for
// one, an error for more.
var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		l := args[0]
		ty := l.Type()
		switch {
		case !ty.IsListType() && !ty.IsSetType() && !ty.IsTupleType():
			return cty.NilVal, errors.New("one() requires a list, set or tuple")
		case !l.IsKnown():
			return cty.DynamicVal, nil
		case l.LengthInt() == 0:
			return cty.NullVal(cty.DynamicPseudoType), nil
		case l.LengthInt() > 1:
			return cty.NilVal, errors.New("one() of more than one element")
		}
		it := l.ElementIterator()
		it.Next()
		_, v := it.Element()
		return v, nil
	},
})

// boolsFunc is alltrue (all) or anytrue (!all) of a list of bools.
func boolsFunc(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if !args[0].IsWhollyKnown() {
				return cty.UnknownVal(cty.Bool), nil
			}
			for it := args[0].ElementIterator(); it.Next(); {
				_, v := it.Element()
				if v.IsNull() {
					return cty.NilVal, errors.New("null element")
				}
				if v.True() != all {
					return cty.BoolVal(!all), nil
				}
			}
			return cty.BoolVal(all), nil
		},
	})
}

// identityFunc is sensitive() and nonsensitive(): the value itself (the
// module drops marks).
var identityFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true}},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl:   func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
})

var startsWithFunc = stringPredicate(strings.HasPrefix)

var endsWithFunc = stringPredicate(strings.HasSuffix)

func stringPredicate(f func(s, affix string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "affix", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(f(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

var base64EncodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(base64.StdEncoding.EncodeToString([]byte(args[0].AsString()))), nil
	},
})

var base64DecodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		b, err := base64.StdEncoding.DecodeString(args[0].AsString())
		if err != nil || !utf8.Valid(b) {
			return cty.UnknownVal(cty.String), errors.New("invalid base64 or not UTF-8")
		}
		return cty.StringVal(string(b)), nil
	},
})

// toString converts a known primitive to its template text.
func toString(v cty.Value) (string, bool) {
	s := knownString(v)
	if !s.IsKnown() {
		return "", false
	}
	return s.AsString(), true
}
