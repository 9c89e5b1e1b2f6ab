package srcjson

import (
	"fmt"
	"math"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/tree"
)

// MaxMembers is the number of members of one object that a capping builder
// reads in full (CapMembers). IAM accepts policies of at most 10,240
// characters (4,096 for a trust policy), and an object of 1,000 members
// takes at least 6,000: no real policy or export object comes near. An
// object of a million keys (a condition block, a principal, a statement)
// took 0.9 to 2.8 GB as trees, rule input and a finding per unknown name
// (issue 9).
const MaxMembers = 1000

// Keys is the member cap's account of one object being read: how many
// members it has, which were skipped, and where the names read past the
// cap are (see Put). Its zero value starts an object.
type Keys struct {
	n       int            // members of the object so far, skipped ones included
	other   int            // of them, those whose names are not kept
	capped  bool           // the builder caps members (CapMembers)
	skipped uint32         // members not read (saturating: tree.Node.Skipped)
	skipAt  model.Range    // the name of the first of them
	late    map[string]int // names read past MaxMembers members: index of their member (Put)
}

// CapMembers makes b read at most MaxMembers members of each object whose
// names keep does not name: the others are skipped unread, with one
// diagnostic per object that counts them. keep names the members the
// caller reads (a policy's elements, an export's keys), which are never
// skipped; it must name a bounded set: past MaxMembers members, a kept
// name is held once, a later duplicate replacing its value (Keys.Put), so
// that a million repeats of one cost one member. What is read of an object
// is read again when the object is written back (in any member order):
// normalization stays idempotent. Streaming callers apply the same cap to
// the objects they read themselves with Read, Keys.Put and EndObject.
func (b *Builder) CapMembers(keep func(name string) bool) { b.keep = keep }

// Read counts the next member of the object k describes, named key and
// written at keyRange, and tells whether the caller reads its value: false
// when b caps members (CapMembers), key is not kept and MaxMembers members
// of the object are not either. The caller then skips the value
// (SkipValue) and does not check its name for duplicates.
func (b *Builder) Read(k *Keys, key string, keyRange model.Range) bool {
	k.n++
	k.capped = b.keep != nil
	if !k.capped || b.keep(key) {
		return true
	}
	if k.other++; k.other <= MaxMembers {
		return true
	}
	if k.skipped == 0 {
		k.skipAt = keyRange
	}
	if k.skipped < math.MaxUint32 {
		k.skipped++
	}
	return false
}

// Put appends m, a member that Read let the caller read, to ms, whose
// members of the object start at index base, and returns ms. Past
// MaxMembers members, a member whose name was already read past them
// replaces that member: a later duplicate wins, as tree.Node.Get and
// normalization read objects, and the object stays bounded.
func (k *Keys) Put(ms []tree.Member, base int, m tree.Member) []tree.Member {
	if !k.capped || k.n <= MaxMembers {
		return append(ms, m)
	}
	if i, ok := k.late[m.Key]; ok {
		ms[base+i] = m
		return ms
	}
	if k.late == nil {
		k.late = map[string]int{}
	}
	k.late[m.Key] = len(ms) - base
	return append(ms, m)
}

// EndObject reports the members of the object k describes that Read
// skipped, at the first of them.
func (b *Builder) EndObject(k *Keys) {
	if k.skipped == 0 {
		return
	}
	b.diags.Add(model.Diagnostic{
		Range: k.skipAt,
		Message: fmt.Sprintf("object of %d members, more than an IAM policy can hold: beyond the first %d that are no policy element or export key, %d are not analyzed",
			k.n, MaxMembers, k.skipped),
	})
}
