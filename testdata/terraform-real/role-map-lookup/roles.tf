locals {
  partition = "aws"
  roles = {
    reader = {
      principals = { AWS = ["arn:aws:iam::112233445566:root"] }
      external_id = "reader-7d1c"
      max_session = 3600
    }
    ci = {
      principals  = { Federated = ["arn:aws:iam::998877665544:oidc-provider/gitlab.example.com"] }
      conditions  = [{ test = "StringLike", variable = "gitlab.example.com:sub", values = ["project_path:*"] }]
      max_session = 7200
    }
    events = {
      principals = { Service = ["events.amazonaws.com", "scheduler.amazonaws.com"] }
    }
  }
}

data "aws_iam_policy_document" "trust" {
  for_each = local.roles

  statement {
    actions = contains(keys(each.value.principals), "Federated") ? ["sts:AssumeRoleWithWebIdentity"] : ["sts:AssumeRole"]

    dynamic "principals" {
      for_each = each.value.principals
      content {
        type        = principals.key
        identifiers = principals.value
      }
    }

    dynamic "condition" {
      for_each = lookup(each.value, "external_id", null) == null ? [] : [each.value.external_id]
      content {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [condition.value]
      }
    }

    dynamic "condition" {
      for_each = try(each.value.conditions, [])
      content {
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.roles

  name                 = each.key
  assume_role_policy   = data.aws_iam_policy_document.trust[each.key].json
  max_session_duration = lookup(each.value, "max_session", 3600)
}
