package iamjson

import (
	"testing"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		path string
		src  string // "" reads the fixture named by path
		ok   bool
		why  string
	}{
		{path: "policy_star.json", ok: true},
		{path: "policy_object.json", ok: true},
		{path: "get_role.json", ok: true},
		{path: "list_roles.json", ok: true},
		{path: "auth_details.json", ok: true},
		{path: "doc_string.json", ok: true},
		{path: "crlf.json", ok: true},
		{path: "nonascii.json", ok: true},
		{path: "broken.json", ok: true},
		{path: "broken_embedded.json", ok: true},
		{path: "duplicate_keys.json", ok: true},
		{path: "roles_array.json", ok: true},
		{path: "misspelled_statement.json", ok: true},
		{path: "identity_policy.json", why: WhyNoTrustPolicy},
		{path: "unrelated.json", why: WhyNotIAM},
		{path: "cloudformation.json", why: WhyCloudFormation},
		{path: "tfplan.json", why: WhyTerraformPlan},
		{path: "POLICY.JSON", src: `{"Statement": [{"Principal": "*"}]}`, ok: true},
		{path: "main.tf.json", src: `{"resource": {"aws_iam_role": {"r": {"assume_role_policy": "{\"Statement\": []}"}}}}`, why: WhyTerraformJSON},
		{path: "policy.yaml", src: `{"Statement": [{"Principal": "*"}]}`, why: WhyNotJSON},
		{path: "a.json", src: `{"Resources": {}, "AssumeRolePolicyDocument": {}}`, why: WhyCloudFormation},
		{path: "a.json", src: `{"Description": "x", "Statement": [{"Principal": "*"}]}`, ok: true},
		{path: "a.json", src: `{"policies": [{"Statement": [{"Principal": "*"}]}]}`, why: WhyNoTopLevelPolicy},
		{path: "a.json", src: `[{"Statement": [{"Principal": "*"}]}]`, why: WhyNoTopLevelPolicy},
		{path: "a.json", src: `[{"RoleName": "x", "AssumeRolePolicyDocument": {}}]`, ok: true},
		{path: "a.json", src: `"AssumeRolePolicyDocument"`, why: WhyNoTopLevelPolicy},
		{path: "a.json", src: `{"Version": "2012-10-17", "Statements": [{"Action": "s3:*"}]}`, why: WhyNoTrustPolicy},
		{path: "a.json", src: `{"Version": "2012-10-17", "Statements": [{"Principal": "*"}]}`, ok: true},
		{path: "a.json", src: `{"Version": "1", "Statements": [{"Principal": "*"}]}`, why: WhyNoTopLevelPolicy},
		{path: "a.json", src: `{"Statement": [{"Principal": "*"`, ok: true}, // broken: Parse reports it
		{path: "a.json", src: `{"x": 1, "RoleDetailList" "oops"}`, ok: true},
		{path: "a.json", src: ``, why: WhyNotIAM},
		// Resource policies: no sts: action, some Resource.
		{path: "bucket.json", src: `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["s3:GetObject", "S3:List*"], "Resource": "arn:aws:s3:::b/*"}]}`, why: WhyResourcePolicy},
		{path: "key.json", src: `{"Statement": {"Principal": {"AWS": "*"}, "NotAction": "sts:*", "Resource": "*"}}`, why: WhyResourcePolicy},
		{path: "queue.json", src: `{"Statement": [{"Principal": "*", "Action": "sqs:SendMessage", "NotResource": "x"}, {"Principal": "*", "Action": "sqs:Get*"}]}`, why: WhyResourcePolicy},
		// A Deny allows nothing: the deny-insecure-transport statement of a
		// bucket policy names every action.
		{path: "bucket.json", src: `{"Statement": [{"Effect": "Allow", "Principal": {"Service": "delivery.logs.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::l/*"}, {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "arn:aws:s3:::l/*"}]}`, why: WhyResourcePolicy},
		// No Resource, but every action is another service's: an ECR
		// repository policy.
		{path: "ecr.json", src: `{"Version": "2008-10-17", "Statement": [{"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}`, why: WhyResourcePolicy},
		{path: "a.json", src: `{"Statement": [{"Principal": "*", "Action": "s3:GetObject"}]}`, why: WhyResourcePolicy},
		// Trust policies, whatever else they hold.
		{path: "a.json", src: `{"Statement": [{"Principal": "*", "Action": "s3:GetObject", "Resource": "*"}, {"Principal": "*", "Action": "STS:AssumeRole"}]}`, ok: true},
		{path: "a.json", src: `{"Statement": [{"Principal": "*", "Action": "*", "Resource": "*"}]}`, ok: true},
		{path: "a.json", src: `{"Statement": [{"Principal": "*", "Action": "s?s:Get*", "Resource": "*"}]}`, ok: true},
		{path: "a.json", src: `{"Statement": [{"Principal": "*", "Action": "st*", "Resource": "*"}]}`, ok: true},
		{path: "a.json", src: `{"Statement": [{"Principal": "*", "NotAction": "sts:Get*", "Resource": "*"}]}`, ok: true},
		{path: "a.json", src: `{"Statement": [{"Principal": "*", "Action": ["s3:Get*", 7], "Resource": "*"}]}`, ok: true},
		{path: "a.json", src: `{"Statement": [{"Principal": "*", "Action": "s3:GetObject"}, {"Principal": "*", "Action": "x"}]}`, ok: true},
		{path: "a.json", src: `{"Statement": [{"Principal": "*", "Action": "s*:GetObject"}]}`, ok: true},
		{path: "a.json", src: `{"Statement": [{"Principal": "*", "Action": []}]}`, ok: true},
		{path: "a.json", src: `{"Statement": [{"Effect": "deny", "Principal": "*", "Action": "*", "Resource": "*"}]}`, ok: true},
		{path: "a.json", src: `{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}, {"Principal": "*", "Action": "sts:AssumeRole"}]}`, ok: true},
		{path: "a.json", src: `{"Statement": ["x", {"Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}`, ok: true},
		{path: "a.json", src: `{"Statement": [{"Principal": "*", "Action": "sts", "Resource": "*"}]}`, why: WhyResourcePolicy},
		{path: "a.json", src: `{"Statement": [{"Principal": "*", "Action": {"a": "s3:x"}, "Resource": "*"}]}`, ok: true},
		{path: "a.json", src: `{"Statement": [{"Effect": ["Deny"], "Principal": "*", "Action": "*", "Resource": "*"}]}`, ok: true},
		{path: "a.json", src: `{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*"}, {"Principal": "*", "Action": ["s3:x", {"a": 1}], "Resource": "*"}]}`, ok: true},
		{path: "a.json", src: `{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*"}, {"Principal": "*", "Action": ["s3:x", "ecr:y"], "Resource": "*"}]}`, why: WhyResourcePolicy},
		// The first statement that may allow an sts: action decides:
		// what follows is not read.
		{path: "a.json", src: `{"Statement": [{"Principal": "*", "Action": "sts:AssumeRole"}, {"Principal": "*", "Action": "s3:x", "Resource": "*"}, {"Action": [`, ok: true},
		// Several documents: each is classified as a file of it alone
		// would be, until one is relevant.
		{path: "a.json", src: keyPolicy + "\n" + getRole, ok: true},
		{path: "a.json", src: bucketPolicy + bucketPolicy + "\n" + getRole, ok: true},
		{path: "a.json", src: identityPolicy + "\n" + getRole, ok: true},
		{path: "a.json", src: identityPolicy + "\n" + bucketPolicy, why: WhyNoTrustPolicy},
		{path: "a.json", src: keyPolicy + "\n" + identityPolicy, why: WhyResourcePolicy},
		{path: "a.json", src: keyPolicy + "\n" + trustPolicy, ok: true},
		{path: "a.json", src: getKeyPolicy + "\n" + getRole, ok: true},
		{path: "a.json", src: getKeyPolicy, why: WhyResourcePolicy},
		{path: "a.json", src: `{"Policy": "{\"Statement\": [{\"Principal\": \"*\", \"Action\": \"sts:AssumeRole\"}]}"}` + getRole, why: WhyNoTopLevelPolicy},
		// AWS CLI outputs that hold no trust policy: skipped (they hid
		// the roles after them).
		{path: "a.json", src: getPolicy + getRole, ok: true},
		{path: "a.json", src: getPolicy, why: WhyNotIAM},
		{path: "a.json", src: attachedPolicies + "\n" + rolePolicies + "\n" + getRole, ok: true},
		{path: "a.json", src: queueAttributes, why: WhyOtherOutput},
		{path: "a.json", src: queueAttributes + "\n" + topicAttributes + "\n" + trustPolicy, ok: true},
		{path: "a.json", src: topicAttributes + getPolicy, why: WhyOtherOutput},
		{path: "a.json", src: `{"Attributes": "x"}` + getRole, why: WhyNoTopLevelPolicy},
		{path: "a.json", src: `{"AttachedPolicies": {}}` + getRole, why: WhyNoTopLevelPolicy},
		{path: "a.json", src: `{"Policy": {"PolicyName": "p"}, "Roles": [{"RoleName": "r", "AssumeRolePolicyDocument": {}}]}`, ok: true},
		{path: "a.json", src: `[1, 2]` + trustPolicy, ok: true},
		// Identity policies as the CLI prints them.
		{path: "a.json", src: getRolePolicy, why: WhyIdentityPolicy},
		{path: "a.json", src: getRolePolicy + getRole, ok: true},
		{path: "a.json", src: `{"Version": "2012-10-17", "RoleName": "r", "PolicyDocument": {"Statement": [{"Condition": "aws:PrincipalTag"}]}}`, why: WhyIdentityPolicy},
		{path: "a.json", src: `{"UserName": "u", "PolicyName": "p", "PolicyDocument": ` + identityPolicy + "}\n" + getRole, ok: true},
		{path: "a.json", src: `{"PolicyVersion": {"Document": ` + identityPolicy + `, "VersionId": "v1", "IsDefaultVersion": true}}` + trustPolicy, ok: true},
		{path: "a.json", src: `{"RoleName": "r", "PolicyDocument": {}, "AssumeRolePolicyDocument": {"Statement": []}}`, ok: true},
		{path: "a.json", src: `{"RoleName": "r", "Description": "no AssumeRolePolicyDocument"}`, ok: true},
		// A document that Parse stops at hides what follows.
		{path: "a.json", src: keyPolicy + "\n" + `{"Resources": {}}` + "\n" + getRole, why: WhyResourcePolicy},
		{path: "a.json", src: keyPolicy + "\n7\n" + getRole, why: WhyResourcePolicy},
		{path: "a.json", src: `{"Resources": {}}` + "\n" + getRole, why: WhyCloudFormation},
		// A trust policy whose Principal is past its first statement.
		{path: "a.json", src: identityPolicy + `{"Statement": [{"Action": "sts:AssumeRole"}, {"Principal": "*"}]}`, ok: true},
		{path: "a.json", src: `{"Version": "2012-10-17", "Statements": [{"Action": "s3:x"}]}` + trustPolicy, ok: true},
		// Broken: Parse reports it.
		{path: "a.json", src: keyPolicy + "\n" + `{"Role": {"RoleName" "x"}}`, ok: true},
		{path: "a.json", src: keyPolicy + "\n" + `#{"Role": {"AssumeRolePolicyDocument": {}}}`, ok: true},
		{path: "a.json", src: keyPolicy + "\n#", why: WhyResourcePolicy},
		{path: "a.json", src: keyPolicy + `{"Statement": [{"Principal": "*", "Action": "s3:x", "Resource": "*"}, "x"`, ok: true},
	}
	for _, tt := range tests {
		name := tt.path
		if tt.src != "" {
			name += " " + tt.src
		}
		t.Run(name, func(t *testing.T) {
			src := []byte(tt.src)
			if tt.src == "" && tt.why != WhyNotIAM {
				src = readFixture(t, tt.path)
			}
			ok, why := Parser{}.Match(tt.path, src)
			if ok != tt.ok || why != tt.why {
				t.Errorf("got %v %q want %v %q", ok, why, tt.ok, tt.why)
			}
		})
	}
}

