package trustlint.rules.tag_session_unrestricted_test

import data.trustlint.rules.tag_session_unrestricted

deny(stmts) := fs if {
	fs := tag_session_unrestricted.deny with input as {"role": {"name": "r", "own_account": "111111111111"}, "policy": {"Statement": stmts}}
}

stmt(aws, actions, cond) := {"Effect": "Allow", "Principal": {"AWS": aws}, "Action": actions, "Condition": cond}

external := ["arn:aws:iam::999999999999:role/etl"]

paths(fs) := {f.path | some f in fs}

test_external_role_without_limit if {
	fs := deny([stmt(external, ["sts:AssumeRole", "sts:TagSession"], {"StringEquals": {"sts:ExternalId": ["x-123"]}})])
	fs == {{
		"msg": "role arn:aws:iam::999999999999:role/etl of external account 999999999999 may call sts:TagSession with any session tags: no ForAllValues:StringEquals on aws:TagKeys or pinned aws:RequestTag/<key> limits them",
		"path": ["policy", "Statement", 0, "Action", 1],
	}}
}

test_wildcard_and_tag_patterns if {
	paths(deny([stmt(["*"], ["sts:Tag*"], {})])) == {["policy", "Statement", 0, "Action", 0]}
	paths(deny([stmt(["*"], ["sts:AssumeRole", "STS:*"], {})])) == {["policy", "Statement", 0, "Action", 1]}
	paths(deny([stmt(["999999999999"], ["*"], {})])) == {["policy", "Statement", 0, "Action", 0]}
	[f] := [f | some f in deny([stmt(["*"], ["*"], {})])]
	startswith(f.msg, "any AWS principal (*) may call sts:TagSession")
}

test_first_value_that_allows_it if {
	paths(deny([stmt(external, ["sts:AssumeRole", "sts:TagSession", "sts:*"], {})])) == {["policy", "Statement", 0, "Action", 1]}
}

test_not_action_that_does_not_exclude_it if {
	fs := deny([{"Effect": "Allow", "Principal": {"AWS": external}, "NotAction": ["sts:AssumeRoleWithSAML"]}])
	[f] := [f | some f in fs]
	f.path == ["policy", "Statement", 0, "NotAction"]
	f.key == true
	count(deny([{"Effect": "Allow", "Principal": {"AWS": external}, "NotAction": ["sts:Tag*"]}])) == 0
}

test_no_tag_session if {
	count(deny([stmt(external, ["sts:AssumeRole"], {})])) == 0
	count(deny([stmt(external, ["sts:SetSourceIdentity"], {})])) == 0
}

test_deny_is_not_judged if {
	count(deny([object.union(stmt(external, ["sts:TagSession"], {}), {"Effect": "Deny"})])) == 0
}

test_trusted_callers_are_not_judged if {
	count(deny([stmt(["arn:aws:iam::111111111111:role/ci", "111111111111"], ["sts:TagSession"], {})])) == 0
	fs := tag_session_unrestricted.deny with input as {
		"role": {"name": "r"},
		"policy": {"Statement": [stmt(["222222222222"], ["sts:TagSession"], {})]},
	}
		with data.trustlint.config as {"trusted_accounts": ["222222222222"]}
	count(fs) == 0
}

test_unknown_own_account_hint if {
	fs := tag_session_unrestricted.deny with input as {"role": {"name": "r"}, "policy": {"Statement": [stmt(["999999999999"], ["sts:TagSession"], {})]}}
	[f] := [f | some f in fs]
	endswith(f.msg, "; if 999999999999 is your own account, list it in trusted_accounts")
}

test_federated_and_service_callers_are_exempt if {
	count(deny([{"Effect": "Allow", "Principal": {"Federated": ["arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"]}, "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]}])) == 0
	count(deny([{"Effect": "Allow", "Principal": {"Service": ["pods.eks.amazonaws.com"]}, "Action": ["sts:AssumeRole", "sts:TagSession"]}])) == 0
}

test_limits if {
	limits := [
		{"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "project"]}},
		{"ForAllValues:StringEqualsIgnoreCase": {"AWS:TagKeys": ["team"]}},
		{"ForAllValues:StringLike": {"aws:TagKeys": ["vendor-*"]}},
		{"StringEquals": {"aws:RequestTag/team": ["data"]}},
		{"StringLike": {"aws:RequestTag/project": ["etl-*"]}},
		{"ForAllValues:StringEquals": {"aws:TagKeys": {"$unknown": "var.allowed_tags"}}},
	]
	every cond in limits {
		count(deny([stmt(external, ["sts:AssumeRole", "sts:TagSession"], cond)])) == 0
	}
}

test_conditions_that_do_not_limit if {
	open := [
		{"ForAllValues:StringLike": {"aws:TagKeys": ["*"]}},
		{"ForAllValues:StringLike": {"aws:TagKeys": ["team", "*"]}},
		{"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}},
		{"StringEquals": {"aws:TagKeys": ["team"]}},
		{"ForAllValues:StringEqualsIfExists": {"aws:TagKeys": ["team"]}},
		{"ForAllValues:StringNotEquals": {"aws:TagKeys": ["admin"]}},
		{"StringEqualsIfExists": {"aws:RequestTag/team": ["data"]}},
		{"StringNotEquals": {"aws:RequestTag/team": ["admins"]}},
		{"StringLike": {"aws:RequestTag/team": ["*"]}},
		{"StringEquals": {"aws:PrincipalTag/team": ["data"]}},
		{"StringEquals": {"sts:ExternalId": ["x-123"]}},
	]
	every cond in open {
		count(deny([stmt(external, ["sts:AssumeRole", "sts:TagSession"], cond)])) == 1
	}
}

test_unreadable_conditions if {
	count(deny([stmt(external, ["sts:TagSession"], {"$unknown": "local.cond"})])) == 0
	count(deny([stmt(external, ["sts:TagSession"], {"ForAllValues:StringEquals": {"${var.key}": ["team"]}})])) == 0
	count(deny([stmt({"$unknown": "var.principals"}, ["sts:TagSession"], {})])) == 0
}

# One finding per statement, for its first caller, whether the statement
# allows assuming the role (lib.aws_principals) or only sts:TagSession.
test_first_caller_of_the_statement if {
	callers := ["arn:aws:iam::111111111111:role/ci", "999999999999", "*"]
	every actions in [["sts:AssumeRole", "sts:TagSession"], ["sts:TagSession"]] {
		deny([stmt(callers, actions, {})]) == {{
			"msg": "external account 999999999999 may call sts:TagSession with any session tags: no ForAllValues:StringEquals on aws:TagKeys or pinned aws:RequestTag/<key> limits them",
			"path": ["policy", "Statement", 0, "Action", count(actions) - 1],
		}}
	}
}

test_limited_by_tag_keys_or_a_templated_key if {
	every actions in [["sts:AssumeRole", "sts:TagSession"], ["sts:TagSession"]] {
		count(deny([stmt(external, actions, {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}})])) == 0
		count(deny([stmt(external, actions, {"ForAllValues:StringEquals": {"${var.k}": ["team"]}})])) == 0
		count(deny([stmt(external, actions, {"ForAllValues:StringEquals": {"aws:TagKeys": ["*"]}})])) == 1
	}
}
