package normalize

import (
	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/tree"
)

// rolePaths are the source-map paths of role attributes.
var rolePaths = struct{ roleName, arn, path, maxSession model.Path }{
	roleName:   model.RolePath.Child("role_name"),
	arn:        model.RolePath.Child("arn"),
	path:       model.RolePath.Child("path"),
	maxSession: model.RolePath.Child("MaxSessionDuration"),
}

// NewRole returns a role of format read from file, spanning rng, with a
// source map. Every parser starts its roles
// here, and records their attributes with the Set functions, so that the
// attributes and their source ranges are the same whatever the format.
func NewRole(name string, format model.Format, file string, rng model.Range) *model.Role {
	sm := model.NewSourceMap()
	sm.Set(model.RolePath, rng)
	return &model.Role{Name: name, Format: format, File: file, Range: rng, Source: sm}
}

// SetRoleName records the role's IAM name, written at rng.
func SetRoleName(r *model.Role, name string, rng model.Range) {
	r.RoleName = name
	r.Source.Set(rolePaths.roleName, rng)
}

// SetPath records the role's IAM path, written at rng.
func SetPath(r *model.Role, path string, rng model.Range) {
	r.IAMPath = path
	r.Source.Set(rolePaths.path, rng)
}

// SetARN records the role's ARN, written at rng, and the account it names.
func SetARN(r *model.Role, arn string, rng model.Range) {
	r.ARN = arn
	r.OwnAccount = model.AccountOf(arn)
	r.Source.Set(rolePaths.arn, rng)
}

// SetMaxSessionDuration records the role's MaxSessionDuration: the value
// of n as written (a number or a string), or, for anything else, its
// normalized value (an unknown); null leaves it unset. Findings about it
// point at rng, the key and its value, or at keyRange, the key.
func (z *Normalizer) SetMaxSessionDuration(r *model.Role, n *tree.Node, rng, keyRange model.Range) {
	switch n.Kind {
	case tree.Null:
		return // the attribute is not set
	case tree.Number:
		r.MaxSessionDuration = n.Num
	case tree.String:
		r.MaxSessionDuration = n.Str
	default:
		r.MaxSessionDuration = z.Value(n, rolePaths.maxSession, r.Source)
	}
	r.Source.Set(rolePaths.maxSession, rng)
	r.Source.SetKey(rolePaths.maxSession, keyRange)
}
