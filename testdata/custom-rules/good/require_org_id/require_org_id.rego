# METADATA
# title: cross-account trust without an organization condition
# description: |
#   ACME policy: every trust statement that names an AWS account principal
#   other than our own must also require `aws:PrincipalOrgID`.
# scope: package
# custom:
#   id: ACME001
#   name: require-org-id
#   severity: 6.0
#   precision: high
#   tags: [security, acme]
#   remediation: |
#     Add `"StringEquals": {"aws:PrincipalOrgID": "o-acme12345"}`.
package trustlint.rules.require_org_id

import data.trustlint.lib

deny contains f if {
	some p in lib.aws_principals
	p.class != "wildcard"
	not p.account in lib.own_accounts
	not lib.tests_key(p.stmt, "aws:principalorgid")
	f := lib.finding(sprintf("%s may assume the role without an aws:PrincipalOrgID condition", [p.value]), ["policy", "Statement", p.stmt, "Principal", "AWS", p.index])
}
