locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  tags = {
    Environment = var.environment
    ManagedBy   = "terraform"
  }

  github_subjects = [for repo in var.github_repositories : "repo:${repo}:ref:refs/heads/main"]

  break_glass_users = [
    "arn:${local.partition}:iam::${local.account_id}:user/oncall-primary",
    "arn:${local.partition}:iam::${local.account_id}:user/oncall-secondary",
  ]
}
