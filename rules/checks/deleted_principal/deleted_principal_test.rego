package trustlint.rules.deleted_principal_test

import data.trustlint.rules.deleted_principal

deny(stmts) := fs if {
	fs := deleted_principal.deny with input as {"role": {"name": "r"}, "policy": {"Statement": stmts}}
}

stmt(elem, aws) := {"Effect": "Allow", elem: {"AWS": aws}, "Action": ["sts:AssumeRole"]}

test_role_id if {
	deny([stmt("Principal", ["arn:aws:iam::111111111111:root", "AROA4QWXB7EXAMPLEJ3KZ"])]) == {{
		"msg": "principal AROA4QWXB7EXAMPLEJ3KZ is the unique ID of a deleted role: the trust points at nobody, and recreating the role does not restore it",
		"path": ["policy", "Statement", 0, "Principal", "AWS", 1],
	}}
}

test_user_id if {
	[f] := [f | some f in deny([stmt("Principal", ["AIDA6ZKQW2EXAMPLEV7RT"])])]
	contains(f.msg, "deleted user")
}

test_other_prefix if {
	[f] := [f | some f in deny([stmt("Principal", ["AGPA6ZKQW2EXAMPLEV7RT"])])]
	contains(f.msg, "deleted IAM entity")
}

test_every_statement_and_not_principal if {
	fs := deny([
		object.union(stmt("Principal", ["AROA4QWXB7EXAMPLEJ3KZ"]), {"Effect": "Deny"}),
		stmt("NotPrincipal", ["AIDA6ZKQW2EXAMPLEV7RT"]),
	])
	{f.path | some f in fs} == {
		["policy", "Statement", 0, "Principal", "AWS", 0],
		["policy", "Statement", 1, "NotPrincipal", "AWS", 0],
	}
}

# Too short, lower case, not an IAM prefix, inside an ARN, and the
# ordinary principal forms are not unique IDs.
test_not_unique_ids if {
	values := [
		"AROA4QWXB7EXAMPLE",
		"aroa4qwxb7examplej3kz",
		"AXYZ4QWXB7EXAMPLEJ3KZ",
		"arn:aws:iam::111111111111:role/AROA4QWXB7EXAMPLEJ3KZ",
		"*",
		"111111111111",
		{"$unknown": "var.principal"},
	]
	count(deny([stmt("Principal", values)])) == 0
}

test_unknown_list if {
	count(deny([{"Effect": "Allow", "Principal": {"AWS": {"$unknown": "var.p"}}, "Action": ["sts:AssumeRole"]}])) == 0
}
