terraform {
  backend "s3" {
    bucket = "acme-tfstate-staging"
    key    = "vendor-access/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region = "eu-west-1"
}

# The monitoring vendor reads staging through its own account; the
# contractor's CI account deploys the staging stack.
module "vendor" {
  source = "../../modules/vendor-role"

  name = "monitoring-vendor"
  vendor_principal_arns = [
    "arn:aws:iam::464622532012:root",
    "arn:aws:iam::520000000001:role/contractor-ci",
  ]
}
