variable "name" {
  type = string
}

variable "trusted_account_ids" {
  type    = list(string)
  default = []
}

variable "require_external_id" {
  type    = bool
  default = true
}

variable "external_id" {
  type    = string
  default = "change-me"
}

variable "max_session_duration" {
  type    = number
  default = 3600
}
