output "iam_role_arn" {
  value = try(aws_iam_role.this[0].arn, "")
}
