data "aws_caller_identity" "current" {}

module "ci" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "~> 5.39"

  create_role       = true
  role_name         = "ci"
  role_requires_mfa = false
  trusted_role_arns = [
    "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root",
    "arn:aws:iam::210987654321:role/gitlab-runner",
  ]
  max_session_duration = 14400
}

# Added to the configuration but terraform init has not run since.
module "audit" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "~> 5.39"

  create_role       = true
  trusted_role_arns = ["arn:aws:iam::345678901234:root"]
}
