# METADATA
# title: trustlint rule library
# description: |
#   Shared vocabulary for trustlint rules: configuration, trust statements,
#   principal classes, condition tests and findings. Rules read one role at a
#   time: input.role (attributes) and input.policy (the normalized trust
#   policy, IAM's own shape with every string-or-list made a list).
# scope: package
package trustlint.lib

# ---------------------------------------------------------------------------
# Findings

# finding is what a rule's deny set contains: a message and the path of the
# element at fault in the input. (The built-in rules write the object
# {"msg": msg, "path": path} themselves, and {"properties": {"vendor":
# name}} beside them for finding_with_vendor: a call of a function with
# distinct arguments costs OPA some 30 allocations, an object literal 8,
# and a large policy has a finding per statement. The engine's decoder
# reads msg, path, key and properties; custom rules call these functions.)
finding(msg, path) := {"msg": msg, "path": path}

# finding_at_key points at the key of an object member (NotPrincipal,
# NotAction) instead of its value.
finding_at_key(msg, path) := {"msg": msg, "path": path, "key": true}

# Messages never name the role: reports add it, and the engine may share
# one evaluation between roles with identical trust policies.

# quote(v) renders a value the user wrote for a message: at most
# quote_limit characters of it (a longer value is cut and ends in "…"), a
# plain token (printable ASCII without spaces, quotes or backslashes: account
# IDs, ARNs, actions, keys) as it is, anything else in double quotes with
# control characters escaped, and a non-string as JSON. No message may print
# more of a value than that: a policy can come from any file. The builtin
# is model.Quote, the one definition every report shares (rules/quote.go).
quote_limit := 80

quote(v) := trustlint.quote(v)

# ---------------------------------------------------------------------------
# Configuration (data.trustlint.config, filled from .trustlint.yaml)

default config := {}

config := data.trustlint.config

max_session_duration := object.get(config, "max_session_duration", 3600)

require_mfa_own_account := object.get(config, "require_mfa_own_account", false)

trusted_org_ids := {lower(o) | some o in object.get(config, "trusted_org_ids", [])}

# own_accounts holds the account the role lives in: from the input (role ARN,
# AWS::AccountId, aws_caller_identity) and from the configuration.
own_accounts contains a if {
	a := input.role.own_account
	is_string(a)
	a != ""
}

own_accounts contains a if {
	a := config.own_account
	is_string(a)
	a != ""
}

own_account_known if count(own_accounts) > 0

trusted_accounts := own_accounts | {a | some a in object.get(config, "trusted_accounts", [])}

# ---------------------------------------------------------------------------
# Unknown values: {"$unknown": "<source expression>"}

is_unknown(v) if is_string(v["$unknown"])

# known_text(v) is the text of a value that a rule may judge by its known
# parts: a string, or an unknown written as a template with unknown pieces
# (`${var.id}@*`), which are left out. The own-account token stands for a
# twelve-digit account ID (`${AWS::AccountId}` is an account, not a literal
# with angle brackets). Undefined for other unknowns. (A string without the
# token is returned as it is: OPA's replace builds a string replacer of
# about 2 KB on every call.)
known_text(v) := v if {
	is_string(v)
	not contains(v, "<own-account>")
} else := replace(v, "<own-account>", "000000000000") if is_string(v)

known_text(v) := replace(regex.replace(v["$unknown"], template_re, ""), "<own-account>", "000000000000") if {
	contains(v["$unknown"], "${")
}

# fully_known(v): v is a string, not a template with unknown pieces.
fully_known(v) if is_string(v)

# ---------------------------------------------------------------------------
# Facts of the policy, computed once per evaluation
#
# The facts below (trust_statements, aws_principals, service_principals,
# federated_principals, tests, condition_keys, key_patterns,
# opaque_statements, external_id_statements, mfa_statements,
# mfa_if_exists_statements, pinned_statements, deny_guards,
# tag_session_statements, broad_action_statements) come from the
# builtin trustlint.policy_facts, which computes them in one pass over the
# statements in Go (rules/facts.go) from the functions of this file and
# federated.rego, the vocabulary below and the provider table. Their definitions in pure Rego are
# rules/lib/facts_reference_test.rego; the tests check that both agree on
# every finding of a generated corpus.

_facts := trustlint.policy_facts(_statements, vocabulary, providers)

default _statements := []

_statements := input.policy.Statement

