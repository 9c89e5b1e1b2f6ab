# The facts of lib.rego that the builtin trustlint.policy_facts computes in
# Go (rules/facts.go), defined in pure Rego from the same functions and
# vocabulary: the specification the builtin must meet. TestPolicyFacts
# evaluates every fact and every rule on the generated corpus both ways
# (`with trustlint.policy_facts as reference.policy_facts`) and requires
# the same results. Never evaluated in a scan (a _test.rego file).
package trustlint.lib.reference

import data.trustlint.lib

policy_facts(_, _, _) := {
	"trust_statements": trust_statements,
	"aws_principals": aws_principals,
	"service_principals": service_principals,
	"federated_principals": federated_principals,
	"tests": tests,
	"condition_keys": condition_keys,
	"key_patterns": key_patterns,
	"opaque_statements": opaque_statements,
	"external_id_statements": external_id_statements,
	"mfa_statements": mfa_statements,
	"mfa_if_exists_statements": mfa_if_exists_statements,
	"pinned_statements": pinned_statements,
	"deny_guards": deny_guards,
	"tag_session_statements": tag_session_statements,
	"broad_action_statements": broad_action_statements,
}

vocabulary := lib.vocabulary

trust_statements contains i if {
	some i, s in input.policy.Statement
	s.Effect == "Allow"
	lib.allows_assume(i)
}

broad_action_statements contains i if {
	some i in trust_statements
	_ = input.policy.Statement[i].NotAction
}

broad_action_statements contains i if {
	some i in trust_statements
	actions := input.policy.Statement[i].Action
	is_array(actions)
	some a in actions
	is_string(a)
	lower(a) in vocabulary.broad_actions
}

tag_session_statements contains i if {
	some i, s in input.policy.Statement
	s.Effect == "Allow"
	lib.allows_action(i, vocabulary.tag_session_action)
}

aws_principals contains p if {
	some i in trust_statements
	aws := input.policy.Statement[i].Principal.AWS
	is_array(aws) # an unknown stands for a whole list
	some j, v in aws
	is_string(v)
	c := lib.classify(v)
	p := {"stmt": i, "index": j, "value": v, "class": c.class, "account": c.account}
}

service_principals contains {"stmt": i, "index": j, "value": v, "name": lib.service_name(v)} if {
	some i in trust_statements
	services := input.policy.Statement[i].Principal.Service
	is_array(services)
	some j, v in services
	is_string(v)
}

federated_principals contains object.union({"stmt": i, "index": j, "value": v}, f) if {
	some i in trust_statements
	fed := input.policy.Statement[i].Principal.Federated
	is_array(fed)
	some j, v in fed
	f := lib.federated(v)
	f.kind == "saml"
}

federated_principals contains object.union({"stmt": i, "index": j, "value": v, "provider_tests": t}, f) if {
	some i in trust_statements
	fed := input.policy.Statement[i].Principal.Federated
	is_array(fed)
	some j, v in fed
	f := lib.federated(v)
	f.kind == "oidc"
	t := lib.provider_tests(i, f.host)
}

tests := {i: lib.statement_tests(i) | some i in trust_statements}

condition_keys := {i: {key | some [_, key, _] in t} | some i, t in tests}

opaque_statements := {i | some i in trust_statements; lib.is_opaque(i)}

key_patterns := {i: {regex.replace(key, lib.template_re, "*") |
	some [_, key, _] in t
	contains(key, "${")
} |
	some i, t in tests
}

# lib.tests_key reads the facts; this one reads the reference's.
tests_key(i, key) if key in condition_keys[i]

tests_key(i, key) if {
	some p in key_patterns[i]
	glob.match(p, null, key)
}

external_id_statements contains i if {
	some i in trust_statements
	tests_key(i, vocabulary.external_id_key)
}

mfa_keys := [vocabulary.mfa_present_key, vocabulary.mfa_age_key]

mfa_statements contains i if {
	some i in trust_statements
	some [op, key, vals] in tests[i]
	op == vocabulary.mfa_present_operator
	key == vocabulary.mfa_present_key
	lib._all_true(vals)
}

mfa_statements contains i if {
	some i in trust_statements
	some [op, key, _] in tests[i]
	key == vocabulary.mfa_age_key
	op in vocabulary.mfa_age_operators
}

mfa_statements contains i if {
	some i in trust_statements
	some p in key_patterns[i]
	some key in mfa_keys
	glob.match(p, null, key)
}

mfa_if_exists_statements contains i if {
	some i in trust_statements
	some [op, key, _] in tests[i]
	key in mfa_keys
	op in vocabulary.mfa_if_exists_operators
}

pinned_statements contains i if {
	some i in trust_statements
	some [op, key, vals] in tests[i]
	key in lib.pin_keys
	not lib.is_negated(op)
	not lib.is_if_exists(op)
	not lib.is_for_all_values(op)
	lib.base_operator(op) in lib.pin_operators
	lib._pinning_values(key, vals)
}

pinned_statements contains i if {
	some i in trust_statements
	some p in key_patterns[i]
	some key in lib.pin_keys
	glob.match(p, null, key)
}

pinned_statements contains i if {
	some d in deny_guards
	some i in trust_statements
	every a in lib.assume_actions {
		lib._guard_covers(i, d, a)
	}
}

deny_guards contains d if {
	some d, s in input.policy.Statement
	s.Effect == "Deny"
	"*" in s.Principal.AWS
	not lib.is_opaque(d)
	t := lib.statement_tests(d)
	some test in t
	lib._negated_pin(test)
	every test in t {
		lib._guard_test(test)
	}
}
