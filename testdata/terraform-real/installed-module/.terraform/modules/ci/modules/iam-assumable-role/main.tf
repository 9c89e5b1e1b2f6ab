variable "create_role" {
  type    = bool
  default = false
}

variable "role_name" {
  type    = string
  default = null
}

variable "trusted_role_arns" {
  type    = list(string)
  default = []
}

variable "role_requires_mfa" {
  type    = bool
  default = true
}

variable "max_session_duration" {
  type    = number
  default = 3600
}

data "aws_iam_policy_document" "assume_role" {
  count = var.create_role && !var.role_requires_mfa ? 1 : 0

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "AWS"
      identifiers = var.trusted_role_arns
    }
  }
}

data "aws_iam_policy_document" "assume_role_with_mfa" {
  count = var.create_role && var.role_requires_mfa ? 1 : 0

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "AWS"
      identifiers = var.trusted_role_arns
    }

    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

resource "aws_iam_role" "this" {
  count = var.create_role ? 1 : 0

  name                 = var.role_name
  max_session_duration = var.max_session_duration
  assume_role_policy   = var.role_requires_mfa ? data.aws_iam_policy_document.assume_role_with_mfa[0].json : data.aws_iam_policy_document.assume_role[0].json
}
