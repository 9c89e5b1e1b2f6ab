locals {
  partners = { acme = "151515151515", initech = "262626262626" }
  trust_policies = {
    for k, v in data.aws_iam_policy_document.trust : k => v.json
  }
}

data "aws_iam_policy_document" "trust" {
  for_each = local.partners
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${each.value}:root"]
    }
  }
}

resource "aws_iam_role" "partner" {
  for_each           = local.partners
  name               = "partner-${each.key}"
  assume_role_policy = local.trust_policies[each.key]
}

resource "aws_iam_role" "acme_readonly" {
  name               = "acme-readonly"
  assume_role_policy = local.trust_policies["acme"]
}
