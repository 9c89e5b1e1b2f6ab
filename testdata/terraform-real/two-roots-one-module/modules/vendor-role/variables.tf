variable "create" {
  description = "Whether to create the role."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the role the vendor assumes."
  type        = string
}

variable "vendor_principal_arns" {
  description = "ARNs of the vendor's principals allowed to assume the role."
  type        = list(string)
  default     = []
}

variable "external_id" {
  description = "ExternalId the vendor must pass. Leave null only for vendors that cannot send one."
  type        = string
  default     = null
}

variable "max_session_duration" {
  type    = number
  default = 3600
}
