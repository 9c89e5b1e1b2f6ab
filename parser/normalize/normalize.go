package normalize

import (
	"fmt"
	"strings"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/tree"
)

// Policy converts the policy document doc into the rule-input body and
// records in sm the range of every value it emits (sm.Set) and of the key
// of every object member (sm.SetKey), under base (normally
// model.PolicyPath). A document that is not an object is returned as a plain
// value (see Value). A nil doc gives nil and records nothing; a nil sm
// records nothing (permissions policies, whose positions nobody reports).
func Policy(doc *tree.Node, base model.Path, sm *model.SourceMap) any {
	return (*Normalizer)(nil).Policy(doc, base, sm)
}

// Value converts n to a plain rule-input value without any IAM
// normalization: nil, bool, float64, string, map[string]any, []any, or
// model.Unknown for an unknown. It records the range of n and of every
// nested value in sm, and the key range of every object member. A later
// duplicate key wins. A nil n gives nil and records nothing.
func Value(n *tree.Node, p model.Path, sm *model.SourceMap) any {
	return (*Normalizer)(nil).Value(n, p, sm)
}

// Normalizer does what Policy and Value do. It holds no state today (source
// maps record paths without rendering them); parsers keep one per file so
// that state shared among the documents of a file has a place. The zero
// value and a nil *Normalizer are ready to use.
type Normalizer struct {
	// Number, when not nil, replaces each Number node before it is read
	// (CloudFormation reads the numbers of a policy as their text). The
	// replacement is made one node at a time as the document is read,
	// where rewriting the tree first would copy every number of it at
	// once: a dense list doubled the memory of a YAML template (issue 9).
	Number func(n *tree.Node) *tree.Node
}

// view returns n as the Normalizer reads it.
func (z *Normalizer) view(n *tree.Node) *tree.Node {
	if z == nil || z.Number == nil || n == nil || n.Kind != tree.Number {
		return n
	}
	return z.Number(n)
}

// Policy is the package-level Policy.
func (z *Normalizer) Policy(doc *tree.Node, base model.Path, sm *model.SourceMap) any {
	return z.policy(doc, pathOf(sm, base), sm)
}

// Value is the package-level Value.
func (z *Normalizer) Value(n *tree.Node, p model.Path, sm *model.SourceMap) any {
	return z.value(n, pathOf(sm, p), sm)
}

func (z *Normalizer) policy(doc *tree.Node, p at, sm *model.SourceMap) any {
	return z.object(doc, p, sm, func(m *tree.Member, q at) any {
		if m.Key == "Statement" {
			return z.statements(m.Value, q, sm)
		}
		return z.value(m.Value, q, sm)
	})
}

// object is object for an element that should be an object: anything else
// is kept as written (z.value), and an object's own range is recorded.
func (z *Normalizer) object(n *tree.Node, p at, sm *model.SourceMap, each func(m *tree.Member, q at) any) any {
	n = z.view(n)
	if n == nil || n.Kind != tree.Object {
		return z.value(n, p, sm)
	}
	set(sm, p, n.Range)
	return object(n, p, sm, each)
}

// object converts the members of the object n, whose own range the caller
// records, into a map: a later duplicate key wins, each key's range is
// recorded, and each value is what each makes of the member at its path q.
func object(n *tree.Node, p at, sm *model.SourceMap, each func(m *tree.Member, q at) any) map[string]any {
	members := lastMembers(n.Members)
	out := make(map[string]any, len(members))
	for i := range members {
		m := &members[i]
		q := key(sm, p, m.Key)
		setKey(sm, q, m.KeyRange)
		out[m.Key] = each(m, q)
	}
	return out
}

