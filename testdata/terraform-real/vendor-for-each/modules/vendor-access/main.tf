variable "vendor" {
  description = "Short name of the vendor."
  type        = string
}

variable "account_id" {
  description = "The vendor's AWS account."
  type        = string
}

variable "external_id" {
  description = "ExternalId agreed with the vendor; empty when the vendor does not support one."
  type        = string
  default     = ""
}

variable "session_hours" {
  type    = number
  default = 1
}

data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "Vendor"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.account_id}:root"]
    }

    dynamic "condition" {
      for_each = var.external_id == "" ? [] : [var.external_id]
      content {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [condition.value]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = "vendor-${var.vendor}"
  max_session_duration = var.session_hours * 3600
  assume_role_policy   = data.aws_iam_policy_document.trust.json
}

output "trust_json" {
  value = data.aws_iam_policy_document.trust.json
}
