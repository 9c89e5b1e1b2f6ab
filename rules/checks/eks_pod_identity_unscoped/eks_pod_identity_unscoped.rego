# METADATA
# title: any pod identity association may use the role
# description: |
#   A trust statement lets EKS Pod Identity (Service `pods.eks.amazonaws.com`)
#   assume the role and no pinning test (`StringEquals`, or `StringLike`
#   with a value that is not wildcards only) of one of the session tags Pod
#   Identity sets: `aws:RequestTag/eks-cluster-arn`,
#   `aws:RequestTag/eks-cluster-name`, `aws:RequestTag/kubernetes-namespace`
#   or `aws:RequestTag/kubernetes-service-account`.
#
#   The role then works for any pod identity association in the account:
#   anyone who may create an association (`eks:CreatePodIdentityAssociation`)
#   can give the role to any service account, in any namespace of any
#   cluster. Pinning the cluster, namespace or service account in the trust
#   policy keeps the decision with the role's owner.
#
#   Negated, `...IfExists` and `ForAllValues:` operators never pin.
# related_resources:
#   - ref: https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html
#     description: Create IAM role with trust policy required by EKS Pod Identity
#   - ref: https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html
#     description: Grant pods access to AWS resources based on tags (session tags set by Pod Identity)
# scope: package
# custom:
#   id: TL016
#   name: eks-pod-identity-unscoped
#   severity: 4.0
#   precision: high
#   tags: [security, iam, trust-policy, eks]
#   remediation: |
#     Pin the namespace and service account (and, with several clusters,
#     the cluster) that may use the role:
#
#     ```json
#     "Condition": {"StringEquals": {
#       "aws:RequestTag/kubernetes-namespace": "payments",
#       "aws:RequestTag/kubernetes-service-account": "ledger-writer"
#     }}
#     ```
#   examples:
#     json:
#       bad: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Sid": "AllowEksAuthToAssumeRoleForPodIdentity",
#             "Effect": "Allow",
#             "Principal": {"Service": "pods.eks.amazonaws.com"},
#             "Action": ["sts:AssumeRole", "sts:TagSession"]
#           }]
#         }
#       good: |
#         {
#           "Version": "2012-10-17",
#           "Statement": [{
#             "Sid": "AllowEksAuthToAssumeRoleForPodIdentity",
#             "Effect": "Allow",
#             "Principal": {"Service": "pods.eks.amazonaws.com"},
#             "Action": ["sts:AssumeRole", "sts:TagSession"],
#             "Condition": {"StringEquals": {
#               "aws:RequestTag/kubernetes-namespace": "payments",
#               "aws:RequestTag/kubernetes-service-account": "ledger-writer"
#             }}
#           }]
#         }
#     terraform:
#       bad: |
#         data "aws_iam_policy_document" "ledger_trust" {
#           statement {
#             actions = ["sts:AssumeRole", "sts:TagSession"]
#             principals {
#               type        = "Service"
#               identifiers = ["pods.eks.amazonaws.com"]
#             }
#           }
#         }
#
#         resource "aws_iam_role" "ledger_writer" {
#           name               = "ledger-writer"
#           assume_role_policy = data.aws_iam_policy_document.ledger_trust.json
#         }
#       good: |
#         data "aws_iam_policy_document" "ledger_trust" {
#           statement {
#             actions = ["sts:AssumeRole", "sts:TagSession"]
#             principals {
#               type        = "Service"
#               identifiers = ["pods.eks.amazonaws.com"]
#             }
#             condition {
#               test     = "StringEquals"
#               variable = "aws:RequestTag/kubernetes-namespace"
#               values   = ["payments"]
#             }
#             condition {
#               test     = "StringEquals"
#               variable = "aws:RequestTag/kubernetes-service-account"
#               values   = ["ledger-writer"]
#             }
#           }
#         }
#
#         resource "aws_iam_role" "ledger_writer" {
#           name               = "ledger-writer"
#           assume_role_policy = data.aws_iam_policy_document.ledger_trust.json
#         }
#     cloudformation:
#       bad: |
#         Resources:
#           LedgerWriterRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Service: pods.eks.amazonaws.com
#                     Action:
#                       - sts:AssumeRole
#                       - sts:TagSession
#       good: |
#         Resources:
#           LedgerWriterRole:
#             Type: AWS::IAM::Role
#             Properties:
#               AssumeRolePolicyDocument:
#                 Version: "2012-10-17"
#                 Statement:
#                   - Effect: Allow
#                     Principal:
#                       Service: pods.eks.amazonaws.com
#                     Action:
#                       - sts:AssumeRole
#                       - sts:TagSession
#                     Condition:
#                       StringEquals:
#                         aws:RequestTag/kubernetes-namespace: payments
#                         aws:RequestTag/kubernetes-service-account: ledger-writer
package trustlint.rules.eks_pod_identity_unscoped

import data.trustlint.lib

pod_tags := {
	"aws:requesttag/eks-cluster-arn", "aws:requesttag/eks-cluster-name",
	"aws:requesttag/kubernetes-namespace", "aws:requesttag/kubernetes-service-account",
}

deny contains f if {
	some p in lib.service_principals
	p.name == "pods.eks"
	not p.stmt in lib.opaque_statements
	not lib.has_templated_key(p.stmt)
	not scoped(p.stmt)
	f := {
		"msg": sprintf("any pod identity association in the account may use the role through %s: no aws:RequestTag/eks-cluster-arn, eks-cluster-name, kubernetes-namespace or kubernetes-service-account test pins the cluster, namespace or service account", [lib.quote(p.value)]),
		"path": ["policy", "Statement", p.stmt, "Principal", "Service", p.index],
	}
}

scoped(i) if {
	some [op, key, vals] in lib.tests[i]
	key in pod_tags
	lib.literal_test(op, vals)
}
