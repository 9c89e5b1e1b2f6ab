package trustlint.rules.require_org_id_test

import data.trustlint.rules.require_org_id

test_fires_without_org if {
	fs := require_org_id.deny with input as {"role": {"name": "r", "own_account": "111111111111"}, "policy": {"Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"AWS": ["222222222222"]}}]}}
	count(fs) == 1
}

test_silent_with_org if {
	fs := require_org_id.deny with input as {"role": {"name": "r"}, "policy": {"Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"AWS": ["222222222222"]}, "Condition": {"StringEquals": {"aws:PrincipalOrgID": ["o-acme12345"]}}}]}}
	count(fs) == 0
}
