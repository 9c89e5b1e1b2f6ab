variable "security_account_id" {
  type = string
}

variable "vendor_account_id" {
  type    = string
  default = "444455556666"
}

variable "vendor_external_id" {
  type = string
}

variable "partner_account_id" {
  type = string
}