# vocabulary is what lib's facts and TL013's checks are made of: the assume
# actions, the principal classes and patterns, the condition operators, and
# the condition keys and operators that require MFA or pin the caller. The
# names below (and in federated.rego) read it. It is a constant, so the
# builtins that take it read it once per compiled rule set.
vocabulary := {
	"assume_actions": ["sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity"],
	"tag_session_action": "sts:tagsession",
	"broad_actions": {"*", "sts:*"},
	"principal_re": `^(?:([0-9]{12}|<own-account>)|arn:aws(?:-cn|-us-gov|-iso[a-z-]*)?:(?:iam::([0-9]{12}|<own-account>):(root$|user/|role/)|sts::([0-9]{12}|<own-account>):(assumed-role/|federated-user/)))`,
	"class_of_kind": {
		"": "account",
		"root": "account",
		"user/": "user",
		"role/": "role",
		"assumed-role/": "role",
		"federated-user/": "role",
	},
	"template_re": `\$\{[^}]*\}`,
	"external_id_key": "sts:externalid",
	"mfa_present_key": "aws:multifactorauthpresent",
	"mfa_present_operator": "Bool",
	"mfa_age_key": "aws:multifactorauthage",
	"mfa_age_operators": {"NumericLessThan", "NumericLessThanEquals"},
	"mfa_if_exists_operators": {"BoolIfExists", "NumericLessThanIfExists", "NumericLessThanEqualsIfExists"},
	"pin_operators": {"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"},
	"account_pin_keys": {"aws:principalorgid", "aws:principalaccount", "aws:sourceaccount", "aws:sourceorgid"},
	"arn_pin_keys": {"aws:principalarn", "aws:sourcearn"},
	"org_paths_pin_key": "aws:principalorgpaths",
	"guard_operators": {"StringNotEquals", "StringNotLike", "ArnNotEquals", "ArnNotLike"},
	"aws_service_key": "aws:principalisawsservice",
	"aws_service_operators": {"Bool", "BoolIfExists"},
	"unique_id_re": `^A(?:ROA|IDA|GPA|IPA|NPA|NVA|PKA|SCA|KIA|SIA|BIA|CCA)[A-Z0-9]{16,}$`,
	"oidc_arn_re": `^arn:aws(?:-cn|-us-gov|-iso[a-z-]*)?:iam::(?:[0-9]{12}|<own-account>):oidc-provider/(.+)$`,
	"oidc_template_arn_re": `^arn:(?:aws(?:-cn|-us-gov|-iso[a-z-]*)?|\$\{[^}]*\}):iam::(?:[0-9]{12}|<own-account>|\$\{[^}]*\}):oidc-provider/(.+)$`,
	"saml_arn_re": `^arn:aws(?:-cn|-us-gov|-iso[a-z-]*)?:iam::(?:[0-9]{12}|<own-account>):saml-provider/(.+)$`,
	"builtin_idps": {"accounts.google.com", "cognito-identity.amazonaws.com", "graph.facebook.com", "www.amazon.com"},
	"condition_operators": {
		"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
		"StringLike", "StringNotLike",
		"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
		"NumericGreaterThan", "NumericGreaterThanEquals",
		"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
		"Bool", "BinaryEquals", "IpAddress", "NotIpAddress",
		"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
	},
}

# template_re matches an unknown piece of a template: ${...}.
template_re := vocabulary.template_re

# ---------------------------------------------------------------------------
# Trust statements

assume_actions := vocabulary.assume_actions

# action_matches(pattern, action): IAM wildcard match, case-insensitive.
action_matches(pattern, action) if {
	is_string(pattern)
	glob.match(lower(pattern), null, action)
}

# allows_assume(i): statement i allows an assume action. (Functions take the
# statement index, not the statement: OPA hashes function arguments for its
# cache, and hashing whole statements is costly.)
allows_assume(i) if {
	actions := input.policy.Statement[i].Action
	is_array(actions)
	some pattern in actions
	some a in assume_actions
	action_matches(pattern, a)
}

# NotAction allows every action it does not match: it allows an assume action
# unless every assume action is excluded. An unknown NotAction element may
# exclude anything, so it never counts.
allows_assume(i) if {
	not_actions := input.policy.Statement[i].NotAction
	is_array(not_actions)
	every x in not_actions {
		is_string(x)
	}
	some a in assume_actions
	every pattern in not_actions {
		not action_matches(pattern, a)
	}
}

