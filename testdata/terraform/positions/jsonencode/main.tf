resource "aws_iam_role" "r" {
  max_session_duration = 7200
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { "AWS" = ["arn:aws:iam::999999999999:root", var.x, "arn:aws:iam::${var.x}:root"] }
      Condition = { StringEquals = { "sts:ExternalId" = "abc" } }
    }]
  })
}
