package trustlint.rules.invalid_trust_policy_test

import data.trustlint.rules.invalid_trust_policy

good := {"Effect": "Allow", "Principal": {"AWS": ["111111111111"]}, "Action": ["sts:AssumeRole"]}

deny(policy) := fs if {
	fs := invalid_trust_policy.deny with input as {"role": {"name": "r"}, "policy": policy}
}

paths(fs) := {p | some f in fs; p := f.path}

test_valid_policy if {
	count(deny({"Version": "2012-10-17", "Statement": [good]})) == 0
	count(deny({"Statement": [good]})) == 0
}

# A document that is valid but for one part: each part is looked at.
test_one_flaw_in_a_valid_document if {
	deny({"Version": "2012-10-17", "Statement": [good], "Sid": "x"}) == {{"msg": "unknown element Sid in the trust policy", "path": ["policy", "Sid"], "key": true}}
	paths(deny({"Version": "2012-10-17", "Statement": [good, {"Effect": "Allow"}]})) == {["policy", "Statement", 1]}
	paths(deny({"Version": "2012-10-18", "Statement": [good]})) == {["policy", "Version"]}
	paths(deny({"Version": "2012-10-17", "Statement": []})) == {["policy", "Statement"]}
	paths(deny({"Version": "2012-10-17", "Statement": {"a": good}})) == {["policy", "Statement"]}
	count(deny({"Version": "2012-10-17", "Id": "x", "Statement": [good]})) == 0
}

test_no_document if {
	fs := invalid_trust_policy.deny with input as {"role": {"name": "r"}}
	paths(fs) == {["role"]}
}

test_empty_string if paths(deny("")) == {["policy"]}

test_not_an_object if paths(deny("not json")) == {["policy"]}

test_missing_statement if {
	paths(deny({"Version": "2012-10-17"})) == {["policy"]}
	fs := deny({"Statements": [good]})
	paths(fs) == {["policy"]}
	some f in fs
	contains(f.msg, "Statements")
}

test_unknown_top_level_with_statement if {
	fs := deny({"Statement": [good], "Foo": 1})
	{[f.path, f.key] | some f in fs} == {[["policy", "Foo"], true]}
}

test_version if paths(deny({"Version": "2012-10-18", "Statement": [good]})) == {["policy", "Version"]}

test_effect if {
	paths(deny({"Statement": [object.union(good, {"Effect": "allow"})]})) == {["policy", "Statement", 0, "Effect"]}
	paths(deny({"Statement": [object.remove(good, ["Effect"])]})) == {["policy", "Statement", 0]}
}

test_missing_principal_and_action if {
	paths(deny({"Statement": [object.remove(good, ["Principal"])]})) == {["policy", "Statement", 0]}
	paths(deny({"Statement": [object.remove(good, ["Action"])]})) == {["policy", "Statement", 0]}
}

test_misspelt_element_is_one_finding if {
	fs := deny({"Statement": [object.union(object.remove(good, ["Action"]), {"dAction": ["sts:AssumeRole"]})]})
	{[f.path, object.get(f, "key", false)] | some f in fs} == {[["policy", "Statement", 0, "dAction"], true]}
}

test_resource if {
	fs := deny({"Statement": [object.union(good, {"Resource": ["*"]})]})
	paths(fs) == {["policy", "Statement", 0, "Resource"]}
}

test_principals if {
	fs := deny({"Statement": [object.union(good, {"Principal": {"AWS": [
		"12345", "arn:aws:iam::*:root", "arn:aws:iam::111111111111:root",
		"arn:aws:iam::111111111111:group/admins", "*", "<own-account>",
		"AROA4QWXB7EXAMPLEJ3KZ", "AIDA6ZKQW2EXAMPLEV7RT",
	]}})]})
	paths(fs) == {
		["policy", "Statement", 0, "Principal", "AWS", 0],
		["policy", "Statement", 0, "Principal", "AWS", 1],
		["policy", "Statement", 0, "Principal", "AWS", 3],
	}
}

