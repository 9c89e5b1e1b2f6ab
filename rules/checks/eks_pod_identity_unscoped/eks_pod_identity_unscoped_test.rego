package trustlint.rules.eks_pod_identity_unscoped_test

import data.trustlint.rules.eks_pod_identity_unscoped

deny(cond) := fs if {
	stmt := {
		"Effect": "Allow",
		"Principal": {"Service": ["pods.eks.amazonaws.com"]},
		"Action": ["sts:AssumeRole", "sts:TagSession"],
		"Condition": cond,
	}
	fs := eks_pod_identity_unscoped.deny with input as {"role": {"name": "r"}, "policy": {"Statement": [stmt]}}
}

test_unscoped if {
	[f] := [f | some f in deny({})]
	f.path == ["policy", "Statement", 0, "Principal", "Service", 0]
	startswith(f.msg, "any pod identity association in the account may use the role through pods.eks.amazonaws.com")
}

test_request_tag_pins if {
	pins := [
		{"StringEquals": {"aws:RequestTag/kubernetes-namespace": ["payments"]}},
		{"StringEquals": {"aws:RequestTag/kubernetes-service-account": ["ledger-writer"]}},
		{"StringEquals": {"AWS:RequestTag/eks-cluster-name": ["prod"]}},
		{"StringLike": {"aws:RequestTag/eks-cluster-arn": ["arn:aws:eks:eu-west-1:111122223333:cluster/prod-*"]}},
		{"StringEquals": {"aws:RequestTag/kubernetes-namespace": {"$unknown": "var.namespace"}}},
	]
	every cond in pins {
		count(deny(cond)) == 0
	}
}

test_conditions_that_do_not_pin if {
	open := [
		{"StringLike": {"aws:RequestTag/kubernetes-namespace": ["*"]}},
		{"StringLike": {"aws:RequestTag/kubernetes-namespace": ["payments", "*"]}},
		{"StringNotEquals": {"aws:RequestTag/kubernetes-namespace": ["kube-system"]}},
		{"StringEqualsIfExists": {"aws:RequestTag/kubernetes-namespace": ["payments"]}},
		{"ForAllValues:StringEquals": {"aws:RequestTag/kubernetes-namespace": ["payments"]}},
		{"StringEquals": {"aws:RequestTag/team": ["payments"]}},
		{"StringEquals": {"aws:PrincipalTag/kubernetes-namespace": ["payments"]}},
		{"StringEquals": {"aws:SourceAccount": ["111122223333"]}},
	]
	every cond in open {
		count(deny(cond)) == 1
	}
}

test_unreadable if {
	count(deny({"StringEquals": {"$unknown": "local.tags"}})) == 0
}
