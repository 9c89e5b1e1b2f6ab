variable "name" {
  type = string
}

variable "principals" {
  type = list(string)
}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for arn in var.principals : {
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = arn }
    }]
  })
}
