package config

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxKnownAccountsFile bounds the known_accounts_file read (the community
// list is about 40 KB).
const maxKnownAccountsFile = 4 << 20

// parseKnownAccounts reads known_accounts: a mapping of names to lists of
// 12-digit account IDs, into known (account -> name).
func parseKnownAccounts(n yaml.Node, known map[string]string) []problem {
	switch n.Kind {
	case 0:
		return nil
	case yaml.MappingNode:
	default:
		return []problem{{n.Line, "known_accounts must be a mapping of names to account IDs, like {Datadog: [\"464622532012\"]}"}}
	}
	var problems []problem
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "" {
			problems = append(problems, problem{k.Line, "known_accounts: a name must not be empty"})
			continue
		}
		problems = append(problems, accountList(v, "known_accounts."+k.Value, k.Value, known)...)
	}
	return problems
}

// accountList reads a list of account IDs (or a single one) named name.
func accountList(n *yaml.Node, where, name string, known map[string]string) []problem {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var problems []problem
	for _, a := range items {
		if a.Kind != yaml.ScalarNode || !accountRE.MatchString(a.Value) {
			problems = append(problems, problem{a.Line, fmt.Sprintf("%s: want 12-digit AWS account IDs, got %q", where, a.Value)})
			continue
		}
		known[a.Value] = name
	}
	return problems
}

// ParseKnownAccounts reads a list of known accounts in the fwd:cloudsec
// known_aws_accounts format (accounts.yaml): a sequence of
// {name, accounts, source, type}. It returns account -> name; problems are
// errors naming the file and line.
func ParseKnownAccounts(name string, src []byte) (map[string]string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, syntaxError(name, src, err)
	}
	known := map[string]string{}
	if doc.Kind == 0 {
		return known, nil
	}
	list := doc.Content[0]
	if list.Kind != yaml.SequenceNode {
		return nil, &Error{File: name, Line: list.Line, Msg: "want a list of {name, accounts, source} entries (the fwd:cloudsec accounts.yaml format)"}
	}
	var errs []error
	fail := func(line int, format string, args ...any) {
		errs = append(errs, &Error{File: name, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	for _, e := range list.Content {
		if e.Kind != yaml.MappingNode {
			fail(e.Line, "an entry must be a mapping with name and accounts")
			continue
		}
		var vendor string
		var accounts *yaml.Node
		for i := 0; i+1 < len(e.Content); i += 2 {
			k, v := e.Content[i], e.Content[i+1]
			switch k.Value {
			case "name":
				if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
					fail(v.Line, "name must be a non-empty string")
					continue
				}
				vendor = v.Value
			case "accounts":
				if v.Kind != yaml.SequenceNode {
					fail(v.Line, "accounts must be a list of 12-digit AWS account IDs")
					continue
				}
				accounts = v
			case "source", "type":
			default:
				fail(k.Line, "unknown key %q (known: name, accounts, source, type)", k.Value)
			}
		}
		switch {
		case vendor == "":
			fail(e.Line, "entry has no name")
		case accounts == nil:
			fail(e.Line, "entry %q has no accounts", vendor)
		default:
			for _, p := range accountList(accounts, "accounts of "+vendor, vendor, known) {
				fail(p.line, "%s", p.msg)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return known, nil
}

// localPath reports whether p is a relative path that stays inside the
// directory it is relative to.
func localPath(p string) bool {
	if p == "" || path.IsAbs(p) || strings.HasPrefix(p, `\`) || strings.Contains(p, ":") {
		return false
	}
	c := path.Clean(strings.ReplaceAll(p, `\`, "/"))
	return c != ".." && !strings.HasPrefix(c, "../")
}
