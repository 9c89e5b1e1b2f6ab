data "aws_iam_policy_document" "break_glass" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "AWS"
      identifiers = local.break_glass_users
    }
  }
}

resource "aws_iam_role" "break_glass" {
  count = var.enable_break_glass ? 1 : 0

  name                 = "${var.environment}-break-glass"
  assume_role_policy   = data.aws_iam_policy_document.break_glass.json
  max_session_duration = 43200
}
