variable "trusted_role_arns" {
  type = list(string)
  default = [
    "arn:aws:iam::210987654321:role/ci-runner",
    "arn:aws:iam::345678901234:role/deploy",
  ]
}

variable "trusted_services" {
  type    = list(string)
  default = ["ec2.amazonaws.com"]
}

variable "github_subjects" {
  type = map(object({ repo = string, ref = string }))
  default = {
    app = { repo = "octo-org/app", ref = "refs/heads/main" }
    web = { repo = "octo-org/*", ref = "*" }
  }
}

variable "condition_blocks" {
  description = "Extra conditions; set per environment."
  type        = list(object({ test = string, variable = string, values = list(string) }))
}

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "TrustedRoles"
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::456789012345:user/ops"]
    }

    dynamic "principals" {
      for_each = length(var.trusted_role_arns) > 0 ? [var.trusted_role_arns] : []
      content {
        type        = "AWS"
        identifiers = principals.value
      }
    }

    dynamic "principals" {
      for_each = var.trusted_services
      iterator = svc
      content {
        type        = "Service"
        identifiers = [svc.value]
      }
    }
  }

  dynamic "statement" {
    for_each = var.github_subjects
    content {
      sid     = "GitHub${title(statement.key)}"
      actions = ["sts:AssumeRoleWithWebIdentity"]

      principals {
        type        = "Federated"
        identifiers = [aws_iam_openid_connect_provider.github.arn]
      }

      condition {
        test     = "StringEquals"
        variable = "token.actions.githubusercontent.com:aud"
        values   = ["sts.amazonaws.com"]
      }

      condition {
        test     = "StringLike"
        variable = "token.actions.githubusercontent.com:sub"
        values   = ["repo:${statement.value.repo}:ref:${statement.value.ref}"]
      }
    }
  }

  # Unknown conditions make only this statement's conditions unknown; its
  # principal is still judged by the rules that need no missing test.
  statement {
    sid     = "Partner"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    dynamic "condition" {
      for_each = var.condition_blocks
      content {
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "shared-automation"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
