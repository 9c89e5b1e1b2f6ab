variable "name" {
  type = string
}

variable "trusted_account" {
  description = "Account whose principals may assume the role"
  type        = string
}

variable "require_mfa" {
  type    = bool
  default = true
}
