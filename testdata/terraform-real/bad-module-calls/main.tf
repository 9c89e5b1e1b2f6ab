module "loop" {
  source = "./modules/a"
}

module "outside" {
  source = "../../../shared/modules/iam"
}

module "missing" {
  source = "./modules/does-not-exist"
}

module "many" {
  source   = "./modules/b"
  for_each = toset(concat(formatlist("a%d", range(1000)), formatlist("b%d", range(200))))
}

resource "aws_iam_role" "still_analyzed" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" } }]
  })
}
