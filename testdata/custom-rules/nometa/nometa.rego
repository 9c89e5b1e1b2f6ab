package trustlint.rules.nometa

deny contains {"msg": "x", "path": ["policy"]} if input.policy
