variable "name" { type = string }
variable "assume_role_policy" {
  description = "Trust policy JSON"
  type        = string
}
variable "max_session_duration" {
  type    = number
  default = null
}
resource "aws_iam_role" "this" {
  name                 = var.name
  assume_role_policy   = var.assume_role_policy
  max_session_duration = var.max_session_duration
}
output "arn" { value = aws_iam_role.this.arn }
