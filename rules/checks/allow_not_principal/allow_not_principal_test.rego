package trustlint.rules.allow_not_principal_test

import data.trustlint.rules.allow_not_principal

deny(stmts) := fs if {
	fs := allow_not_principal.deny with input as {"role": {"name": "r"}, "policy": {"Statement": stmts}}
}

test_allow_not_principal if {
	fs := deny([
		{"Effect": "Deny", "NotPrincipal": {"AWS": ["111111111111"]}, "Action": ["sts:AssumeRole"]},
		{"Effect": "Allow", "NotPrincipal": {"AWS": ["111111111111"]}, "Action": ["sts:AssumeRole"]},
	])
	fs == {{"msg": "Allow with NotPrincipal lets everyone except the listed principals assume the role", "path": ["policy", "Statement", 1, "NotPrincipal"], "key": true}}
}

test_principal_is_fine if {
	count(deny([{"Effect": "Allow", "Principal": {"AWS": ["111111111111"]}, "Action": ["sts:AssumeRole"]}])) == 0
}