// Documents of multi-document Match cases.
const (
	keyPolicy      = `{"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}`
	bucketPolicy   = `{"Statement": [{"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/*"}]}`
	identityPolicy = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/deploy"}]}`
	trustPolicy    = `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}`
	getRole        = `{"Role": {"RoleName": "r", "AssumeRolePolicyDocument": ` + trustPolicy + `}}`
	getRolePolicy  = `{"RoleName": "deploy", "PolicyName": "tagged", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "web"}}}]}}`
	// aws iam get-policy, list-attached-role-policies, list-role-policies,
	// aws sqs get-queue-attributes and aws sns get-topic-attributes.
	getPolicy        = `{"Policy": {"PolicyName": "p", "Arn": "arn:aws:iam::111122223333:policy/p", "DefaultVersionId": "v2", "AttachmentCount": 1}}`
	attachedPolicies = `{"AttachedPolicies": [{"PolicyName": "p", "PolicyArn": "arn:aws:iam::111122223333:policy/p"}]}`
	rolePolicies     = `{"PolicyNames": ["inline"]}`
	queueAttributes  = `{"Attributes": {"QueueArn": "arn:aws:sqs:eu-west-1:111122223333:q", "Policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"SQS:SendMessage\",\"Resource\":\"*\"}]}"}}`
	topicAttributes  = `{"Attributes": {"Policy": "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"SNS:Publish\",\"Resource\":\"*\"}]}", "TopicArn": "arn:aws:sns:eu-west-1:111122223333:t", "Owner": "111122223333"}}`
	getKeyPolicy     = `{"Policy": "{\n  \"Version\" : \"2012-10-17\",\n  \"Statement\" : [ {\n    \"Effect\" : \"Allow\",\n    \"Principal\" : {\"AWS\" : \"arn:aws:iam::111122223333:root\"},\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}", "PolicyName": "default"}`
)
