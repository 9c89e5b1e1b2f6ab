// Package terraform reads the trust policies of AWS IAM roles from
// Terraform: the .tf and .tf.json files of a module directory, read as a
// unit by Parser.ParseModule, and plan JSON files (terraform show -json),
// read one at a time by Parser.Parse.
//
// # Modules
//
// Each resource "aws_iam_role" becomes one model.Role named by its address
// (aws_iam_role.deploy), with max_session_duration, name and path, and its
// assume_role_policy in any of the forms Terraform users write:
// jsonencode({...}), a heredoc or quoted JSON string,
// data.aws_iam_policy_document.NAME.json, file("trust.json"),
// templatefile("trust.json.tpl", {...}), or a local value or variable that
// holds one of those; try(), coalesce() and join("", ...*.json) choose among
// documents as Terraform would (choose.go). Data sources are mapped into IAM's own shape and
// merged with their source and override documents as the AWS provider does;
// a data source that no role uses is not a trust policy and is not read.
//
// Positions point at the smallest element: a string inside jsonencode, the
// characters of a heredoc or quoted string (escapes and the indentation of
// <<- heredocs accounted for), a list element of a data source, a
// character of the file that file() or templatefile() read. Configuration
// in JSON syntax is re-read with the positioned JSON parser of
// parser/internal/srcjson, and its strings, which are templates, are parsed with
// their offsets mapped back into the file.
//
// # Unknown values
//
// Expressions are evaluated with hcl/v2 and go-cty as Terraform evaluates
// them: variables take their tfvars value or default (in a called module,
// the call's argument), local values, module outputs and the common
// functions are evaluated, count and for_each give one role per instance
// (instance.go), dynamic blocks of policy documents are expanded
// (dynamic.go), and file() and templatefile() read inside the project root
// only. Every evaluation has a budget and every HCL text a nesting limit
// (budget.go). Whatever cannot be resolved statically (a variable without
// value, an unknown for_each, an unknown function) becomes an unknown (model.Unknown) whose text is the source
// expression, or a template with ${expr} for the unknown parts of a string:
// never an error and never a guess. jsonencode is never evaluated as a
// whole, since one unknown leaf would make the whole policy unknown: its
// argument is walked and only leaves are evaluated.
//
// data.aws_caller_identity.NAME.account_id stands for the own account
// (model.OwnAccountToken). The ARN of an aws_iam_openid_connect_provider or
// aws_iam_saml_provider of the module is that provider's ARN in the own
// account; when its URL (or name) is unknown, the ARN and the condition keys
// built from the URL are templates naming the same ${provider.url}, so rules
// can tell that a key belongs to its principal.
//
// # Module calls
//
// A module block is evaluated once per count/for_each instance, local
// sources beside the caller and registry or git sources where terraform
// init installed them (.terraform/modules/modules.json); roles are named
// module.NAME[KEY].aws_iam_role.R. A whole policy document passed to a
// called module (assume_role_policy = var.trust_policy) is read in the
// caller, where it is written, so its findings point there. A directory
// that another scanned module calls is analyzed only through its calls
// (CalledModules).
//
// # Plans
//
// A plan's roles come from resource_changes (except deletions) and
// planned_values, including child modules; values that are known only after
// apply are unknown. The rendered assume_role_policy string is parsed with
// positions inside the plan file, and roles are named by their full
// address (module.ci.aws_iam_role.deploy["a"]).
package terraform