test_principal_type_and_shape if {
	fs := deny({"Statement": [object.union(good, {"Principal": {"Aws": ["111111111111"]}})]})
	paths(fs) == {["policy", "Statement", 0, "Principal", "Aws"]}
	paths(deny({"Statement": [object.union(good, {"Principal": "111111111111"})]})) == {["policy", "Statement", 0, "Principal"]}
}

test_federated if {
	fs := deny({"Statement": [object.union(good, {"Principal": {"Federated": [
		"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
		"arn:aws:iam::111111111111:saml-provider/okta",
		"accounts.google.com",
		"token.actions.githubusercontent.com",
	]}})]})
	paths(fs) == {["policy", "Statement", 0, "Principal", "Federated", 3]}
}

test_actions if {
	fs := deny({"Statement": [object.union(good, {"Action": ["sts:AssumeRole", "s3:GetObject", "sts:AssumeRoles", "*", "sts:*", "STS:assume*", "sts:TagSession"]})]})
	paths(fs) == {["policy", "Statement", 0, "Action", 1], ["policy", "Statement", 0, "Action", 2]}
}

test_operators if {
	fs := deny({"Statement": [object.union(good, {"Condition": {
		"StringEquals": {"sts:ExternalId": ["x1"]},
		"ForAnyValue:StringLikeIfExists": {"aws:PrincipalTag/team": ["a"]},
		"Null": {"aws:PrincipalTag/x": ["true"]},
		"StringEqual": {"sts:ExternalId": ["x1"]},
		"NullIfExists": {"a:b": ["true"]},
	}})]})
	paths(fs) == {["policy", "Statement", 0, "Condition", "StringEqual"], ["policy", "Statement", 0, "Condition", "NullIfExists"]}
}

test_deny_statements_checked_too if {
	paths(deny({"Statement": [good, object.union(good, {"Effect": "Deny", "Action": ["s3:*"]})]})) == {["policy", "Statement", 1, "Action", 0]}
}

test_session_duration if {
	fs := invalid_trust_policy.deny with input as {"role": {"name": "r", "MaxSessionDuration": 50000}, "policy": {"Statement": [good]}}
	paths(fs) == {["role", "MaxSessionDuration"]}
	fs2 := invalid_trust_policy.deny with input as {"role": {"name": "r", "MaxSessionDuration": "1h"}, "policy": {"Statement": [good]}}
	paths(fs2) == {["role", "MaxSessionDuration"]}
	fs3 := invalid_trust_policy.deny with input as {"role": {"name": "r", "MaxSessionDuration": "7200"}, "policy": {"Statement": [good]}}
	count(fs3) == 0
}

test_unknowns_are_not_invalid if {
	count(deny({"$unknown": "var.policy"})) == 0
	count(deny({"Statement": {"$unknown": "local.statements"}})) == 0
	count(deny({"Statement": [object.union(good, {"Principal": {"AWS": [{"$unknown": "var.acct"}]}, "Condition": {"$unknown": "var.c"}})]})) == 0
	count(deny({"Statement": [{"$unknown": "local.stmt"}]})) == 0
	count(deny({"Statement": [object.union(good, {"Condition": {"${var.test}": {"sts:ExternalId": ["x"]}, "${var.conditions}": {"$unknown": "var.conditions"}}})]})) == 0
	count(deny({"Statement": [object.union(good, {"Principal": {"AWS": ["111111111111"], "${var.extra}": {"$unknown": "var.extra"}, "${var.t}": ["x"]}})]})) == 0
}

# A unique ID is a deleted principal (TL018), not a malformed one.
test_unique_id_is_not_malformed if {
	count(deny({"Statement": [object.union(good, {"Principal": {"AWS": ["AROA4QWXB7EXAMPLEJ3KZ"]}})]})) == 0
}

# Messages quote at most about 80 characters of a value, whatever it holds.
test_long_values_are_cut if {
	secret := concat("\n", [x | some _ in numbers.range(1, 200); x := "root:x:0:0:root:/root:/bin/bash"])
	[f] := [f | some f in deny(secret)]
	count(f.msg) < 140
	contains(f.msg, "…")
	not contains(f.msg, "\n")
}

