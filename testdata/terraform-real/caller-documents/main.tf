variable "audit_accounts" {
  type    = list(string)
  default = ["135792468013", "246801357924"]
}

data "aws_iam_policy_document" "auditors" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = formatlist("arn:aws:iam::%s:root", var.audit_accounts)
    }
  }
}

module "auditor" {
  source             = "./modules/role"
  name               = "auditor"
  assume_role_policy = data.aws_iam_policy_document.auditors.json
}

module "from_file" {
  source             = "./modules/role"
  name               = "from-file"
  assume_role_policy = file("${path.module}/policies/partner-trust.json")
}

module "formatted" {
  source = "./modules/role"
  name   = "formatted"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = format("arn:aws:iam::%s:user/%s", "975318642097", "bob") }
    }]
  })
  max_session_duration = 14400
}