# allows_action(i, action): statement i allows the lower-cased action, by
# IAM matching of its Action, or through a NotAction that does not exclude it.
allows_action(i, action) if {
	actions := input.policy.Statement[i].Action
	is_array(actions)
	some pattern in actions
	action_matches(pattern, action)
}

allows_action(i, action) if {
	not_actions := input.policy.Statement[i].NotAction
	is_array(not_actions)
	every x in not_actions {
		is_string(x)
	}
	every pattern in not_actions {
		not action_matches(pattern, action)
	}
}

# trust_statements holds the indexes of the statements that allow assuming
# the role: Allow statements for which allows_assume holds.
trust_statements := _facts.trust_statements

# tag_session_statements holds the indexes of the Allow statements (trust
# statements or not) that allow sts:TagSession: allows_action(i,
# vocabulary.tag_session_action).
tag_session_statements := _facts.tag_session_statements

# broad_action_statements holds the trust statements that have a NotAction
# or whose Action list has a string that is one of vocabulary.broad_actions
# when lower-cased ("*", "sts:*").
broad_action_statements := _facts.broad_action_statements

# ---------------------------------------------------------------------------
# Principals

# principal_re classifies an AWS principal value in one match: a bare account
# ID, or an IAM/STS ARN of any partition with its account and resource type.
# Groups: bare ID; IAM account, IAM kind; STS account, STS kind.
# An account may be the own-account token that parsers write for
# ${AWS::AccountId} or aws_caller_identity (model.OwnAccountToken).
principal_re := vocabulary.principal_re

class_of_kind := vocabulary.class_of_kind

# classify(v) is {"class": c, "account": a} for an AWS principal value: class
# "wildcard" (account ""), "account", "user" or "role". It is undefined for
# unknown values, services and anything malformed. (One function, one regex
# call: every rule or function call costs microseconds in OPA.)
classify("*") := {"class": "wildcard", "account": ""}

classify(v) := {"class": class_of_kind[concat("", [ik, sk])], "account": concat("", [id, ia, sa])} if {
	[[_, id, ia, ik, sa, sk]] := regex.find_all_string_submatch_n(principal_re, v, 1)
}

principal_class(v) := classify(v).class

principal_account(v) := classify(v).account

# aws_principals describes every classified AWS principal (a string in a
# Principal.AWS list; an unknown stands for a whole list) of every trust
# statement once per role, so that rules share the work:
# {"stmt": i, "index": j, "value": v, "class": c, "account": a}, with c and
# a from classify(v).
aws_principals := _facts.aws_principals

# unique_id_re matches an IAM unique ID (IAM User Guide, "IAM identifiers":
# AROA role, AIDA user, AGPA group, ... followed by upper-case letters and
# digits). IAM writes one in place of a principal that was deleted.
unique_id_re := vocabulary.unique_id_re

is_unique_id(v) if {
	is_string(v)
	regex.match(unique_id_re, v)
}

# service_name(v) is a Service principal without its DNS suffix:
# "ecs-tasks" for ecs-tasks.amazonaws.com (or .amazonaws.com.cn).
service_name(v) := trim_suffix(trim_suffix(lower(v), ".cn"), ".amazonaws.com")

# service_principals describes every Service principal of every trust
# statement: {"stmt": i, "index": j, "value": v, "name": service_name(v)}.
service_principals := _facts.service_principals

is_own_account(acct) if acct in own_accounts

# vendor(acct) names the third party an account belongs to, "" when none
# is known: the user's known_accounts (configuration and
# known_accounts_file) first, then the bundled list of vendors' documented
# accounts (rules/data/known_accounts.json). Rules look it up once per
# finding and pass the name on.
vendor(acct) := name if {
	name := _config_vendors[acct]
} else := object.get(data.trustlint.known_accounts, [acct, "vendor"], "")

_config_vendors := object.get(config, "known_accounts", {})

# vendor_note(name) is " (Datadog)" for a vendor name, "" for none. A name
# of words ("Sumo Logic") is shown as it is, anything else quoted.
vendor_note("") := ""

vendor_note(name) := sprintf(" (%s)", [name]) if {
	name != ""
	count(name) <= quote_limit
	regex.match(`^[A-Za-z0-9][A-Za-z0-9 .,&'+/-]*$`, name)
} else := sprintf(" (%s)", [quote(name)]) if {
	name != ""
}

