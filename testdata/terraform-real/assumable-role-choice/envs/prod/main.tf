data "aws_caller_identity" "current" {}

module "admin" {
  source = "../../modules/assumable-role"

  create_role       = true
  role_name         = "admin"
  trusted_role_arns = [
    "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root",
    "arn:aws:iam::${var.security_account_id}:root",
  ]
}

module "vendor_readonly" {
  source = "../../modules/assumable-role"

  create_role          = true
  role_name            = "vendor-readonly"
  role_requires_mfa    = false
  trusted_role_arns    = ["arn:aws:iam::${var.vendor_account_id}:root"]
  role_sts_externalid  = var.vendor_external_id
  max_session_duration = 7200
}

module "legacy_partner" {
  source = "../../modules/assumable-role"

  create_role       = true
  role_name         = "legacy-partner"
  role_requires_mfa = false
  trusted_role_arns = ["arn:aws:iam::${var.partner_account_id}:user/integration"]
}

module "disabled" {
  source = "../../modules/assumable-role"

  create_role       = false
  trusted_role_arns = ["*"]
}
