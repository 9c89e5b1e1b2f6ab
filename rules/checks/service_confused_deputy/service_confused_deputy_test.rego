package trustlint.rules.service_confused_deputy_test

import data.trustlint.rules.service_confused_deputy

# role holds the role attributes besides the name.
deny(role, services, cond) := fs if {
	fs := service_confused_deputy.deny with input as {"role": object.union({"name": "r"}, role), "policy": {"Statement": [{
		"Effect": "Allow", "Action": ["sts:AssumeRole"],
		"Principal": {"Service": services}, "Condition": cond,
	}]}}
}

test_fires_without_source if {
	fs := deny({"path": "/"}, ["lambda.amazonaws.com", "events.amazonaws.com"], {})
	{f.path | some f in fs} == {["policy", "Statement", 0, "Principal", "Service", 1]}
}

test_source_conditions if {
	count(deny({"path": "/"}, ["events.amazonaws.com"], {"StringEquals": {"aws:SourceAccount": ["111111111111"]}})) == 0
	count(deny({"path": "/"}, ["sns.amazonaws.com"], {"ArnLike": {"AWS:SourceArn": ["arn:aws:sns:*:111111111111:*"]}})) == 0
	count(deny({"path": "/"}, ["config.amazonaws.com"], {"StringEquals": {"aws:SourceOrgID": ["o-abc"]}})) == 0
}

test_exempt if {
	count(deny({"path": "/"}, ["ec2.amazonaws.com", "ECS-TASKS.amazonaws.com", "pods.eks.amazonaws.com", "ec2.amazonaws.com.cn", "rolesanywhere.amazonaws.com"], {})) == 0
	count(deny({"path": "/aws-service-role/autoscaling.amazonaws.com/", "service_linked": true}, ["autoscaling.amazonaws.com"], {})) == 0
}

test_unknown if {
	count(deny({"path": "/"}, [{"$unknown": "var.svc"}], {})) == 0
	count(deny({"path": "/"}, {"$unknown": "var.svcs"}, {})) == 0
	count(deny({"path": "/"}, ["events.amazonaws.com"], {"$unknown": "var.c"})) == 0
}

test_source_arn_must_name_an_account if {
	count(deny({"path": "/"}, ["s3.amazonaws.com"], {"ArnLike": {"aws:SourceArn": ["arn:aws:s3:::inventory-reports"]}})) == 1
	count(deny({"path": "/"}, ["sns.amazonaws.com"], {"ArnLike": {"aws:SourceArn": ["arn:aws:sns:eu-west-1:*:alerts"]}})) == 1
	count(deny({"path": "/"}, ["sns.amazonaws.com"], {"ArnLike": {"aws:SourceArn": ["arn:aws:sns:eu-west-1:111111111111:alerts", "arn:aws:s3:::b"]}})) == 1
	count(deny({"path": "/"}, ["sns.amazonaws.com"], {"ArnEquals": {"aws:SourceArn": [{"$unknown": "aws_sns_topic.alerts.arn"}]}})) == 0
	count(deny({"path": "/"}, ["sns.amazonaws.com"], {"ArnEquals": {"aws:SourceArn": ["arn:aws:sns:eu-west-1:<own-account>:alerts"]}})) == 0
}

test_for_all_values_never_counts if {
	count(deny({"path": "/"}, ["events.amazonaws.com"], {"ForAllValues:StringEquals": {"aws:SourceAccount": ["111111111111"]}})) == 1
	count(deny({"path": "/"}, ["sns.amazonaws.com"], {"ForAllValues:ArnLike": {"aws:SourceArn": ["arn:aws:sns:*:111111111111:*"]}})) == 1
}

test_templated_source_key if {
	count(deny({"path": "/"}, ["events.amazonaws.com"], {"StringEquals": {"${local.source_key}": ["111111111111"]}})) == 0
}
