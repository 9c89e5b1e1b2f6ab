package iamjson

import (
	"strings"

	"github.com/trustlint/trustlint/parser/tree"
)

// WhyResourcePolicy is the reason Match gives for a bare policy document
// that is a resource policy (a bucket, key, topic or queue policy).
const WhyResourcePolicy = "resource policy (no STS action)"

// isResourcePolicy reports whether the Statement value stmts of a bare
// policy document makes it a resource policy rather than a trust policy:
// no Allow statement's Action (or NotAction) can allow an sts: action, as
// IAM matches actions, and either some statement has Resource or
// NotResource (IAM rejects both in a trust policy) or every action names
// another service (an ECR repository policy has no Resource). A Deny
// statement allows nothing: the Action "*" of a bucket policy's
// deny-insecure-transport statement does not make it a trust policy. A
// document that cannot be read that far (a statement that is not an
// object, an action that is not a string) is not one: it is analyzed, and
// its problems reported.
func isResourcePolicy(stmts *tree.Node) bool {
	var list []*tree.Node
	switch stmts.Kind {
	case tree.Object:
		list = []*tree.Node{stmts}
	case tree.Array:
		list = stmts.Elements()
	default:
		return false
	}
	resource, otherService := false, len(list) > 0
	for _, s := range list {
		if s.Kind != tree.Object || !isDeny(s) && mayAllowSTS(s) {
			return false
		}
		if s.Get("Resource") != nil || s.Get("NotResource") != nil {
			resource = true
		}
		otherService = otherService && namesOtherService(s)
	}
	return resource || otherService
}

// isDeny reports whether statement s has Effect "Deny".
func isDeny(s *tree.Node) bool {
	e := s.Get("Effect")
	return e != nil && e.Kind == tree.String && e.Str == "Deny"
}

// namesOtherService reports whether every action of statement s is an
// action of one service other than sts:, named without a wildcard
// (ecr:BatchGetImage, ecr:*), and s has at least one and no NotAction.
func namesOtherService(s *tree.Node) bool {
	a := s.Get("Action")
	if a == nil || s.Get("NotAction") != nil {
		return false
	}
	ok, n := true, 0
	eachString(a, func(p string, isStr bool) {
		n++
		svc, _, found := strings.Cut(p, ":")
		ok = ok && isStr && found && svc != "" && !strings.ContainsAny(svc, "*?") && !strings.EqualFold(svc, "sts")
	})
	return ok && n > 0
}

// mayAllowSTS reports whether statement s names an action of the sts:
// service: an Action pattern that can match one, or a NotAction that does
// not exclude them all.
func mayAllowSTS(s *tree.Node) bool {
	if a := s.Get("Action"); a != nil {
		ok := false
		eachString(a, func(p string, isStr bool) {
			ok = ok || !isStr || matchesSTSAction(strings.ToLower(p))
		})
		if ok {
			return true
		}
	}
	if na := s.Get("NotAction"); na != nil {
		excluded := false
		eachString(na, func(p string, isStr bool) {
			excluded = excluded || (isStr && coversSTS(strings.ToLower(p)))
		})
		return !excluded
	}
	return false
}

// eachString calls f with each element of a string-or-list value; isStr is
// false for an element that is not a string (or a value that is neither).
func eachString(v *tree.Node, f func(s string, isStr bool)) {
	switch v.Kind {
	case tree.String:
		f(v.Str, true)
	case tree.Array:
		for _, e := range v.Elements() {
			f(e.Str, e.Kind == tree.String)
		}
	default:
		f("", false)
	}
}

// stsPrefix begins every action of the sts: service, lower-cased.
const stsPrefix = "sts:"

// matchesSTSAction reports whether the IAM action pattern p (lower case;
// * matches any run of characters, ? one) matches some action that begins
// with sts:.
func matchesSTSAction(p string) bool {
	for i := range len(stsPrefix) {
		switch {
		case i >= len(p):
			return false
		case p[i] == '*':
			return true
		case p[i] != '?' && p[i] != stsPrefix[i]:
			return false
		}
	}
	return true
}

// coversSTS reports whether the pattern p (lower case) matches every action
// that begins with sts: ("*", "s*", "sts:*").
func coversSTS(p string) bool {
	head, ok := strings.CutSuffix(p, "*")
	return ok && strings.HasPrefix(stsPrefix, head)
}