func (z *Normalizer) value(n *tree.Node, p at, sm *model.SourceMap) any {
	n = z.view(n)
	if n == nil {
		return nil
	}
	set(sm, p, n.Range)
	switch n.Kind {
	case tree.Bool:
		return n.Bool
	case tree.Number:
		return n.Num
	case tree.String:
		return n.Str
	case tree.Object:
		return object(n, p, sm, func(m *tree.Member, q at) any {
			return z.value(m.Value, q, sm)
		})
	case tree.Array:
		if n.Packed != nil {
			if sm != nil {
				// Scalars: their ranges stay packed in the source map.
				sm.Pack(p, n.Len(), n.Packed.Range)
			}
			// Long lists of scalars repeat their values: each distinct
			// one is kept once (model.PackedList), not in a []any of 16
			// bytes per element (84 MB of a 10 MB JSON policy).
			pk := model.NewPacker(n.Len())
			n.Each(func(_ int, e *tree.Node) {
				switch e = z.view(e); e.Kind {
				case tree.String:
					pk.String(e.Str)
				case tree.Number:
					pk.Number(e.Num)
				default:
					pk.Add(z.value(e, 0, nil))
				}
			})
			return pk.List()
		}
		out := make([]any, n.Len())
		n.Each(func(i int, e *tree.Node) { out[i] = z.value(e, index(sm, p, i), sm) })
		return out
	case tree.Unknown:
		return model.Unknown(n.Str)
	}
	return nil
}

// statements normalizes the value of the Statement element: a list stays a
// list of statements, a single statement object becomes a one-element list.
func (z *Normalizer) statements(n *tree.Node, p at, sm *model.SourceMap) any {
	n = z.view(n)
	if n == nil {
		return nil
	}
	switch n.Kind {
	case tree.Array:
		set(sm, p, n.Range)
		out := make([]any, n.Len())
		n.Each(func(i int, e *tree.Node) { out[i] = z.statement(e, index(sm, p, i), sm) })
		return out
	case tree.Object:
		set(sm, p, n.Range)
		return []any{z.statement(n, index(sm, p, 0), sm)}
	}
	return z.value(n, p, sm)
}

// statement normalizes one statement. A statement that is not an object is
// kept raw.
func (z *Normalizer) statement(n *tree.Node, p at, sm *model.SourceMap) any {
	return z.object(n, p, sm, func(m *tree.Member, q at) any {
		switch m.Key {
		case "Principal", "NotPrincipal":
			return z.principal(m.Value, m.KeyRange, q, sm)
		case "Action", "NotAction", "Resource", "NotResource":
			return z.stringOrList(m.Value, q, sm)
		case "Condition":
			return z.condition(m.Value, q, sm)
		}
		return z.value(m.Value, q, sm)
	})
}

// principal normalizes a Principal or NotPrincipal value. "*" becomes
// {"AWS": ["*"]}: the synthesized AWS list and its element map to the "*"
// literal, and the synthesized AWS key maps to the Principal key (keyRange).
// In an object, string values become one-element lists.
func (z *Normalizer) principal(n *tree.Node, keyRange model.Range, p at, sm *model.SourceMap) any {
	n = z.view(n)
	switch {
	case n == nil:
		return nil
	case n.Kind == tree.String && n.Str == "*":
		set(sm, p, n.Range)
		aws := key(sm, p, "AWS")
		setKey(sm, aws, keyRange)
		set(sm, aws, n.Range)
		set(sm, index(sm, aws, 0), n.Range)
		return map[string]any{"AWS": []any{"*"}}
	case n.Kind == tree.Object:
		set(sm, p, n.Range)
		return object(n, p, sm, func(m *tree.Member, q at) any {
			return z.stringOrList(m.Value, q, sm)
		})
	}
	return z.value(n, p, sm)
}

// stringOrList normalizes an element that IAM accepts as a string or a list
// of strings: a string becomes a one-element list, whose element and list
// both map to the string. Anything else is kept as written.
func (z *Normalizer) stringOrList(n *tree.Node, p at, sm *model.SourceMap) any {
	n = z.view(n)
	if n != nil && (n.Kind == tree.String || isStringTemplate(n)) {
		return z.single(n, p, sm)
	}
	return z.value(n, p, sm)
}

// isStringTemplate reports whether n is an unknown written as a template
// that is certainly one string, whatever its unknown pieces hold: text
// beside a ${...} piece, or several pieces ("arn:aws:iam::${Partner}:root",
// "${a}-${b}"). A template that is one piece alone ("${var.ids}") may be a
// list, as any other unknown.
func isStringTemplate(n *tree.Node) bool {
	if n.Kind != tree.Unknown {
		return false
	}
	s := n.Str
	i := strings.Index(s, "${")
	if i < 0 {
		return false
	}
	if i > 0 {
		return true
	}
	j := strings.IndexByte(s, '}')
	return j >= 0 && j < len(s)-1
}

