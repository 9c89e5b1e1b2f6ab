environment = "prod"

partner_accounts = {
  datadog  = "464622532012"
  acme     = "999988887777"
}

partner_external_ids = {
  datadog = "5f1d6c0e8a7b4c2d9e3f"
}

github_repositories = ["example-org/platform", "example-org/app"]

enable_break_glass = true
