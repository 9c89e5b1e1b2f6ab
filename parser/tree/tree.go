// Package tree is the positioned value tree that format parsers build before
// normalization: JSON, YAML and HCL all become Nodes carrying their source
// ranges, and parser/normalize turns a policy Node into the rule input and
// its source map. Keeping this step shared means IAM's spelling rules are
// implemented once, whatever the file format.
package tree

import "github.com/trustlint/trustlint/model"

// Kind is the kind of a Node.
type Kind uint8

// Node kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Object
	Array
	// Unknown is a value that cannot be resolved statically (a Terraform
	// variable without default, an unresolved !Ref). Str holds the source
	// expression, or a template with the unknown pieces written as ${expr}.
	Unknown
)

func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Object:
		return "object"
	case Array:
		return "array"
	case Unknown:
		return "unknown"
	}
	return "invalid"
}

// Node is one value with its source range.
type Node struct {
	Kind Kind
	// Bool is the value of a Bool.
	Bool bool
	// Str is the value of a String, the literal text of a Number, or the
	// expression text of an Unknown.
	Str string
	// Num is the value of a Number.
	Num float64
	// Members are the members of an Object, in source order.
	Members []Member
	// Elems are the elements of an Array.
	Elems []*Node
	// Range spans the value in its source file.
	Range model.Range
}

// Member is one key/value pair of an Object.
type Member struct {
	Key      string
	KeyRange model.Range
	Value    *Node
}

// Get returns the value of the last member named key, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return n.Members[i].Value
		}
	}
	return nil
}

// Member returns the last member named key and whether there is one.
func (n *Node) Member(key string) (Member, bool) {
	if n == nil || n.Kind != Object {
		return Member{}, false
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return n.Members[i], true
		}
	}
	return Member{}, false
}
