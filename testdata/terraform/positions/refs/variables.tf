variable "doc" {
  default = <<EOF
{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::666666666666:root"}}]}
EOF
}
