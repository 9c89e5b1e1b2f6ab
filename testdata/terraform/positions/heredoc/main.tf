variable "acct" {}

resource "aws_iam_role" "plain" {
  assume_role_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "sts:AssumeRole",
    "Principal": {"AWS": "arn:aws:iam::999999999999:root"}
  }]
}
EOF
}

resource "aws_iam_role" "flush" {
  assume_role_policy = <<-EOT
    {
      "Statement": [{
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Principal": {"AWS": ["*", "arn:aws:iam::${var.acct}:root"]}
      }]
    }
  EOT
}
