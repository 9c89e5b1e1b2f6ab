# An installed role module that builds extra statements and principals
# with dynamic blocks over its inputs, as the IRSA and assumable-role
# modules do.
variable "arns" {
  type = list(string)
}

variable "statements" {
  type    = any
  default = {}
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = var.arns
    }
  }

  dynamic "statement" {
    for_each = var.statements
    content {
      actions = ["sts:AssumeRole"]
      dynamic "principals" {
        for_each = statement.value.principals
        content {
          type        = principals.key
          identifiers = principals.value
        }
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "vendor"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
