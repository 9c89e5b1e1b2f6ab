variable "region" {
  type    = string
  default = "eu-central-1"
}

variable "environment" {
  type = string
}

variable "partner_accounts" {
  description = "Partner name => AWS account that assumes the partner role"
  type        = map(string)
  default     = {}
}

variable "partner_external_ids" {
  description = "Partner name => ExternalId agreed with the partner"
  type        = map(string)
  default     = {}
  sensitive   = true
}

variable "github_repositories" {
  type    = list(string)
  default = []
}

variable "enable_break_glass" {
  type    = bool
  default = false
}

variable "security_account_id" {
  type    = string
  default = "210987654321"
}
