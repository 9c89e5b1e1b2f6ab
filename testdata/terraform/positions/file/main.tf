resource "aws_iam_role" "f" {
  assume_role_policy = file("${path.module}/trust.json")
}

resource "aws_iam_role" "t" {
  assume_role_policy = templatefile("trust.json.tpl", { account = "999999999999", other = var.unknown })
}
