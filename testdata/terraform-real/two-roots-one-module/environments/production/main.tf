terraform {
  backend "s3" {
    bucket = "acme-tfstate-production"
    key    = "vendor-access/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region = "eu-west-1"
}

# Production: the same monitoring vendor, and the contractor's production
# deploy account, which requires a longer session for its migrations.
module "vendor" {
  source = "../../modules/vendor-role"

  name = "monitoring-vendor"
  vendor_principal_arns = [
    "arn:aws:iam::464622532012:root",
    "arn:aws:iam::520000000002:role/contractor-deploy",
  ]
  max_session_duration = 14400
}