# finding_with_vendor is finding(msg, path) that also carries the vendor
# name, when there is one, as a property (SARIF and JSON show it).
finding_with_vendor(msg, path, "") := {"msg": msg, "path": path}

finding_with_vendor(msg, path, name) := {"msg": msg, "path": path, "properties": {"vendor": name}} if name != ""

# external_hint(acct) ends a message about an external account: when the own
# account is unknown, the account may be the user's own.
external_hint(acct) := "" if {
	own_account_known
} else := sprintf("; if %s is your own account, list it in trusted_accounts", [acct])

is_trusted_account(acct) if acct in trusted_accounts

is_external_account(acct) if not is_trusted_account(acct)

# ---------------------------------------------------------------------------
# Conditions, indexed once per role

# tests[i] is the set of [operator, lower-cased key, values] of trust
# statement i: condition keys match case-insensitively, operators exactly.
tests := _facts.tests

# statement_tests(i) is the set of [operator, lower-cased key, values] of any
# statement i (tests holds them for the trust statements).
statement_tests(i) := {[op, lower(key), vals] |
	some op, block in input.policy.Statement[i].Condition
	some key, vals in block
}

# condition_keys[i] is the set of lower-cased condition keys of trust
# statement i, for cheap "does it test X at all" questions.
condition_keys := _facts.condition_keys

# opaque_statements holds trust statements whose conditions cannot be read
# completely (an unknown Condition, operator block or key): rules that need
# the absence of a test report nothing for them.
opaque_statements := _facts.opaque_statements

# is_opaque(i): the conditions of statement i cannot be read completely (an
# unknown Condition, operator block or key), or a key is a template with
# unknown pieces.
is_opaque(i) if {
	c := input.policy.Statement[i].Condition
	not is_object(c)
}

is_opaque(i) if {
	some block in input.policy.Statement[i].Condition
	not _readable_block(block)
}

# key_patterns[i] holds the condition keys of trust statement i that are
# templates with unknown pieces (a Terraform "${aws_iam_openid_connect_provider.x.url}:sub"),
# as glob patterns: a value that is only partly known is compared by its
# known parts.
key_patterns := _facts.key_patterns

# tests_key(i, key) holds when trust statement i tests the lower-cased key,
# or has a templated key that may turn out to be it.
tests_key(i, key) if key in condition_keys[i]

tests_key(i, key) if {
	some p in key_patterns[i]
	glob.match(p, null, key)
}

# has_templated_key(i): a condition key of statement i is a template with
# unknown pieces, which may turn out to be any key.
has_templated_key(i) if {
	some [_, key, _] in statement_tests(i)
	contains(key, "${")
}

_readable_block(block) if {
	is_object(block)
	not is_unknown(block)
}

# condition_operators are IAM's condition operators, without the IfExists
# suffix and the ForAllValues:/ForAnyValue: prefixes.
condition_operators := vocabulary.condition_operators

# valid_operator(op): op is an operator IAM accepts.
valid_operator("Null")

valid_operator(op) if {
	base := regex.replace(op, `^For(AllValues|AnyValue):`, "")
	trim_suffix(base, "IfExists") in condition_operators
}

is_negated(op) if contains(op, "Not")

is_if_exists(op) if endswith(op, "IfExists")

is_for_all_values(op) if startswith(op, "ForAllValues:")

# base_operator strips the set-operator prefix and the IfExists suffix.
base_operator(op) := trim_suffix(regex.replace(op, `^For(AllValues|AnyValue):`, ""), "IfExists")

# literal_test(op, vals): a positive string test that names what it
# accepts: StringEquals or StringEqualsIgnoreCase, or StringLike whose every
# value is more than wildcards (several values are ORed: one "*" opens the
# whole test). Unknown values count as naming something.
literal_test(op, vals) if {
	op in {"StringEquals", "StringEqualsIgnoreCase", "StringLike"}
	_not_only_wildcards(vals)
}

_not_only_wildcards(vals) if is_unknown(vals)

_not_only_wildcards(vals) if {
	is_array(vals)
	count(vals) > 0
	every v in vals {
		_names_something(v)
	}
}

_names_something(v) if is_unknown(v)

_names_something(v) if {
	is_string(v)
	not regex.match(`^[*?]+$`, v)
}

has_wildcard(v) if contains(v, "*")

has_wildcard(v) if contains(v, "?")

