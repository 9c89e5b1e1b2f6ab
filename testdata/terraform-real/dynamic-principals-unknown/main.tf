# A role module whose extra principals come from a variable without a
# default: the dynamic "principals" block is unknown and stays local. It is
# not an invalid principal type (TL013), and the static principals beside it
# are still judged.
variable "extra_principals" {
  type = list(string)
}

variable "principal_type" {
  type = string
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::410000000001:root"]
    }
    dynamic "principals" {
      for_each = var.extra_principals
      content {
        type        = "AWS"
        identifiers = [principals.value]
      }
    }
  }
}

resource "aws_iam_role" "mixed" {
  name               = "mixed"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "only_dynamic" {
  statement {
    actions = ["sts:AssumeRole"]
    dynamic "principals" {
      for_each = var.extra_principals
      content {
        type        = "AWS"
        identifiers = [principals.value]
      }
    }
    principals {
      type        = var.principal_type
      identifiers = ["arn:aws:iam::410000000002:root"]
    }
  }
}

resource "aws_iam_role" "only_dynamic" {
  name               = "only-dynamic"
  assume_role_policy = data.aws_iam_policy_document.only_dynamic.json
}
