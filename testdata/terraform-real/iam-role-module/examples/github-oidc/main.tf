resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

module "github" {
  source = "../../modules/iam-role"

  name              = "github-deploy"
  oidc_provider_arn = aws_iam_openid_connect_provider.github.arn
  oidc_subjects     = ["repo:*"]
}
