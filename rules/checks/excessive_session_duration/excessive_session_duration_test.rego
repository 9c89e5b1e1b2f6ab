package trustlint.rules.excessive_session_duration_test

import data.trustlint.rules.excessive_session_duration

deny(d) := fs if {
	fs := excessive_session_duration.deny with input as {"role": {"name": "r", "MaxSessionDuration": d}}
}

test_above_default if {
	fs := deny(43200)
	{f.path | some f in fs} == {["role", "MaxSessionDuration"]}
}

test_default_is_fine if count(deny(3600)) == 0

test_quoted_number if count(deny("7200")) == 1

test_configured_limit if {
	fs := deny(7200) with data.trustlint.config as {"max_session_duration": 14400}
	count(fs) == 0
	fs2 := deny(28800) with data.trustlint.config as {"max_session_duration": 14400}
	count(fs2) == 1
}

test_absent_or_unknown if {
	count(excessive_session_duration.deny) == 0 with input as {"role": {"name": "r"}}
	count(deny({"$unknown": "var.d"})) == 0
	count(deny("PT1H")) == 0
}
