# Federated (OIDC, SAML, built-in web identity) principals of trust
# statements, classified with the provider table in data.trustlint.providers
# (rules/data/providers.json): OIDC knowledge is data, not code.
package trustlint.lib

# providers is the table of known identity providers, most specific first;
# the last entry matches any host.
default providers := []

providers := data.trustlint.providers

oidc_arn_re := vocabulary.oidc_arn_re

# oidc_template_arn_re also accepts unknown pieces (${...}) as the partition
# and the account of a template.
oidc_template_arn_re := vocabulary.oidc_template_arn_re

saml_arn_re := vocabulary.saml_arn_re

# builtin_idps are IAM's built-in identity providers (web identity).
builtin_idps := vocabulary.builtin_idps

# federated(v) classifies a Federated principal value: {"kind": "oidc",
# "host": h, "provider": p} (built-in web identity providers are "oidc" too),
# or {"kind": "saml", "name": n}. A value only partly known (an OIDC provider
# ARN whose URL is partly unknown) keeps its host template, so that
# condition keys built from the same template still belong to it; its
# provider is the one its known parts name (oidc.eks.${AWS::Region}.amazonaws.com/id/X
# is EKS whatever the region: each unknown piece stands for one name
# segment), else the generic one.
federated(v) := {"kind": "oidc", "host": host, "provider": provider_for(lower(host))} if {
	is_string(v)
	[[_, host]] := regex.find_all_string_submatch_n(oidc_arn_re, v, 1)
}

federated(v) := {"kind": "oidc", "host": lower(v), "provider": provider_for(lower(v))} if {
	is_string(v)
	lower(v) in builtin_idps
}

federated(v) := {"kind": "oidc", "host": host, "provider": provider_for(lower(regex.replace(host, template_re, "x")))} if {
	text := v["$unknown"]
	[[_, host]] := regex.find_all_string_submatch_n(oidc_template_arn_re, text, 1)
}

federated(v) := {"kind": "saml", "name": name} if {
	is_string(v)
	[[_, name]] := regex.find_all_string_submatch_n(saml_arn_re, v, 1)
}

# provider_for(host) is the first provider whose host pattern matches.
provider_for(host) := [p |
	some p in providers
	regex.match(p.host, host)
][0]

# federated_principals describes every classified Federated principal of
# every trust statement: {"stmt": i, "index": j, "value": v, "kind": k,
# "host": h, "provider": p, "provider_tests": t} with t =
# provider_tests(i, h), so that rules look the tests up instead of
# computing them per principal (SAML: "name" instead of host, provider and
# provider_tests). A fact of trustlint.policy_facts (lib.rego).
federated_principals := _facts.federated_principals

# provider_tests(i, host) is the set of [operator, claim, values] of trust
# statement i whose key is "<host>:<claim>" (keys match case-insensitively;
# a templated host matches the same template).
provider_tests(i, host) := {[op, substring(key, count(prefix), -1), vals] |
	prefix := concat("", [lower(host), ":"])
	some [op, key, vals] in tests[i]
	startswith(key, prefix)
}
