variable "partner_account_id" {
  default = "686868686868"
}

data "template_file" "partner_trust" {
  template = file("${path.module}/policies/partner-trust.json.tpl")

  vars = {
    partner_account_id = var.partner_account_id
  }
}

resource "aws_iam_role" "partner" {
  name               = "partner"
  assume_role_policy = data.template_file.partner_trust.rendered
}

# An inline template is rendered by the provider from a string Terraform
# has already interpolated: not followed, the policy stays unknown.
data "template_file" "inline" {
  template = "{\"Statement\": []}"
}

resource "aws_iam_role" "inline" {
  name               = "inline"
  assume_role_policy = data.template_file.inline.rendered
}
