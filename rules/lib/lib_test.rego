package trustlint.lib_test

import data.trustlint.lib

test_quote_plain_tokens_as_written if {
	lib.quote("arn:aws:iam::111122223333:role/ci-*") == "arn:aws:iam::111122223333:role/ci-*"
	lib.quote("464622532012") == "464622532012"
	lib.quote("${var.x}") == "${var.x}"
}

test_quote_quotes_what_is_not_a_plain_token if {
	lib.quote("two words") == `"two words"`
	lib.quote("a\nb") == `"a\nb"`
	lib.quote(`say "hi"`) == `"say \"hi\""`
	lib.quote("") == `""`
}

test_quote_non_strings_as_json if {
	lib.quote(43200) == "43200"
	lib.quote(true) == "true"
	lib.quote({"a": [1]}) == `{"a":[1]}`
}

test_quote_cuts_long_values if {
	long := concat("", [x | some _ in numbers.range(1, 500); x := "a"])
	q := lib.quote(long)
	count(q) == 80
	endswith(q, "…")
	startswith(q, "aaaa")
	spaced := concat(" ", [x | some _ in numbers.range(1, 100); x := "root:x:0:0"])
	count(lib.quote(spaced)) == 82 # 80 characters and the quotes
	lib.quote({"k": long}) == concat("", [`{"k":"`, substring(long, 0, 73), "…"])
}

test_unique_ids if {
	lib.is_unique_id("AROA4QWXB7EXAMPLEJ3KZ")
	lib.is_unique_id("AIDA6ZKQW2EXAMPLEV7RT")
	not lib.is_unique_id("AROA4QWXB7EXAMPL")
	not lib.is_unique_id("arn:aws:iam::111111111111:root")
	not lib.is_unique_id(12)
}
