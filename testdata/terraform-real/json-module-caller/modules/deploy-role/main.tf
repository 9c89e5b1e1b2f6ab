# A role that partner accounts assume, pinned by an ExternalId when the
# caller asks for one.
data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "TrustedAccounts"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = [for id in var.trusted_account_ids : "arn:aws:iam::${id}:root"]
    }

    dynamic "condition" {
      for_each = var.require_external_id ? [var.external_id] : []
      content {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [condition.value]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = var.max_session_duration
}
