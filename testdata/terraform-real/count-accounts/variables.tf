variable "reader_accounts" {
  description = "Accounts whose CI may read this account's state."
  type        = list(string)
  default     = ["210987654321", "345678901234"]
}

variable "auditor_accounts" {
  description = "Audit accounts, by auditor."
  type        = map(string)
  default = {
    internal = "123456789012"
    external = "456789012345"
  }
}

variable "enable_break_glass" {
  type    = bool
  default = false
}

variable "extra_accounts" {
  description = "Set per environment (no default)."
  type        = list(string)
}
