resource "aws_iam_role" "local" {
  assume_role_policy = local.policy
}

resource "aws_iam_role" "var" {
  assume_role_policy = var.doc
}

resource "aws_iam_role" "scalar" {
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = local.one } }] })
}
