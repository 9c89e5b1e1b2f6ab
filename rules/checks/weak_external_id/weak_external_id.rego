# METADATA
# title: sts:ExternalId test that does not pin the external ID
# description: |
#   A trust statement tests `sts:ExternalId` in a way that does not require
#   the one value the third party was given:
#
#   - `StringLike` with a wildcard (`*`, `?`);
#   - an `...IfExists` operator (a request without an external ID passes);
#   - a negated operator (`StringNotEquals`, ...) or any operator other than
#     `StringEquals`, `StringEqualsIgnoreCase` and `StringLike`;
#   - `ForAllValues:` (true when the key is absent);
#   - only empty values;
#   - a literal that AWS would never send: an external ID has 2 to 1224
#     characters of `[\w+=,.@:/-]`.
#
#   Any of these reopens the confused-deputy hole that TL001 is about.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
#     description: How to use an external ID
# scope: package
# custom:
#   id: TL010
#   name: weak-external-id
#   severity: 5.0
#   precision: high
#   tags: [security, iam, trust-policy, confused-deputy]
#   remediation: |
#     Require the exact value:
#
#     ```json
#     "Condition": {"StringEquals": {"sts:ExternalId": "a1b2c3-vendor-given-id"}}
#     ```
#   examples:
#     json:
#       bad: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"AWS": "arn:aws:iam::999988887777:root"},
#             "Action": "sts:AssumeRole",
#             "Condition": {"StringLike": {"sts:ExternalId": "*"}}
#           }]
#         }
#       good: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Effect": "Allow",
#             "Principal": {"AWS": "arn:aws:iam::999988887777:root"},
#             "Action": "sts:AssumeRole",
#             "Condition": {"StringEquals": {"sts:ExternalId": "a1b2c3-vendor-given-id"}}
#           }]
#         }
#     terraform:
#       bad: |
#         resource "aws_iam_role" "vendor" {
#           name = "vendor"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { AWS = "arn:aws:iam::999988887777:root" }
#               Action    = "sts:AssumeRole"
#               Condition = {
#                 StringLike = { "sts:ExternalId" = "*" }
#               }
#             }]
#           })
#         }
#       good: |
#         resource "aws_iam_role" "vendor" {
#           name = "vendor"
#           assume_role_policy = jsonencode({
#             Version = "2012-10-17"
#             Statement = [{
#               Effect    = "Allow"
#               Principal = { AWS = "arn:aws:iam::999988887777:root" }
#               Action    = "sts:AssumeRole"
#               Condition = {
#                 StringEquals = { "sts:ExternalId" = "a1b2c3-vendor-given-id" }
#               }
#             }]
#           })
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           VendorRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       AWS: arn:aws:iam::999988887777:root
#                     Action: sts:AssumeRole
#                     Condition:
#                       StringLike:
#                         sts:ExternalId: "*"
#       good: |
#         Resources:
#           VendorRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       AWS: arn:aws:iam::999988887777:root
#                     Action: sts:AssumeRole
#                     Condition:
#                       StringEquals:
#                         sts:ExternalId: "a1b2c3-vendor-given-id"
package trustlint.rules.weak_external_id

import data.trustlint.lib

# RE2 caps repetition counts at 1000: the length is checked separately.
external_id_re := `^[\w+=,.@:/-]+$`

# Only the trust statements that test sts:ExternalId at all can have a weak
# test (lib.external_id_statements holds every one whose condition keys
# include it): the conditions of the others are not walked.
deny contains f if {
	some i in lib.external_id_statements
	some op, block in input.policy.Statement[i].Condition
	lib.valid_operator(op) # an unknown operator is TL013's
	is_object(block)
	some key, vals in block
	lower(key) == "sts:externalid"
	is_array(vals) # an unknown stands for the whole list
	not _plainly_strong(op, vals)
	why := weakness(op, vals)
	f := {
		"msg": sprintf("weak sts:ExternalId test: %s", [why]),
		"path": ["policy", "Statement", i, "Condition", op, key],
		"key": true,
	}
}

# _plainly_strong: the common test that no weakness body can find fault
# with, judged in one body: StringEquals(IgnoreCase) of valid literal
# external IDs (a value with the own-account token fails the pattern and
# is judged in full).
_plainly_strong(op, vals) if {
	op in {"StringEquals", "StringEqualsIgnoreCase"}
	every v in vals {
		is_string(v)
		valid_external_id(v)
	}
}

weakness(op, _) := sprintf("%s passes when the request has no external ID", [op]) if lib.is_if_exists(op)

# (ForAllValues:StringEqualsIfExists is both: one message, the IfExists
# one; two bodies with different values for one input are an evaluation
# error that lost every finding of the role.)
weakness(op, _) := sprintf("%s is true when the request has no external ID", [op]) if {
	lib.is_for_all_values(op)
	not lib.is_if_exists(op)
}

weakness(op, _) := sprintf("%s does not require the external ID", [op]) if {
	not lib.is_if_exists(op)
	not lib.is_for_all_values(op)
	not op in {"StringEquals", "StringEqualsIgnoreCase", "StringLike"}
}

weakness(op, vals) := "StringLike with a wildcard accepts any matching external ID" if {
	op == "StringLike"
	some v in vals
	lib.has_wildcard(lib.known_text(v))
}

weakness(op, vals) := "only empty values" if {
	op in {"StringEquals", "StringEqualsIgnoreCase", "StringLike"}
	is_array(vals)
	count(vals) > 0
	every v in vals {
		v == ""
	}
}

# A literal outside AWS's constraint; under StringLike, * and ? are
# wildcards (the rule above), under the other operators they are literal
# characters no external ID has. A value only partly known is judged by its
# known parts (its length is unknown); the first invalid value is named.
weakness(op, vals) := sprintf("external ID %s is not valid (2 to 1224 characters of letters, digits and +=,.@:/-)", [lib.quote(shown(bad[0]))]) if {
	op in {"StringEquals", "StringEqualsIgnoreCase", "StringLike"}
	not like_wildcard(op, vals)
	bad := [v | some v in vals; invalid(v)]
	count(bad) > 0
}

like_wildcard("StringLike", vals) if {
	some v in vals
	lib.has_wildcard(lib.known_text(v))
}

invalid(v) if {
	lib.fully_known(v)
	v != ""
	not valid_external_id(lib.known_text(v))
}

invalid(v) if {
	not lib.fully_known(v)
	t := lib.known_text(v)
	t != ""
	not regex.match(external_id_re, t)
}

shown(v) := v if is_string(v)

shown(v) := v["$unknown"] if not is_string(v)

valid_external_id(v) if {
	count(v) >= 2
	count(v) <= 1224
	regex.match(external_id_re, v)
}
