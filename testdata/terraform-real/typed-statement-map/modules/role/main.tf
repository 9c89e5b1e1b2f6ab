variable "name" { type = string }

variable "trust_policy_permissions" {
  description = "Trust policy statements, by statement ID"
  type = map(object({
    sid     = optional(string)
    actions = optional(list(string), ["sts:AssumeRole", "sts:TagSession"])
    effect  = optional(string, "Allow")
    principals = optional(list(object({
      type        = string
      identifiers = list(string)
    })))
    condition = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })))
  }))
  default = null
}

data "aws_iam_policy_document" "this" {
  dynamic "statement" {
    for_each = var.trust_policy_permissions != null ? var.trust_policy_permissions : {}

    content {
      sid     = try(coalesce(statement.value.sid, statement.key), null)
      actions = statement.value.actions
      effect  = statement.value.effect

      dynamic "principals" {
        for_each = statement.value.principals != null ? statement.value.principals : []
        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }

      dynamic "condition" {
        for_each = statement.value.condition != null ? statement.value.condition : []
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.this.json
}
