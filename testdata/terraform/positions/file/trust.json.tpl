{
  "Statement": [
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": ["arn:aws:iam::${account}:root", "arn:aws:iam::${other}:root"]}}
  ]
}
