// Package normalize turns a positioned policy tree (parser/tree) into the
// rule input of trustlint and fills the role's source map beside it.
//
// Every format parser (IAM JSON, Terraform, CloudFormation) builds a
// tree.Node for a trust policy document and hands it to Policy, so IAM's
// spelling rules are implemented once. The body keeps IAM's own shape and
// element names; it changes only what IAM allows to be spelled in several
// ways:
//
//   - a single Statement object becomes a one-element list;
//   - "Principal": "*" (and "NotPrincipal": "*") becomes {"AWS": ["*"]};
//   - a string where IAM accepts a string or a list (principal values,
//     Action, NotAction, Resource, NotResource, condition values) becomes a
//     one-element list.
//
// Anything else is kept as written ("raw"), so that rules can report it.
// Unknown values (tree.Unknown) become model.Unknown wherever they appear and
// are never wrapped into a list: an unknown may stand for a whole list.
//
// Every value emitted, synthesized or not, gets a value range in the source
// map, and every object member gets a key range. A synthesized value maps to
// the source text it was made from: the Principal.AWS[0] made from
// "Principal": "*" maps to the "*" literal.
package normalize
