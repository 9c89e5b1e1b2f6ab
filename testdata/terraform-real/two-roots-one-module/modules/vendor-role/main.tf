data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "VendorAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = var.vendor_principal_arns
    }

    dynamic "condition" {
      for_each = var.external_id == null ? [] : [var.external_id]
      content {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [condition.value]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  count = var.create ? 1 : 0

  name                 = var.name
  max_session_duration = var.max_session_duration
  assume_role_policy   = data.aws_iam_policy_document.assume.json
}
