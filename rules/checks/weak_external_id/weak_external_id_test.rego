package trustlint.rules.weak_external_id_test

import data.trustlint.rules.weak_external_id

deny(cond) := fs if {
	fs := weak_external_id.deny with input as {"role": {"name": "r"}, "policy": {"Statement": [{
		"Effect": "Allow", "Action": ["sts:AssumeRole"],
		"Principal": {"AWS": ["999999999999"]}, "Condition": cond,
	}]}}
}

weak(cond) if {
	fs := deny(cond)
	count(fs) == 1
	some f in fs
	f.key == true
	f.path[4] == object.keys(cond)[_]
}

test_pinning_tests_are_fine if {
	count(deny({"StringEquals": {"sts:ExternalId": ["a1b2c3-vendor"]}})) == 0
	count(deny({"StringEqualsIgnoreCase": {"STS:EXTERNALID": ["Vendor-ID"]}})) == 0
	count(deny({"StringLike": {"sts:ExternalId": ["exact-id"]}})) == 0
	count(deny({"StringEquals": {"sts:ExternalId": [{"$unknown": "var.id"}]}})) == 0
	count(deny({"StringEquals": {"sts:ExternalId": {"$unknown": "var.ids"}}})) == 0
}

test_weak_tests if {
	weak({"StringLike": {"sts:ExternalId": ["vendor-*"]}})
	weak({"StringEqualsIfExists": {"sts:ExternalId": ["a1b2c3"]}})
	weak({"StringNotEquals": {"sts:ExternalId": ["a1b2c3"]}})
	weak({"ForAllValues:StringEquals": {"sts:ExternalId": ["a1b2c3"]}})
	weak({"StringEquals": {"sts:ExternalId": [""]}})
	weak({"StringEquals": {"sts:ExternalId": ["x"]}})
	weak({"StringEquals": {"sts:ExternalId": ["has space"]}})
	weak({"Null": {"sts:ExternalId": ["false"]}})
}

test_for_all_values_if_exists_is_one_weakness if {
	fs := deny({"ForAllValues:StringEqualsIfExists": {"sts:ExternalId": ["a1b2c3"]}})
	[f.msg | some f in fs] == ["weak sts:ExternalId test: ForAllValues:StringEqualsIfExists passes when the request has no external ID"]
}

test_too_long if {
	weak({"StringEquals": {"sts:ExternalId": [concat("", [x | some _ in numbers.range(1, 1225); x := "a"])]}})
	count(deny({"StringEquals": {"sts:ExternalId": [concat("", [x | some _ in numbers.range(1, 1224); x := "a"])]}})) == 0
}

test_unknown_values_are_not_weak if {
	count(deny({"StringEquals": {"sts:ExternalId": {"$unknown": "!Ref ExternalIdParam"}}})) == 0
	count(deny({"StringLike": {"sts:ExternalId": [{"$unknown": "var.id"}]}})) == 0
}

# Under StringEquals a * is a literal character no external ID has.
test_star_under_string_equals if {
	weak({"StringEquals": {"sts:ExternalId": ["*"]}})
	weak({"StringEqualsIgnoreCase": {"sts:ExternalId": ["vendor-?"]}})
	some f in deny({"StringEquals": {"sts:ExternalId": ["*"]}})
	f.msg == `weak sts:ExternalId test: external ID * is not valid (2 to 1224 characters of letters, digits and +=,.@:/-)`
}

# ${AWS::AccountId} is an account ID, a valid external ID.
test_own_account_is_valid if {
	count(deny({"StringEquals": {"sts:ExternalId": ["<own-account>"]}})) == 0
	count(deny({"StringEquals": {"sts:ExternalId": ["<own-account>-vendor"]}})) == 0
}

# A value only partly known is judged by its known parts.
test_partly_known_values if {
	weak({"StringLike": {"sts:ExternalId": [{"$unknown": "${var.id}@*"}]}})
	weak({"StringEquals": {"sts:ExternalId": [{"$unknown": "${var.id} x"}]}})
	count(deny({"StringEquals": {"sts:ExternalId": [{"$unknown": "${var.prefix}-${var.id}"}]}})) == 0
	count(deny({"StringEquals": {"sts:ExternalId": [{"$unknown": "${ExternalId}"}]}})) == 0
	count(deny({"StringLike": {"sts:ExternalId": [{"$unknown": "!ImportValue vendor-*"}]}})) == 0
	some f in deny({"StringEquals": {"sts:ExternalId": [{"$unknown": "${var.id}@*"}]}})
	f.msg == `weak sts:ExternalId test: external ID ${var.id}@* is not valid (2 to 1224 characters of letters, digits and +=,.@:/-)`
}

# Several invalid values give one finding, naming the first.
test_several_invalid_values if {
	fs := deny({"StringEquals": {"sts:ExternalId": ["a b", "c d"]}})
	count(fs) == 1
	some f in fs
	contains(f.msg, `"a b"`)
	weak({"StringLike": {"sts:ExternalId": ["a*", "b c"]}})
}
