package trustlint.rules.service_confused_deputy_test

import data.trustlint.rules.service_confused_deputy

deny(path, services, cond) := fs if {
	fs := service_confused_deputy.deny with input as {"role": {"name": "r", "path": path}, "policy": {"Statement": [{
		"Effect": "Allow", "Action": ["sts:AssumeRole"],
		"Principal": {"Service": services}, "Condition": cond,
	}]}}
}

test_fires_without_source if {
	fs := deny("/", ["lambda.amazonaws.com", "events.amazonaws.com"], {})
	{f.path | some f in fs} == {["policy", "Statement", 0, "Principal", "Service", 1]}
}

test_source_conditions if {
	count(deny("/", ["events.amazonaws.com"], {"StringEquals": {"aws:SourceAccount": ["111111111111"]}})) == 0
	count(deny("/", ["sns.amazonaws.com"], {"ArnLike": {"AWS:SourceArn": ["arn:aws:sns:*:111111111111:*"]}})) == 0
	count(deny("/", ["config.amazonaws.com"], {"StringEquals": {"aws:SourceOrgID": ["o-abc"]}})) == 0
}

test_exempt if {
	count(deny("/", ["ec2.amazonaws.com", "ECS-TASKS.amazonaws.com", "pods.eks.amazonaws.com", "ec2.amazonaws.com.cn"], {})) == 0
	count(deny("/aws-service-role/autoscaling.amazonaws.com/", ["autoscaling.amazonaws.com"], {})) == 0
}

test_unknown if {
	count(deny("/", [{"$unknown": "var.svc"}], {})) == 0
	count(deny("/", {"$unknown": "var.svcs"}, {})) == 0
	count(deny("/", ["events.amazonaws.com"], {"$unknown": "var.c"})) == 0
}
