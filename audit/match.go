package audit

import (
	"math"
	"strconv"
	"strings"

	"github.com/trustlint/trustlint/model"
)

// Glob reports whether s matches the IAM pattern p, in which * matches any
// run of characters and ? any single character. With fold, case is ignored
// (actions); ARNs compare case-sensitively.
func Glob(p, s string, fold bool) bool {
	if fold {
		p, s = strings.ToLower(p), strings.ToLower(s)
	}
	// Iterative matching with one backtrack point: linear in practice and
	// never exponential.
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// resourcePattern turns policy variables (${aws:username}) into * for
// matching: their value is known only at request time, so they may match.
func resourcePattern(p string) string {
	for {
		i := strings.Index(p, "${")
		if i < 0 {
			return p
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			return p
		}
		p = p[:i] + "*" + p[i+j+1:]
	}
}

// strs returns the strings of a normalized string-or-list value; unknown
// and non-string elements are left out, and unknown reports them.
func strs(v any) (out []string, unknown bool) {
	out, _, unknown = strsUpTo(v, math.MaxInt)
	return out, unknown
}

// strsUpTo is strs that keeps the first most strings only, and counts
// them all (n): a condition shows model.ShownValues values, and a list of
// millions of strings (issue 9) made a slice of them all.
func strsUpTo(v any, most int) (out []string, n int, unknown bool) {
	switch x := v.(type) {
	case string:
		return []string{x}[:min(most, 1)], 1, false
	case nil:
		return nil, 0, false
	}
	if l, _, ok := model.List(v); ok {
		for _, e := range l {
			if s, ok := e.(string); ok {
				if n < most {
					out = append(out, s)
				}
				n++
			} else {
				unknown = true
			}
		}
		return out, n, unknown
	}
	return nil, 0, true
}

// anyGlob reports whether one of the patterns matches s.
func anyGlob(patterns []string, s string, fold bool) bool {
	for _, p := range patterns {
		if Glob(p, s, fold) {
			return true
		}
	}
	return false
}

// statement is one statement of a policy, read for one action.
type statement struct {
	allow bool
	// resources or notResources holds the resource patterns (policy
	// variables made *); notResource tells which.
	resources   []string
	notResource bool
	conditions  []Condition
	// policy names the policy the statement is in; group the group it
	// reaches a user through ("" when attached to the user or role).
	policy, group string
}

// matches reports whether the statement applies to resource arn.
func (s *statement) matches(arn string) bool {
	if s.notResource {
		return !anyGlob(s.resources, arn, false)
	}
	return anyGlob(s.resources, arn, false)
}

// actionStatements returns the statements of a normalized policy document
// that apply to action (Action matching it, or NotAction not matching it).
// A statement whose action or resource list cannot be read is left out.
func actionStatements(doc any, action, policy, group string) []statement {
	var out []statement
	for _, e := range statementList(doc) {
		st, ok := e.(map[string]any)
		if !ok {
			continue
		}
		effect, _ := st["Effect"].(string)
		if effect != "Allow" && effect != "Deny" {
			continue
		}
		if !appliesTo(st, "Action", "NotAction", action, true) {
			continue
		}
		s := statement{allow: effect == "Allow", policy: policy, group: group, conditions: conditions(st["Condition"])}
		res, hasRes := st["Resource"]
		key := res
		if !hasRes {
			key, s.notResource = st["NotResource"], true
		}
		patterns, _ := strs(key)
		if len(patterns) == 0 {
			continue
		}
		for _, p := range patterns {
			s.resources = append(s.resources, resourcePattern(p))
		}
		out = append(out, s)
	}
	return out
}

// statementList returns the Statement list of a normalized policy
// document (normalize makes a single statement a list of one), nil when the
// document is not an object or has none.
func statementList(doc any) []any {
	m, _ := doc.(map[string]any)
	list, _ := m["Statement"].([]any)
	return list
}

// appliesTo reports whether a statement's key (Action) or notKey
// (NotAction) covers value.
func appliesTo(st map[string]any, key, notKey, value string, fold bool) bool {
	if v, ok := st[key]; ok {
		patterns, _ := strs(v)
		return anyGlob(patterns, value, fold)
	}
	if v, ok := st[notKey]; ok {
		patterns, unknown := strs(v)
		return !unknown && !anyGlob(patterns, value, fold)
	}
	return false
}

// Condition is one condition test of a statement, shown, not evaluated.
type Condition struct {
	Operator string   `json:"operator"`
	Key      string   `json:"key"`
	Values   []string `json:"values"`
	// Guard names what the test pins, when it is one of the guards an
	// auditor looks for: external-id, mfa, org, account, arn, sub, aud,
	// source-identity, ip, vpc; "" otherwise.
	Guard string `json:"guard,omitempty"`
}

// String renders the test as IAM writes it: StringEquals sts:ExternalId = a, b.
func (c Condition) String() string {
	return c.Operator + " " + c.Key + " = " + strings.Join(c.Values, ", ")
}

// conditions lists the tests of a normalized Condition element, sorted by
// operator and key.
func conditions(v any) []Condition {
	m, ok := v.(map[string]any)
	if !ok {
		if v != nil {
			return []Condition{{Operator: "?", Key: "?", Values: []string{unknownText(v)}}}
		}
		return nil
	}
	var out []Condition
	for _, op := range sortedKeys(m) {
		keys, ok := m[op].(map[string]any)
		if !ok {
			out = append(out, Condition{Operator: op, Key: "?", Values: []string{unknownText(m[op])}})
			continue
		}
		for _, k := range sortedKeys(keys) {
			// The strings, then the unknown elements' text, shown up to
			// model.ShownValues.
			vals, n, unknown := strsUpTo(keys[k], model.ShownValues)
			if unknown {
				n++
				if len(vals) < model.ShownValues {
					vals = append(vals, unknownText(keys[k]))
				}
			}
			if shown := model.ShownValues; n > shown {
				vals = append(vals[:shown:shown], "… "+strconv.Itoa(n-shown)+" more")
			}
			for i, x := range vals {
				if x == "" {
					vals[i] = `""`
				} else {
					vals[i] = model.CutID(x)
				}
			}
			out = append(out, Condition{Operator: op, Key: k, Values: vals, Guard: guardOf(k)})
		}
	}
	return out
}

// denied returns the tests of a Deny statement as the conditions of what
// it lets through: each operator prefixed "Deny " (shown, not evaluated).
func denied(cs []Condition) []Condition {
	out := make([]Condition, len(cs))
	for i, c := range cs {
		c.Operator = "Deny " + c.Operator
		out[i] = c
	}
	return out
}

// unknownText renders a value that is not a string: the expression of an
// unknown, or a short type description.
func unknownText(v any) string {
	if m, ok := v.(map[string]any); ok {
		if s, ok := m[model.UnknownKey].(string); ok {
			return "${" + model.Cut(s) + "}"
		}
	}
	if l, _, ok := model.List(v); ok {
		// Past model.QuoteLimit characters the rest is left out: a list of
		// millions of values must not become one string (reports cut it
		// anyway).
		var b strings.Builder
		for i, e := range l {
			if i > 0 {
				if b.Len() > model.QuoteLimit {
					b.WriteString(", …")
					break
				}
				b.WriteString(", ")
			}
			if s, ok := e.(string); ok {
				b.WriteString(s)
			} else {
				b.WriteString(unknownText(e))
			}
		}
		return b.String()
	}
	switch v.(type) {
	case bool:
		return "(boolean)"
	case float64:
		return "(number)"
	}
	return "(unreadable)"
}

// guardOf classifies a condition key.
func guardOf(key string) string {
	k := strings.ToLower(key)
	switch {
	case k == "sts:externalid":
		return "external-id"
	case k == "aws:multifactorauthpresent" || k == "aws:multifactorauthage":
		return "mfa"
	case strings.HasPrefix(k, "aws:principalorg") || strings.HasPrefix(k, "aws:resourceorg") || strings.HasPrefix(k, "aws:sourceorg"):
		return "org"
	case k == "aws:principalaccount" || k == "aws:sourceaccount" || k == "aws:resourceaccount":
		return "account"
	case k == "aws:principalarn" || k == "aws:sourcearn" || k == "aws:userid" || k == "aws:username":
		return "arn"
	case strings.HasSuffix(k, ":sub"):
		return "sub"
	case strings.HasSuffix(k, ":aud") || strings.HasSuffix(k, ":oaud"):
		return "aud"
	case k == "sts:sourceidentity":
		return "source-identity"
	case k == "aws:sourceip":
		return "ip"
	case k == "aws:sourcevpc" || k == "aws:sourcevpce":
		return "vpc"
	}
	return ""
}
