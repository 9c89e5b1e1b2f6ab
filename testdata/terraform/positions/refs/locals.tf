locals {
  vendors = ["arn:aws:iam::999999999999:root", "arn:aws:iam::888888888888:root"]
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = local.vendors } }]
  })
  one = "arn:aws:iam::777777777777:root"
}
