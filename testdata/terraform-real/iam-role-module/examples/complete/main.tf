provider "aws" {
  region = "eu-west-1"
}

module "deploy" {
  source = "../../modules/iam-role"

  name                 = "deploy"
  trusted_role_arns    = ["arn:aws:iam::210987654321:role/ci-runner"]
  external_id          = "deploy-7c1e"
  max_session_duration = 43200
}

module "batch" {
  source = "../../modules/iam-role"

  name              = "batch"
  trusted_services  = ["batch.amazonaws.com", "states.amazonaws.com"]
  trusted_role_arns = ["arn:aws:iam::345678901234:root"]
}

module "disabled" {
  source = "../../modules/iam-role"

  create            = false
  name              = "disabled"
  trusted_role_arns = ["*"]
}
