// Package iamjson reads IAM JSON with exact source positions: bare trust
// policy documents and the role exports of the AWS CLI (aws iam get-role,
// list-roles and get-account-authorization-details).
//
// Parsing streams the file with a jsontext.Decoder: role lists are read one
// role at a time, only the members a role needs (RoleName, Arn, Path,
// MaxSessionDuration, AssumeRolePolicyDocument) are built as positioned
// trees (parser/tree), everything else is skipped, and each finished role is
// handed to the caller at once. Trust policies are normalized by
// parser/normalize.
//
// Ranges are byte-exact and columns count code points, as model.LineIndex
// does; Locator computes them in linear time even for minified files.
// Policy documents embedded in strings, either as JSON text
// ("{\"Version\":...}", CloudFormation and Terraform style) or percent-encoded
// as the raw IAM API returns them ("%7B%22Version%22..."), are decoded
// through both layers with a table from each decoded byte to its file
// offset, so positions inside them name the characters of the outer string:
// see ParseEmbedded, Unquote, PercentDecode and ParseMapped, which other
// format parsers can reuse.
package iamjson
