module "security_audit" {
  source = "./modules/audit-role"

  name            = "${var.environment}-security-audit"
  trusted_account = var.security_account_id
  require_mfa     = false
}

module "readonly_support" {
  source = "./modules/audit-role"

  name            = "${var.environment}-support-readonly"
  trusted_account = local.account_id
  require_mfa     = true
}
