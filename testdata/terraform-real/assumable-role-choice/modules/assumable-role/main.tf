locals {
  role_sts_externalid = flatten([var.role_sts_externalid])
}

data "aws_iam_policy_document" "assume_role" {
  count = var.create_role && !var.role_requires_mfa && var.custom_role_trust_policy == "" ? 1 : 0

  statement {
    effect  = "Allow"
    actions = var.trusted_role_actions

    principals {
      type        = "AWS"
      identifiers = var.trusted_role_arns
    }

    principals {
      type        = "Service"
      identifiers = var.trusted_role_services
    }

    dynamic "condition" {
      for_each = length(local.role_sts_externalid) != 0 ? [true] : []
      content {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = local.role_sts_externalid
      }
    }
  }
}

data "aws_iam_policy_document" "assume_role_with_mfa" {
  count = var.create_role && var.role_requires_mfa && var.custom_role_trust_policy == "" ? 1 : 0

  statement {
    effect  = "Allow"
    actions = var.trusted_role_actions

    principals {
      type        = "AWS"
      identifiers = var.trusted_role_arns
    }

    principals {
      type        = "Service"
      identifiers = var.trusted_role_services
    }

    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }

    condition {
      test     = "NumericLessThan"
      variable = "aws:MultiFactorAuthAge"
      values   = [var.mfa_age]
    }
  }
}

resource "aws_iam_role" "this" {
  count = var.create_role ? 1 : 0

  name                 = var.role_name
  max_session_duration = var.max_session_duration

  assume_role_policy = coalesce(
    var.custom_role_trust_policy,
    try(data.aws_iam_policy_document.assume_role_with_mfa[0].json, ""),
    try(data.aws_iam_policy_document.assume_role[0].json, ""),
  )
}
