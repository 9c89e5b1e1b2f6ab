locals {
  vendors = {
    monitoring = { account = "567890123456", external_id = "mon-41d2", hours = 1 }
    backup     = { account = "678901234567", external_id = "", hours = 1 }
    security   = { account = "789012345678", external_id = "sec-9a0b", hours = 12 }
  }
}

module "vendor" {
  source   = "./modules/vendor-access"
  for_each = local.vendors

  vendor        = each.key
  account_id    = each.value.account
  external_id   = each.value.external_id
  session_hours = each.value.hours
}

# A role of the root module that reuses the monitoring vendor's trust.
resource "aws_iam_role" "monitoring_readonly" {
  name               = "monitoring-readonly"
  assume_role_policy = module.vendor["monitoring"].trust_json
}

# And one that reuses the backup vendor's trust, which has no ExternalId.
resource "aws_iam_role" "backup_restore" {
  name               = "backup-restore"
  assume_role_policy = module.vendor["backup"].trust_json
}
