# An installed module that makes one role per element of its input map.
variable "roles" {
  type = any
}

resource "aws_iam_role" "this" {
  for_each = var.roles
  name     = each.key
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = each.value.principals }
    }]
  })
  max_session_duration = each.value.max_session_duration
}
