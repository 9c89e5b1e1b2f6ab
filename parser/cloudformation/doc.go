// Package cloudformation reads the IAM roles of AWS CloudFormation
// templates, in YAML or JSON: plain templates, SAM templates
// (Transform: AWS::Serverless-2016-10-31) and the templates the AWS CDK
// synthesizes (cdk.out/*.template.json).
//
// # Roles
//
// Every AWS::IAM::Role resource is a role, named by its logical ID (also
// in CDK output: the Metadata "aws:cdk:path" is context, not the name). An
// AWS::Serverless::Function with an
// AssumeRolePolicyDocument (and no Role of its own) is the role SAM creates
// for it, named by the function's logical ID. A role's range runs from its
// logical ID through its body. AssumeRolePolicyDocument (an object, a JSON
// string, or an intrinsic function that yields either), MaxSessionDuration,
// RoleName and Path are read; every role's own account is
// model.OwnAccountToken, since every stack has an account, even unnamed
// (messages write it ${AWS::AccountId}). In a template whose Transform
// names a macro (a transform that is not AWS's), a role without
// AssumeRolePolicyDocument has an unknown document: the macro may write it.
// Numbers in a policy document are the strings of their text, as
// CloudFormation passes them to IAM: an unquoted 204518736390 is the
// account "204518736390".
//
// # Intrinsic functions
//
// YAML short forms (!Ref, !Sub, !GetAtt, ...) are read as the long forms
// JSON uses ({"Ref": ...}, {"Fn::Sub": ...}), so both formats resolve
// alike. What is static is resolved:
//
//   - Ref to a parameter with a Default gives the Default (a list for
//     CommaDelimitedList and List<...> parameters; nothing for SSM parameter
//     types, whose Default names the value instead of being it);
//   - AWS::AccountId gives model.OwnAccountToken, AWS::Partition "aws",
//     AWS::URLSuffix "amazonaws.com" (the aws partition's),
//     AWS::NoValue removes the list element or object member it stands for;
//   - Ref or GetAtt .Arn of an AWS::IAM::OIDCProvider of the template (or
//     of the CDK's Custom::AWSCDKOpenIdConnectProvider) gives
//     arn:aws:iam::<own-account>:oidc-provider/<Url without https://>, of an
//     AWS::IAM::SAMLProvider arn:aws:iam::<own-account>:saml-provider/<Name>;
//   - Fn::Sub (both forms), Fn::Join, Fn::Select, Fn::Split, Fn::Base64 of
//     known values, Fn::FindInMap with keys that resolve, into Mappings.
//
// Anything else is an unknown value (a tree.Unknown node), never an error
// and never a guess. Its text is the intrinsic as written in short form
// ("!ImportValue shared-account", "!Ref PartnerAccount"), or, for Fn::Sub
// and Fn::Join, the template with its unknown pieces written as ${...}
// ("arn:aws:iam::${PartnerAccount}:root"). Templates nest: a provider whose
// Url is unknown has the ARN "arn:aws:iam::<own-account>:oidc-provider/${Provider.Url}",
// and a !Sub that uses the provider inlines that text, so a condition key
// and a principal built from the same pieces read alike. A value produced
// by an intrinsic function has the range of the function (from its tag or
// '{'); Fn::If and Fn::Select give the range of the value they select.
//
// # Fn::ForEach
//
// The loops of the AWS::LanguageExtensions transform
// (Fn::ForEach::Name: [Identifier, Collection, {OutputKey: Template}]) in
// Resources and Conditions are expanded when the collection is static: a
// literal list, or what resolves to one (a CommaDelimitedList or List<...>
// parameter with a Default, Fn::Split, Fn::FindInMap). Each element gives
// the members of the template with the identifier replaced: {"Ref":
// Identifier} by the element, ${Identifier} and &{Identifier} (the element
// without its non-alphanumeric characters) in keys and strings. Loops nest.
// A role is named by its expanded logical ID (PartnerRole204518736390);
// its positions are those of the template, shared by every element. A loop
// whose collection is not static is a note, and its resources are not
// analyzed.
//
// # Fn::If
//
// A finding that holds on either branch of a Fn::If must be reported, and a
// finding must not come from a combination of branches that cannot happen.
// So a role whose trust-relevant properties use Fn::If is emitted once per
// feasible assignment of the conditions those Fn::Ifs name (a variant), with
// the same Name and Range, and each variant resolves every Fn::If to the
// branch its assignment selects. Feasibility is decided from the Conditions
// section: Fn::Equals of an expression and a literal binds that expression
// to one of the literals it is compared with (or to none of them), so
// IsProd and IsDev over the same parameter are never both true; parameters
// are free here, whatever their Default, because conditions exist to be
// switched at deploy time. A role whose resource Condition can never hold
// is not emitted. Variants that give the conditions the same values are
// one. Within a variant, a parameter that a condition compares keeps its
// Default when the assignment allows it; otherwise it takes the literal the
// assignment forces (under IsProd, Env is "prod"), or is unknown when the
// assignment only says which literals it is not. At most MaxVariants (64)
// variants are emitted: beyond that, or when the conditions have too many
// combinations to enumerate them all, the variants that cover each branch
// of each condition are kept first, then the others in a stable order, and
// a note names the role. A role never loses its Fn::Ifs to their number.
//
// Variants are separate roles: a finding that holds on several of them is
// reported once per variant at the same range (and, when AWS::NoValue moved
// list elements, with different paths), so consumers that want one finding
// per element de-duplicate on rule, role name and range.
//
// # Positions
//
// JSON templates are read with parser/internal/srcjson's byte-exact builder. YAML is
// read with go.yaml.in/yaml/v3's Node API (never decoded into Go values,
// which would drop the tags); nodes carry a line and a column only, so
// byte offsets are computed from the source text, and scalar ends from the
// scalar's style (quotes, block scalars, multi-line plain scalars). A policy
// document written as a JSON string, a YAML block scalar or a !Sub or
// !Join template is parsed with a table from each byte of the decoded text
// to its file offset (see srcjson.ParseMapped), so positions inside it name
// the characters of the file; a substituted piece maps to its ${ or to the
// intrinsic that produced it. When the decoded text cannot be matched to the
// source (YAML escapes), its values point at the whole scalar.
//
// # Robustness
//
// YAML aliases are expanded by this package within a budget of values (ten
// times the values written in the file, plus a margin) and a depth limit:
// an alias bomb is a diagnostic at the alias, found in time and memory
// proportional to the file. Duplicate keys are diagnostics naming both
// lines; the last one wins. A syntax error is a diagnostic at the line the
// YAML library names; when that line lies inside one resource, the resource
// is blanked out and the rest of the template is read again, so the other
// roles are still emitted. A JSON template likewise: a syntax error inside
// the value of one member of Resources (found by matching brackets) is
// reported, that value is blanked out (offsets and lines kept) and the
// template read again. A resource that is malformed in itself gives a
// diagnostic and no role; the other resources are unaffected.
package cloudformation
