package iamjson

import (
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/tree"
)

// ParseAccount is Parse that also hands the identity side of an
// authorization-details export to sink: users (UserDetailList), groups
// (GroupDetailList), the permissions and RoleLastUsed of each role, and
// the managed policies (Policies) with their default versions. It streams
// like Parse, one list element at a time. A nil sink makes it Parse.
func (Parser) ParseAccount(path string, src []byte, emit func(*model.Role), sink model.AccountSink) []model.Diagnostic {
	return parse(path, src, emit, sink)
}

// identityList streams a UserDetailList or GroupDetailList.
func (p *fileParser) identityList(key string, kind model.PrincipalKind) error {
	return p.eachElement(key, func(n *tree.Node) {
		if n.Kind != tree.Object {
			p.diag(n.Range, key+" element is not an object")
			return
		}
		id := &model.Identity{Kind: kind, ARN: str(n.Get("Arn")), Range: n.Range}
		switch kind {
		case model.KindUser:
			id.Name = str(n.Get("UserName"))
			if g := n.Get("GroupList"); g != nil && g.Kind == tree.Array {
				for _, e := range g.Elements() {
					if e.Kind == tree.String {
						id.Groups = append(id.Groups, e.Str)
					}
				}
			}
			id.Inline = p.inlinePolicies(n.Get("UserPolicyList"))
		case model.KindGroup:
			id.Name = str(n.Get("GroupName"))
			id.Inline = p.inlinePolicies(n.Get("GroupPolicyList"))
		}
		id.Managed = attached(n.Get("AttachedManagedPolicies"))
		p.sink.Identity(id)
	})
}

// managedPolicies streams the Policies list of an export.
func (p *fileParser) managedPolicies() error {
	return p.eachElement("Policies", func(n *tree.Node) {
		if n.Kind != tree.Object {
			p.diag(n.Range, "Policies element is not an object")
			return
		}
		mp := &model.ManagedPolicy{
			ARN:            str(n.Get("Arn")),
			Name:           str(n.Get("PolicyName")),
			DefaultVersion: str(n.Get("DefaultVersionId")),
		}
		if vs := n.Get("PolicyVersionList"); vs != nil && vs.Kind == tree.Array {
			var byID *tree.Node
			for _, v := range vs.Elements() {
				if def := v.Get("IsDefaultVersion"); def != nil && def.Kind == tree.Bool && def.Bool {
					byID = v
					break
				}
				if mp.DefaultVersion != "" && str(v.Get("VersionId")) == mp.DefaultVersion {
					byID = v
				}
			}
			if byID != nil {
				mp.Document = p.permissionDocument(byID.Get("Document"))
			}
		}
		p.sink.ManagedPolicy(mp)
	})
}

// roleIdentity hands the permissions and last use of the role built from
// obj to the sink.
func (p *fileParser) roleIdentity(obj *tree.Node, r *model.Role) {
	id := &model.Identity{
		Kind:    model.KindRole,
		Name:    r.RoleName,
		ARN:     r.ARN,
		Inline:  p.inlinePolicies(obj.Get("RolePolicyList")),
		Managed: attached(obj.Get("AttachedManagedPolicies")),
		Range:   obj.Range,
	}
	if u := obj.Get("RoleLastUsed"); u != nil && u.Kind == tree.Object {
		if d := str(u.Get("LastUsedDate")); d != "" {
			id.LastUsed = &model.RoleUsage{Date: d, Region: str(u.Get("Region"))}
		}
	}
	p.sink.Identity(id)
}

// identityKeys are the members of a role object that only the identity
// side reads.
var identityKeys = map[string]bool{"RolePolicyList": true, "AttachedManagedPolicies": true, "RoleLastUsed": true}

// eachElement streams the array under key, building one element at a time.
func (p *fileParser) eachElement(key string, fn func(*tree.Node)) error {
	ok, err := p.enter(jsontext.KindBeginArray, func() error {
		n, err := p.b.Value()
		if err == nil {
			p.diag(n.Range, key+" is not a list")
		}
		return err
	})
	if !ok {
		return err
	}
	defer p.b.Leave()
	dec := p.b.Decoder()
	for i := 0; dec.PeekKind() != jsontext.KindEndArray; i++ {
		n, err := p.b.Value()
		if err != nil {
			return err
		}
		p.flushBuilder()
		fn(n)
	}
	_, err = dec.ReadToken()
	return err
}

// inlinePolicies reads a UserPolicyList, GroupPolicyList or RolePolicyList.
func (p *fileParser) inlinePolicies(list *tree.Node) []model.PermissionPolicy {
	if list == nil || list.Kind != tree.Array {
		return nil
	}
	elems := list.Elements()
	out := make([]model.PermissionPolicy, 0, len(elems))
	for i, e := range elems {
		name := str(e.Get("PolicyName"))
		if name == "" {
			name = "#" + strconv.Itoa(i)
		}
		out = append(out, model.PermissionPolicy{Name: name, Document: p.permissionDocument(e.Get("PolicyDocument"))})
	}
	return out
}

// permissionDocument normalizes a permissions policy document: an object,
// or a string holding JSON or percent-encoded JSON as the raw API returns
// it. Positions are not kept (nobody reports them).
func (p *fileParser) permissionDocument(doc *tree.Node) any {
	if doc == nil {
		return nil
	}
	if doc.Kind == tree.String && srcjson.ClassifyEmbedded(doc.Str) != srcjson.EmbeddedNone {
		start, end := doc.Range.Start.Byte, doc.Range.End.Byte
		n, diags := p.emb.Parse(p.loc, p.src[start:end], start)
		p.diags.Add(diags...)
		if n == nil {
			return nil
		}
		doc = n
	}
	return p.norm.Policy(doc, nil, nil)
}

// attached returns the PolicyArn of each element of AttachedManagedPolicies.
func attached(list *tree.Node) []string {
	if list == nil || list.Kind != tree.Array {
		return nil
	}
	var out []string
	for _, e := range list.Elements() {
		if a := str(e.Get("PolicyArn")); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// str returns the value of a string node, or "".
func str(n *tree.Node) string {
	if n == nil || n.Kind != tree.String {
		return ""
	}
	return n.Str
}
