# The module is installed under .terraform, not the user's code: a finding
# on a value that reaches the module through a dynamic block's iterator
# points at the caller's argument that supplied it, as one on a variable
# used directly does (not at the module block).
module "role" {
  source   = "acme/role/aws"
  version  = "1.0.0"
  for_each = { a = "810000000001", b = "810000000002" }
  arns     = ["arn:aws:iam::${each.value}:root"]
  statements = {
    extra = {
      principals = { AWS = ["arn:aws:iam::810000000003:root"] }
    }
  }
}

# Likewise for a role of a for_each over an input: each.value points at
# the argument.
module "roles" {
  source  = "acme/roles/aws"
  version = "1.0.0"
  roles = {
    vendor = {
      principals           = ["arn:aws:iam::810000000004:root"]
      max_session_duration = 7200
    }
  }
}
