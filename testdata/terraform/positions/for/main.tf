locals {
  partners = [
    "arn:aws:iam::731902284516:root",
    "arn:aws:iam::568309117442:root",
  ]
  ids = { "731902284516" = "acme-7c1e", "568309117442" = "globex-19d0" }
}

resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({
    Statement = [for p in local.partners : {
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = p }
      Condition = { StringEquals = { for k, v in local.ids : "sts:ExternalId" => v if strcontains(p, k) } }
    } if p != ""]
  })
}

resource "aws_iam_role" "body" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = [for id in keys(local.ids) : "arn:aws:iam::${id}:root"] }
    }]
  })
}
