variable "roles" {
  description = "Map of role name to the ARNs of the principals that may assume it."
  type        = map(list(string))
}

variable "external_ids" {
  description = "ExternalId each role requires, by role name; roles left out require none."
  type        = map(string)
  default     = {}
}
