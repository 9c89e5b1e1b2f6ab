# A base trust shared by every role of the account, extended and overridden
# per role through source_policy_documents and override_policy_documents.
variable "vendor_accounts" {
  type    = list(string)
  default = ["567890123456", "678901234567"]
}

data "aws_iam_policy_document" "base" {
  statement {
    sid     = "Ec2"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
  statement {
    sid     = "BreakGlass"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::789012345678:root"]
    }
  }
}

data "aws_iam_policy_document" "vendor" {
  count = length(var.vendor_accounts)
  statement {
    sid     = "Vendor${count.index}"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [var.vendor_accounts[count.index]]
    }
  }
}

# Replaces BreakGlass of the base: MFA is required.
data "aws_iam_policy_document" "break_glass_mfa" {
  statement {
    sid     = "BreakGlass"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::789012345678:root"]
    }
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

data "aws_iam_policy_document" "combined" {
  source_policy_documents   = concat([data.aws_iam_policy_document.base.json], data.aws_iam_policy_document.vendor[*].json)
  override_policy_documents = [data.aws_iam_policy_document.break_glass_mfa.json]
}

resource "aws_iam_role" "combined" {
  name               = "vendor-access"
  assume_role_policy = data.aws_iam_policy_document.combined.json
}

resource "aws_iam_role" "base_only" {
  name               = "base"
  assume_role_policy = data.aws_iam_policy_document.base.json
}
