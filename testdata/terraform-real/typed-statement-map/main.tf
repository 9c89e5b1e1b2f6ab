module "partner" {
  source = "./modules/role"
  name   = "partner"
  trust_policy_permissions = {
    Partner = {
      principals = [{ type = "AWS", identifiers = ["arn:aws:iam::454545454545:root"] }]
    }
    Ec2 = {
      actions    = ["sts:AssumeRole"]
      principals = [{ type = "Service", identifiers = ["ec2.amazonaws.com"] }]
    }
    Guarded = {
      actions    = ["sts:AssumeRole"]
      principals = [{ type = "AWS", identifiers = ["arn:aws:iam::676767676767:root"] }]
      condition  = [{ test = "StringEquals", variable = "sts:ExternalId", values = ["x-123"] }]
    }
  }
}
