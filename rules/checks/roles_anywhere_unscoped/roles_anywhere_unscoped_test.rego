package trustlint.rules.roles_anywhere_unscoped_test

import data.trustlint.rules.roles_anywhere_unscoped

deny(cond) := fs if {
	stmt := {
		"Effect": "Allow",
		"Principal": {"Service": ["ec2.amazonaws.com", "rolesanywhere.amazonaws.com"]},
		"Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
		"Condition": cond,
	}
	fs := roles_anywhere_unscoped.deny with input as {"role": {"name": "r"}, "policy": {"Statement": [stmt]}}
}

anchor := "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"

test_unscoped if {
	[f] := [f | some f in deny({})]
	f.path == ["policy", "Statement", 0, "Principal", "Service", 1]
	startswith(f.msg, "any certificate that a trust anchor of the account accepts may become the role through rolesanywhere.amazonaws.com")
}

test_pins if {
	pins := [
		{"ArnEquals": {"aws:SourceArn": [anchor]}},
		{"ArnLike": {"aws:SourceArn": ["arn:aws:rolesanywhere:*:111122223333:trust-anchor/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"]}},
		{"StringEquals": {"AWS:SourceArn": [anchor]}},
		{"ArnEquals": {"aws:SourceArn": [{"$unknown": "aws_rolesanywhere_trust_anchor.ca.arn"}]}},
		{"StringEquals": {"aws:PrincipalTag/x509Subject/CN": ["billing-batch.corp.example.com"]}},
		{"StringLike": {"aws:PrincipalTag/x509Subject/OU": ["billing-*"]}},
		{"StringEquals": {"aws:PrincipalTag/x509Issuer/CN": ["Corp Issuing CA 2"]}},
		{"StringEqualsIgnoreCase": {"aws:principaltag/x509san/DNS": ["batch.corp.example.com"]}},
	]
	every cond in pins {
		count(deny(cond)) == 0
	}
}

test_conditions_that_do_not_pin if {
	open := [
		{"ArnLike": {"aws:SourceArn": ["arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/*"]}},
		{"ArnLike": {"aws:SourceArn": ["arn:aws:rolesanywhere:eu-west-1:*:trust-anchor/0a1b2c3d"]}},
		{"ArnEquals": {"aws:SourceArn": [anchor, "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/*"]}},
		{"ArnEquals": {"aws:SourceArn": ["arn:aws:s3:::certs-bucket"]}},
		{"ArnNotEquals": {"aws:SourceArn": [anchor]}},
		{"ArnEqualsIfExists": {"aws:SourceArn": [anchor]}},
		{"StringLike": {"aws:PrincipalTag/x509Subject/CN": ["*"]}},
		{"StringNotEquals": {"aws:PrincipalTag/x509Subject/CN": ["test"]}},
		{"StringEqualsIfExists": {"aws:PrincipalTag/x509Subject/CN": ["billing"]}},
		{"ForAllValues:StringEquals": {"aws:PrincipalTag/x509SAN/DNS": ["billing"]}},
		{"StringEquals": {"aws:PrincipalTag/team": ["billing"]}},
		{"StringEquals": {"aws:SourceAccount": ["111122223333"]}},
	]
	every cond in open {
		count(deny(cond)) == 1
	}
}

test_unreadable if {
	count(deny({"$unknown": "local.cond"})) == 0
	count(deny({"StringEquals": {"${var.key}": ["x"]}})) == 0
}

test_other_services if {
	fs := roles_anywhere_unscoped.deny with input as {"role": {"name": "r"}, "policy": {"Statement": [{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}]}}
	count(fs) == 0
}
