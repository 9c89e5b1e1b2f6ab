resource "aws_iam_role" "partner" {
  for_each = var.partner_accounts

  name = "${var.environment}-partner-${each.key}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "PartnerAccess"
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = "arn:${local.partition}:iam::${each.value}:root" }
        Condition = contains(keys(var.partner_external_ids), each.key) ? {
          StringEquals = { "sts:ExternalId" = var.partner_external_ids[each.key] }
        } : {}
      },
    ]
  })
}
