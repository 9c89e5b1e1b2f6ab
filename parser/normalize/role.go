package normalize

import (
	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/tree"
)

// rolePaths are the source-map keys of role attributes, rendered once.
var rolePaths = struct{ role, roleName, arn, path, maxSession string }{
	role:       model.RolePath.String(),
	roleName:   model.RolePath.Child("role_name").String(),
	arn:        model.RolePath.Child("arn").String(),
	path:       model.RolePath.Child("path").String(),
	maxSession: model.RolePath.Child("MaxSessionDuration").String(),
}

// NewRole returns a role of format read from file, spanning rng, with a
// source map sized for a typical role (a one-statement trust policy has 15
// to 25 values and 6 to 12 keys; larger hints double the tables, which a
// caller that keeps 20,000 roles pays for). Every parser starts its roles
// here, and records their attributes with the Set functions, so that the
// attributes and their source ranges are the same whatever the format.
func NewRole(name string, format model.Format, file string, rng model.Range) *model.Role {
	sm := &model.SourceMap{Values: make(map[string]model.Range, 24), Keys: make(map[string]model.Range, 12)}
	sm.Values[rolePaths.role] = rng
	return &model.Role{Name: name, Format: format, File: file, Range: rng, Source: sm}
}

// SetRoleName records the role's IAM name, written at rng.
func SetRoleName(r *model.Role, name string, rng model.Range) {
	r.RoleName = name
	r.Source.Values[rolePaths.roleName] = rng
}

// SetPath records the role's IAM path, written at rng.
func SetPath(r *model.Role, path string, rng model.Range) {
	r.IAMPath = path
	r.Source.Values[rolePaths.path] = rng
}

// SetARN records the role's ARN, written at rng, and the account it names.
func SetARN(r *model.Role, arn string, rng model.Range) {
	r.ARN = arn
	r.OwnAccount = model.AccountOf(arn)
	r.Source.Values[rolePaths.arn] = rng
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
		r.MaxSessionDuration = z.Value(n, model.RolePath.Child("MaxSessionDuration"), r.Source)
	}
	r.Source.Values[rolePaths.maxSession] = rng
	r.Source.Keys[rolePaths.maxSession] = keyRange
}
