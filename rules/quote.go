package rules

import (
	"encoding/json"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/trustlint/trustlint/model"
)

// quoteName is the name in Rego of lib.quote's builtin: model.Quote is the
// one definition of how a report shows a value the user wrote, where
// lib.rego used to write it a second time (its tests, in lib_test.rego,
// now check the builtin).
const quoteName = "trustlint.quote"

func init() {
	rego.RegisterBuiltin1(&rego.Function{
		Name: quoteName,
		Description: "A value as a message shows it (model.Quote): a plain token as it is, any other string " +
			"quoted, anything else as JSON, cut to 80 characters.",
		Decl: types.NewFunction(types.Args(types.A), types.S),
	}, func(_ rego.BuiltinContext, v *ast.Term) (*ast.Term, error) {
		return ast.StringTerm(quoteValue(v.Value)), nil
	})
}

// quoteValue is model.Quote of a string; any other value is its JSON (as
// OPA's json.marshal writes it), cut.
func quoteValue(v ast.Value) string {
	if s, ok := v.(ast.String); ok {
		return model.Quote(string(s))
	}
	j, err := ast.JSON(v)
	if err != nil {
		return model.Cut(v.String())
	}
	b, err := json.Marshal(j)
	if err != nil {
		return model.Cut(v.String())
	}
	return model.Cut(string(b))
}