// single wraps the scalar n into a one-element list mapped at p and p[0].
func (z *Normalizer) single(n *tree.Node, p at, sm *model.SourceMap) []any {
	n = z.view(n)
	set(sm, p, n.Range)
	return []any{z.value(n, index(sm, p, 0), sm)}
}

// condition normalizes a Condition element: operator → key → list of
// values. Scalar values become one-element lists; a non-object Condition or
// operator block is kept as written.
func (z *Normalizer) condition(n *tree.Node, p at, sm *model.SourceMap) any {
	c := z.object(n, p, sm, func(op *tree.Member, q at) any {
		block := op.Value
		if block == nil || block.Kind != tree.Object {
			return z.value(block, q, sm)
		}
		set(sm, q, block.Range)
		keys := object(block, q, sm, func(k *tree.Member, r at) any {
			v := k.Value
			switch {
			case v == nil:
				return nil
			case v.Kind == tree.String, v.Kind == tree.Number,
				v.Kind == tree.Bool, v.Kind == tree.Null, isStringTemplate(v):
				return z.single(v, r, sm)
			}
			return z.value(v, r, sm)
		})
		unread(keys, block, q, sm)
		return keys
	})
	if ops, ok := c.(map[string]any); ok {
		unread(ops, n, p, sm)
	}
	return c
}

// unread stands for the members of the condition object n (a Condition or
// an operator block) that the parser did not read (tree.Node.Skipped),
// adding to out, the object n became, one member at n's range: its key is
// a template, which may be any operator or condition key, and its value
// unknown. The statement's conditions are then not read completely, as
// with an unresolved Terraform expression: rules that need the absence of
// a test report nothing for it, and a Deny with such a condition is no
// guard, since what was not read may narrow it (TL003). Treating the
// unread members as absent instead could hide a finding (a Deny guard's
// narrowing condition past a thousand junk keys) or invent one (an
// ExternalId test past them).
func unread(out map[string]any, n *tree.Node, p at, sm *model.SourceMap) {
	if n == nil || n.Skipped == 0 {
		return
	}
	what := fmt.Sprintf("%d members not read", n.Skipped)
	name := "${" + what + "}"
	q := key(sm, p, name)
	setKey(sm, q, n.Range)
	set(sm, q, n.Range)
	out[name] = model.Unknown(what)
}

// lastMembers returns ms without the members that a later member of the same
// name overrides, in source order. It returns ms itself when no name repeats.
func lastMembers(ms []tree.Member) []tree.Member {
	if len(ms) < 2 {
		return ms
	}
	var shadowed []bool
	if len(ms) <= 16 {
		for i := range ms {
			for j := i + 1; j < len(ms); j++ {
				if ms[i].Key == ms[j].Key {
					if shadowed == nil {
						shadowed = make([]bool, len(ms))
					}
					shadowed[i] = true
					break
				}
			}
		}
	} else {
		last := make(map[string]int, len(ms))
		for i, m := range ms {
			if j, ok := last[m.Key]; ok {
				if shadowed == nil {
					shadowed = make([]bool, len(ms))
				}
				shadowed[j] = true
			}
			last[m.Key] = i
		}
	}
	if shadowed == nil {
		return ms
	}
	out := make([]tree.Member, 0, len(ms))
	for i, m := range ms {
		if !shadowed[i] {
			out = append(out, m)
		}
	}
	return out
}

// policyNames are the names IAM's policy grammar gives a meaning: the
// members of a policy document, of a statement, and the principal types of
// a Principal or NotPrincipal.
var policyNames = map[string]bool{
	"Version": true, "Id": true, "Statement": true,
	"Sid": true, "Effect": true, "Principal": true, "NotPrincipal": true, "Action": true, "NotAction": true,
	"Resource": true, "NotResource": true, "Condition": true,
	"AWS": true, "Service": true, "Federated": true, "CanonicalUser": true,
}

// IsPolicyName reports whether name is one IAM's policy grammar gives a
// meaning (an element of a document or statement, a principal type): a
// parser that caps the members of a huge object still reads these.
func IsPolicyName(name string) bool { return policyNames[name] }