test_not_principal_in_any_statement if {
	fs := deny({"Statement": [
		{"Effect": "Deny", "NotPrincipal": {"AWS": ["111111111111"]}, "Action": ["sts:AssumeRole"]},
		{"Effect": "Allow", "NotPrincipal": {"AWS": ["111111111111"]}, "Action": ["sts:AssumeRole"]},
	]})
	{[f.path, f.key] | some f in fs} == {
		[["policy", "Statement", 0, "NotPrincipal"], true],
		[["policy", "Statement", 1, "NotPrincipal"], true],
	}
}

fed(values, actions) := {"Statement": [{"Effect": "Allow", "Principal": {"Federated": values}, "Action": actions}]}

saml := "arn:aws:iam::111111111111:saml-provider/okta"

oidc := "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"

test_action_does_not_fit_the_principal if {
	[f] := [f | some f in deny(fed([saml], ["sts:AssumeRole"]))]
	f.path == ["policy", "Statement", 0, "Action"]
	f.key == true
	f.msg == "the statement's principals are all SAML providers but it does not allow sts:AssumeRoleWithSAML: STS refuses every federated sign-in to the role"
	paths(deny(fed([oidc, "accounts.google.com"], ["sts:AssumeRoleWithSAML"]))) == {["policy", "Statement", 0, "Action"]}
	paths(deny({"Statement": [{"Effect": "Allow", "Principal": {"Federated": [oidc]}, "NotAction": ["sts:AssumeRoleWithWebIdentity"]}]})) == {["policy", "Statement", 0, "NotAction"]}
}

test_actions_that_fit if {
	count(deny(fed([saml], ["sts:AssumeRoleWithSAML", "sts:TagSession"]))) == 0
	count(deny(fed([oidc], ["sts:AssumeRoleWithWebIdentity"]))) == 0
	count(deny(fed([oidc], ["sts:AssumeRole*"]))) == 0
	count(deny(fed(["cognito-identity.amazonaws.com"], ["sts:*"]))) == 0
	count(deny({"Statement": [{"Effect": "Allow", "Principal": {"Federated": [saml]}, "NotAction": ["sts:AssumeRoleWithWebIdentity"]}]})) == 0
}

test_mixed_or_unknown_principals_are_not_judged if {
	count(deny(fed([saml, oidc], ["sts:AssumeRole"]))) == 0
	count(deny({"Statement": [{"Effect": "Allow", "Principal": {"Federated": [saml], "AWS": ["111111111111"]}, "Action": ["sts:AssumeRole"]}]})) == 0
	count(deny(fed([{"$unknown": "var.provider"}], ["sts:AssumeRole"]))) == 0
	count(deny(fed([saml], {"$unknown": "var.actions"}))) == 0
	count(deny({"Statement": [{"Effect": "Deny", "Principal": {"Federated": [saml]}, "Action": ["sts:AssumeRole"]}]})) == 0
}

svc(service, actions) := {"Statement": [{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", service]}, "Action": actions}]}

test_roles_anywhere_and_pod_identity_actions if {
	[f] := [f | some f in deny(svc("rolesanywhere.amazonaws.com", ["sts:AssumeRole"]))]
	f.msg == "IAM Roles Anywhere needs sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity in the trust statement; it does not allow sts:TagSession, sts:SetSourceIdentity, so the service refuses the role"
	f.path == ["policy", "Statement", 0, "Action"]
	[g] := [g | some g in deny(svc("pods.eks.amazonaws.com", ["sts:AssumeRole"]))]
	g.msg == "EKS Pod Identity needs sts:AssumeRole, sts:TagSession in the trust statement; it does not allow sts:TagSession, so the service refuses the role"
	count(deny(svc("rolesanywhere.amazonaws.com", ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]))) == 0
	count(deny(svc("rolesanywhere.amazonaws.com", ["sts:*"]))) == 0
	count(deny(svc("pods.eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]))) == 0
	count(deny(svc("ec2.amazonaws.com", ["sts:AssumeRole"]))) == 0
}
