variable "create_role" {
  description = "Whether to create the role"
  type        = bool
  default     = false
}

variable "role_name" {
  type    = string
  default = null
}

variable "trusted_role_arns" {
  description = "ARNs of AWS entities who can assume this role"
  type        = list(string)
  default     = []
}

variable "trusted_role_services" {
  description = "AWS services that can assume this role"
  type        = list(string)
  default     = []
}

variable "trusted_role_actions" {
  type    = list(string)
  default = ["sts:AssumeRole", "sts:TagSession"]
}

variable "role_requires_mfa" {
  type    = bool
  default = true
}

variable "mfa_age" {
  type    = number
  default = 86400
}

variable "role_sts_externalid" {
  description = "STS ExternalId condition values to use with a role (when MFA is not required)"
  type        = any
  default     = []
}

variable "max_session_duration" {
  type    = number
  default = 3600
}

variable "custom_role_trust_policy" {
  type    = string
  default = ""
}
