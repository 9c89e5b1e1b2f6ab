provider "aws" {
  region = "eu-central-1"
}

data "aws_caller_identity" "current" {}

locals {
  # People of the incident-response firm who may break glass.
  break_glass_principals = [
    "arn:aws:iam::731902284516:user/alice",
    "arn:aws:iam::731902284516:user/bob",
    "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root",
  ]

  readonly_accounts = {
    audit   = "389476015216"
    finance = "568309117442"
  }
}

resource "aws_iam_role" "break_glass" {
  name = "break-glass"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for p in local.break_glass_principals : {
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = p }
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    } if !endswith(p, ":root")]
  })
}

resource "aws_iam_role" "readonly" {
  name = "org-readonly"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for name, account in local.readonly_accounts : {
      Sid       = "ReadOnly${title(name)}"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::${account}:root" }
    }]
  })
}

module "cross_account" {
  source = "../modules/cross-account-roles"

  roles = {
    auditor = ["arn:aws:iam::389476015216:role/auditor"]
    partner-sync = [
      "arn:aws:iam::731902284516:root",
      "arn:aws:iam::568309117442:role/sync",
    ]
  }
  external_ids = {
    auditor = "c0ffee-auditor"
  }
}

# Installed by terraform init: not the user's code, so findings point at
# the caller's argument that supplied the principal.
module "vendor_trust" {
  source  = "acme/trust-role/aws"
  version = "2.1.0"

  name = "vendor-trust"
  principals = [
    "arn:aws:iam::810000000007:root",
  ]
}
