locals {
  cluster_oidc_issuer_url = "https://oidc.eks.eu-west-1.amazonaws.com/id/5C7F2A9B1D3E4F60718293A4B5C6D7E8"
}

module "external_dns" {
  source = "../modules/irsa"

  role_name                     = "external-dns"
  provider_url                  = local.cluster_oidc_issuer_url
  oidc_fully_qualified_subjects = ["system:serviceaccount:kube-system:external-dns"]
  oidc_fully_qualified_audiences = ["sts.amazonaws.com"]
}

module "any_pod" {
  source = "../modules/irsa"

  role_name                    = "any-pod-in-cluster"
  provider_url                 = local.cluster_oidc_issuer_url
  oidc_subjects_with_wildcards = ["system:serviceaccount:*:*"]
}

module "no_subject" {
  source = "../modules/irsa"

  role_name    = "no-subject"
  provider_url = replace(local.cluster_oidc_issuer_url, "https://", "")
}
