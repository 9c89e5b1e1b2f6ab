resource "aws_iam_role" "q" {
  assume_role_policy = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Sid\": \"caf\u00e9$${x}\", \"Principal\": {\"AWS\": \"arn:aws:iam::999999999999:root\"}}]}"
}
