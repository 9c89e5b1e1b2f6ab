# METADATA
# title: clashing id
# description: reuses a built-in rule ID
# scope: package
# custom:
#   id: TL001
#   name: clash
#   severity: 5.0
package trustlint.rules.clash

deny contains {"msg": "x", "path": ["policy"]} if false
