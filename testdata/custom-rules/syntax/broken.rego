# METADATA
# title: broken
# description: broken
# custom:
#   id: ACME002
#   name: broken
#   severity: 5
package trustlint.rules.broken

deny contains f if {
	f := {"msg": "x", "path": []
}
