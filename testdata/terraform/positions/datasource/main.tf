data "aws_iam_policy_document" "shared" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::999999999999:root", var.other]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["abc"]
    }
  }
}

resource "aws_iam_role" "a" {
  assume_role_policy = data.aws_iam_policy_document.shared.json
}

resource "aws_iam_role" "b" {
  assume_role_policy = data.aws_iam_policy_document.shared.json
}
