package trustlint.rules.wildcard_principal_test

import data.trustlint.rules.wildcard_principal

stmt(cond) := {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"AWS": ["*"]}, "Condition": cond}

deny(stmts) := fs if {
	fs := wildcard_principal.deny with input as {"role": {"name": "r"}, "policy": {"Statement": stmts}}
}

test_bare_wildcard_fires if {
	fs := deny([stmt({})])
	{f.path | some f in fs} == {["policy", "Statement", 0, "Principal", "AWS", 0]}
}

test_wildcard_in_list_points_at_it if {
	fs := deny([{"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"AWS": ["arn:aws:iam::111111111111:root", "*"]}}])
	{f.path | some f in fs} == {["policy", "Statement", 0, "Principal", "AWS", 1]}
}

test_pinning_keys_0 if {
	count(deny([stmt({"StringEquals": {"aws:PrincipalOrgID": ["o-abc123"]}})])) == 0
}

test_pinning_keys_1 if {
	count(deny([stmt({"StringEquals": {"AWS:PRINCIPALACCOUNT": ["111111111111"]}})])) == 0
}

test_pinning_keys_2 if {
	count(deny([stmt({"StringEquals": {"aws:SourceAccount": ["111111111111"]}})])) == 0
}

test_pinning_keys_3 if {
	count(deny([stmt({"StringEquals": {"aws:SourceOrgID": ["o-abc123"]}})])) == 0
}

test_pinning_keys_4 if {
	count(deny([stmt({"ArnLike": {"aws:PrincipalArn": ["arn:aws:iam::123456789012:role/ci-*"]}})])) == 0
}

test_pinning_keys_5 if {
	count(deny([stmt({"ArnEquals": {"aws:SourceArn": ["arn:aws:sns:us-east-1:123456789012:topic"]}})])) == 0
}

test_pinning_keys_6 if {
	count(deny([stmt({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-abc123/r-ab12/*"]}})])) == 0
}

test_wildcard_values_do_not_pin if {
	count(deny([stmt({"StringLike": {"aws:PrincipalOrgID": ["o-*"]}})])) == 1
	count(deny([stmt({"ArnLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/ci"]}})])) == 1
	count(deny([stmt({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["*/r-ab12/*"]}})])) == 1
	count(deny([stmt({"StringEquals": {"aws:PrincipalAccount": ["111111111111", "*"]}})])) == 1
	count(deny([stmt({"ArnLike": {"aws:SourceArn": ["arn:aws:s3:::bucket-*"]}})])) == 1
	count(deny([stmt({"ArnLike": {"aws:SourceArn": ["arn:aws:s3:::my-bucket"]}})])) == 0
}

test_operators_that_never_pin if {
	count(deny([stmt({"StringNotEquals": {"aws:PrincipalOrgID": ["o-abc123"]}})])) == 1
	count(deny([stmt({"StringEqualsIfExists": {"aws:PrincipalOrgID": ["o-abc123"]}})])) == 1
	count(deny([stmt({"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": ["o-abc123/*"]}})])) == 1
}

test_external_id_never_pins if {
	count(deny([stmt({"StringEquals": {"sts:ExternalId": ["abc"]}})])) == 1
}

test_principal_string_star if {
	count(deny([stmt({})])) == 1
}

test_unknown_reports_nothing if {
	count(deny([stmt({"$unknown": "var.c"})])) == 0
	count(deny([stmt({"StringEquals": {"aws:PrincipalOrgID": {"$unknown": "var.org"}}})])) == 0
}

test_deny_effect_ignored if {
	count(deny([object.union(stmt({}), {"Effect": "Deny"})])) == 0
}

guard(cond) := {"Effect": "Deny", "Principal": {"AWS": ["*"]}, "Action": ["sts:AssumeRole"], "Condition": cond}

org_guard := {"StringNotEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}}

test_deny_guard_pins if {
	count(deny([stmt({}), guard(org_guard)])) == 0
	count(deny([guard({"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::111111111111:role/ci-*"]}}), stmt({})])) == 0
	count(deny([stmt({}), guard(object.union(org_guard, {"BoolIfExists": {"aws:PrincipalIsAWSService": ["false"]}}))])) == 0
	count(deny([stmt({}), guard(object.union(org_guard, {"Bool": {"aws:PrincipalIsAWSService": [false]}}))])) == 0
	count(deny([stmt({}), object.union(guard(org_guard), {"Action": ["sts:*"]})])) == 0
	count(deny([stmt({}), {"Effect": "Deny", "Principal": {"AWS": ["*"]}, "NotAction": ["s3:*"], "Condition": org_guard}])) == 0
}

test_deny_guards_that_do_not_pin if {
	not_guards := [
		guard({"StringNotEqualsIfExists": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}}),
		guard({"StringNotLike": {"aws:PrincipalOrgID": ["o-*"]}}),
		guard({"StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}}),
		guard({"StringNotEquals": {"aws:PrincipalTag/team": ["ops"]}}),
		guard(object.union(org_guard, {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}})),
		guard(object.union(org_guard, {"Bool": {"aws:PrincipalIsAWSService": ["true"]}})),
		guard({}),
		object.union(guard(org_guard), {"Principal": {"AWS": ["arn:aws:iam::999999999999:root"]}}),
		object.union(guard(org_guard), {"Effect": "Allow"}),
		object.union(guard(org_guard), {"Action": ["sts:TagSession"]}),
		object.union(guard(org_guard), {"Condition": {"$unknown": "local.cond"}}),
	]
	every g in not_guards {
		["policy", "Statement", 0, "Principal", "AWS", 0] in {f.path | some f in deny([stmt({}), g])}
	}
}

# The guard must cover every assume action the trust statement allows.
test_deny_guard_must_cover_the_allowed_actions if {
	wide := object.union(stmt({}), {"Action": ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"]})
	count(deny([wide, guard(org_guard)])) == 1
	count(deny([wide, object.union(guard(org_guard), {"Action": ["sts:AssumeRole*"]})])) == 0
}
