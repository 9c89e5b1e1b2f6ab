// Package iamjson reads IAM JSON with exact source positions: bare trust
// policy documents and the role exports of the AWS CLI (aws iam get-role,
// list-roles and get-account-authorization-details).
//
// Parsing streams the file through a srcjson.Builder (the positioned-JSON
// toolkit every format shares): role lists are read one role at a time,
// only the members a role needs (RoleName, Arn, Path, MaxSessionDuration,
// AssumeRolePolicyDocument) are built as positioned trees (parser/tree),
// everything else is skipped, and each finished role is handed to the
// caller at once. Policy documents held in strings, as JSON text or
// percent-encoded as the raw IAM API returns them, are decoded by
// srcjson.Embedder with positions inside them naming the characters of the
// outer string. Trust policies are normalized by parser/normalize.
package iamjson
