variable "partners" {
  description = "Partner accounts and the ExternalId each one was given (empty: none)."
  type        = map(string)
  default = {
    "567890123456" = "partner-a-51f0"
    "678901234567" = ""
  }
}

variable "github_repos" {
  type    = list(string)
  default = ["octo-org/infra", "octo-org/*"]
}

resource "aws_iam_role" "partners" {
  name = "partners"
  assume_role_policy = templatefile("${path.module}/templates/partners.json.tftpl", {
    partners = var.partners
  })
}

resource "aws_iam_role" "github" {
  name = "github-actions"
  assume_role_policy = templatefile("${path.module}/templates/github.json.tftpl", {
    account_id = "123456789012"
    repos      = var.github_repos
  })
}
