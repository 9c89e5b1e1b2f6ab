resource "aws_iam_role" "this" {
  for_each = var.roles

  name = each.key
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for arn in each.value : {
      Sid       = "Trust${replace(element(split(":", arn), 4), "/[^0-9]/", "")}"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = arn }
      Condition = lookup(var.external_ids, each.key, null) == null ? {} : {
        StringEquals = { "sts:ExternalId" = var.external_ids[each.key] }
      }
    }]
  })
}
