{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::${partner_account_id}:root"},
      "Action": "sts:AssumeRole"
    }
  ]
}