is_true(true)

is_true(v) if lower(v) == "true"

# external_id_statements: trust statements that test sts:ExternalId at all
# (tests_key).
external_id_statements := _facts.external_id_statements

# mfa_statements: trust statements that require MFA: aws:MultiFactorAuthPresent
# true under Bool (_all_true), or aws:MultiFactorAuthAge under
# NumericLessThan(Equals), or a templated key that may be an MFA key.
mfa_statements := _facts.mfa_statements

_all_true(vals) if is_unknown(vals)

_all_true(vals) if {
	is_array(vals)
	count(vals) > 0
	every v in vals {
		_true_or_unknown(v)
	}
}

_true_or_unknown(v) if is_true(v)

_true_or_unknown(v) if is_unknown(v)

# mfa_if_exists_statements: trust statements that test MFA with an IfExists
# operator.
mfa_if_exists_statements := _facts.mfa_if_exists_statements

# pinned_statements: trust statements with a condition that pins the caller
# with a pinning value (see the rule catalog): a non-negated, non-IfExists,
# non-ForAllValues string or ARN test whose every value pins
# (_pinning_values), or a templated key that may be a pinning key. A Deny
# guard pins too (TL003): a Deny for every principal, covering the assume
# actions that trust statement i allows (_guard_covers), whose conditions
# are only negated pinning tests (everyone outside the organization,
# account or ARN is denied), optionally beside aws:PrincipalIsAWSService
# false as in AWS's data-perimeter examples (deny_guards). Any other
# condition narrows the Deny.
pinned_statements := _facts.pinned_statements

pin_operators := vocabulary.pin_operators

_guard_covers(i, _, a) if not allows_action(i, a)

_guard_covers(i, d, a) if {
	allows_action(i, a)
	allows_action(d, a)
}

# deny_guards: the Deny statements for "*" that are not opaque and whose
# tests are all _guard_test, one at least a _negated_pin.
deny_guards := _facts.deny_guards

_guard_test(test) if _negated_pin(test)

_guard_test([op, key, vals]) if {
	key == vocabulary.aws_service_key
	op in vocabulary.aws_service_operators
	is_array(vals)
	count(vals) > 0
	every v in vals {
		_is_false(v)
	}
}

_negated_pin([op, key, vals]) if {
	op in vocabulary.guard_operators
	key in pin_keys
	_pinning_values(key, vals)
}

_is_false(false)

_is_false(v) if lower(v) == "false"

pin_keys := (vocabulary.account_pin_keys | vocabulary.arn_pin_keys) | {vocabulary.org_paths_pin_key}

_pinning_values(key, vals) if {
	is_array(vals)
	count(vals) > 0
	every v in vals {
		_pinning_value(key, v)
	}
}

_pinning_values(_, vals) if is_unknown(vals)

_pinning_value(_, v) if is_unknown(v)

_pinning_value(key, v) if {
	key in vocabulary.account_pin_keys
	is_string(v)
	v != ""
	not has_wildcard(v)
}

_pinning_value(key, v) if {
	key in vocabulary.arn_pin_keys
	_arn_pins(v)
}

_pinning_value(key, v) if {
	key == vocabulary.org_paths_pin_key
	is_string(v)
	org := split(v, "/")[0]
	org != ""
	not has_wildcard(org)
}

# _arn_pins: the account part of the ARN is literal. An ARN without an
# account (arn:aws:s3:::bucket) pins only when it has no wildcard at all.
_arn_pins(v) if {
	is_string(v)
	parts := split(v, ":")
	count(parts) >= 6
	parts[4] != ""
	not has_wildcard(parts[4])
}

_arn_pins(v) if {
	is_string(v)
	parts := split(v, ":")
	count(parts) >= 6
	parts[4] == ""
	not has_wildcard(v)
}

# org_trusted_statements: trust statements that require aws:PrincipalOrgID
# to be one of the configured trusted organizations.
org_trusted_statements contains i if {
	count(trusted_org_ids) > 0
	some i in trust_statements
	some [op, "aws:principalorgid", vals] in tests[i]
	op in {"StringEquals", "StringEqualsIgnoreCase", "ForAnyValue:StringEquals", "ForAnyValue:StringEqualsIgnoreCase"}
	is_array(vals)
	count(vals) > 0
	every v in vals {
		is_string(v)
		lower(v) in trusted_org_ids
	}
}
