variable "create" {
  description = "Whether to create the role."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the role."
  type        = string
}

variable "trusted_role_arns" {
  description = "ARNs of AWS principals that may assume the role."
  type        = list(string)
  default     = []
}

variable "trusted_services" {
  description = "AWS services that may assume the role."
  type        = list(string)
  default     = []
}

variable "external_id" {
  description = "ExternalId the callers must pass; null for none."
  type        = string
  default     = null
}

variable "oidc_provider_arn" {
  description = "ARN of an OIDC provider that may assume the role."
  type        = string
  default     = null
}

variable "oidc_subjects" {
  description = "Subjects (sub claims) the OIDC tokens must have."
  type        = list(string)
  default     = []
}

variable "max_session_duration" {
  type    = number
  default = 3600
}
