data "aws_caller_identity" "current" {}

# One reader role per account, each trusting that account's root.
data "aws_iam_policy_document" "reader" {
  count = length(var.reader_accounts)

  statement {
    sid     = "AllowReader${count.index}"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.reader_accounts[count.index]}:root"]
    }
  }
}

resource "aws_iam_role" "reader" {
  count              = length(var.reader_accounts)
  name               = "state-reader-${count.index}"
  assume_role_policy = data.aws_iam_policy_document.reader[count.index].json
}

# One auditor role per entry; the external auditor is pinned by ExternalId.
resource "aws_iam_role" "auditor" {
  for_each = var.auditor_accounts
  name     = "auditor-${each.key}"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::${each.value}:root" }
      Condition = each.key == "external" ? { StringEquals = { "sts:ExternalId" = "audit-2f9c" } } : {}
    }]
  })
}

# Disabled by default: no role.
resource "aws_iam_role" "break_glass" {
  count = var.enable_break_glass ? 1 : 0
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" } }]
  })
}

# The accounts are known only per environment: not analyzed, with a note.
resource "aws_iam_role" "extra" {
  for_each = toset(var.extra_accounts)
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = each.value } }]
  })
}

# Unknown count: one instance, analyzed with count.index unknown.
resource "aws_iam_role" "per_extra" {
  count = length(var.extra_accounts)
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = [var.extra_accounts[count.index], "arn:aws:iam::${data.aws_caller_identity.current.account_id}:user/deployer"] }
    }]
  })
}
