output "github_deploy_role_arn" {
  value = aws_iam_role.github_deploy.arn
}

output "audit_role_arns" {
  value = [module.security_audit.role_arn, module.readonly_support.role_arn]
}
