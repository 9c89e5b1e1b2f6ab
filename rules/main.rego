# METADATA
# title: trustlint entry point
# description: |
#   Collects the deny sets of every rule package under data.trustlint.rules,
#   so adding a rule never means editing a registry.
# scope: package
package trustlint.main

findings contains {"rule": name, "finding": f} if {
	some name
	some f in data.trustlint.rules[name].deny
}
