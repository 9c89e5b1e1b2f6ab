package iamjson

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/normalize"
	"github.com/trustlint/trustlint/parser/tree"
)

// Parser reads IAM JSON files: bare trust policy documents and AWS CLI role
// exports. Its zero value is ready to use and it is safe for concurrent use.
type Parser struct{}

// Name returns the parser's name.
func (Parser) Name() string { return "iam-json" }

// Extensions returns the file name suffixes the parser reads.
func (Parser) Extensions() []string { return []string{".json"} }

// Parse reads the JSON file path with content src and calls emit with each
// role it finds, as soon as the role is complete; it keeps no reference to
// an emitted role. The kind of file is decided by its top-level keys:
//
//   - "Role" (aws iam get-role), "Roles" (list-roles) or "RoleDetailList"
//     (get-account-authorization-details): one role per role object, named
//     by RoleName, else Arn, else its place ("Roles[3]"); the other lists of
//     an authorization-details export are skipped;
//   - "Statement" (or a policy "Version" without Statement): a bare trust
//     policy document, one role named by path, unless it is a resource
//     policy (no statement names an sts: action and some has Resource or
//     NotResource: a bucket or key policy) or an identity policy (it never
//     mentions a Principal), which give nothing;
//   - "Policy" holding a resource policy as a string (aws kms
//     get-key-policy, aws s3api get-bucket-policy), or "PolicyDocument"
//     or "PolicyVersion" without AssumeRolePolicyDocument (aws iam
//     get-role-policy, get-user-policy, get-policy-version: an identity
//     policy), or "Policy" holding an object, "AttachedPolicies",
//     "PolicyNames" or "Attributes" (aws iam get-policy,
//     list-attached-role-policies, list-role-policies, aws sqs
//     get-queue-attributes, aws sns get-topic-attributes: see
//     isOtherOutput): nothing;
//   - "AssumeRolePolicyDocument", "RoleName", "Arn" or "RoleId": a single
//     role object (get-role --query Role); a top-level array is read as a
//     list of role objects (list-roles --query Roles).
//
// The file may be a sequence of such documents separated by white space
// (an export appended to a file twice): each is read in turn, and the
// roles of the second and later ones carry its ordinal
// (model.Role.Document). A document that gives nothing is skipped, as a
// file of it alone would be (Match classifies each document the same
// way); a document that is none of these ends the parse.
//
// Syntax errors and duplicate keys are returned as diagnostics. A syntax
// error stops the parse; the roles emitted before it stand. A role whose
// string policy document cannot be decoded gives a diagnostic and is not
// emitted; the other roles still are.
func (Parser) Parse(path string, src []byte, emit func(*model.Role)) []model.Diagnostic {
	return parse(path, src, emit, nil)
}

// parse is Parse, handing the identity side of an export to sink when it is
// not nil (see ParseAccount).
func parse(path string, src []byte, emit func(*model.Role), sink model.AccountSink) []model.Diagnostic {
	p := &fileParser{path: path, src: src, emit: emit, sink: sink}
	p.loc = model.NewLineIndex(path, src)
	p.b = srcjson.NewBuilder(p.loc, src)
	p.b.PackScalars() // normalize and this package read arrays through Len, Each and Elements
	p.b.CapMembers(kept)
	p.emb.CapMembers(kept)
	p.run()
	return p.diags.List()
}

// readNames are the member names Parse and ParseAccount read in the
// top-level object of a document and in the objects of an export, besides
// a policy's elements (normalize.IsPolicyName) and identityKeys.
var readNames = map[string]bool{
	"Role": true, "Roles": true, "RoleDetailList": true, "UserDetailList": true, "GroupDetailList": true, "Policies": true,
	"AssumeRolePolicyDocument": true, "RoleName": true, "Arn": true, "RoleId": true, "Path": true, "MaxSessionDuration": true,
	"Policy": true, "PolicyDocument": true, "PolicyVersion": true,
	"AttachedPolicies": true, "PolicyNames": true, "Attributes": true,
	"UserName": true, "GroupList": true, "UserPolicyList": true, "GroupName": true, "GroupPolicyList": true,
	"PolicyName": true, "DefaultVersionId": true, "PolicyVersionList": true, "IsDefaultVersion": true, "VersionId": true,
	"Document": true, "PolicyArn": true, "LastUsedDate": true, "Region": true,
}

// kept tells which members of an object the parser still reads past
// srcjson.MaxMembers (srcjson.Builder.CapMembers): those it gives a
// meaning. A million unknown keys are not read, and a role's or policy's
// own elements are never lost among them.
func kept(name string) bool {
	return readNames[name] || identityKeys[name] || normalize.IsPolicyName(name)
}

// fileParser is the state of one Parse call.
type fileParser struct {
	path  string
	src   []byte
	emit  func(*model.Role)
	sink  model.AccountSink // nil: the identity side is skipped
	loc   *model.LineIndex
	b     *srcjson.Builder // over the whole file
	emb   srcjson.Embedder
	norm  normalize.Normalizer // shares path strings among the roles
	diags model.DiagnosticList // capped: a million non-role elements keep a hundred

	roleKeys []tree.Member // reused by roleValue

	doc  int  // ordinal of the JSON document being read, from 1
	stop bool // a document that is not IAM content ends the parse
}

// run parses the whole file: a sequence of JSON documents separated by
// white space (aws iam list-roles >> roles.json run twice, get-role outputs
// or pages pasted one after another), each read as a file of its own would
// be, with the positions of the whole file. A syntax error stops the parse,
// and so does a document that is neither a trust policy nor an export (a
// file that is not a stream of IAM documents is not read on); the roles
// emitted before either stand.
func (p *fileParser) run() {
	dec := p.b.Decoder()
	for p.doc = 1; ; p.doc++ {
		var err error
		switch dec.PeekKind() {
		case jsontext.KindBeginObject:
			err = p.topObject()
		case jsontext.KindBeginArray:
			err = p.roleList("")
		case jsontext.KindInvalid:
			if p.doc > 1 {
				if err = p.b.End(); err == nil {
					return // the end of the file
				}
				break // what follows is not JSON
			}
			if _, err = dec.ReadToken(); errors.Is(err, io.EOF) {
				p.diag(p.loc.Range(0, 0), "invalid JSON: empty input")
				return
			}
		default:
			var n *tree.Node
			if n, err = p.b.Value(); err == nil {
				p.notIAM(n.Range, "the top-level value is a "+n.Kind.String())
			}
		}
		p.flushBuilder()
		if err != nil {
			p.diags.Add(p.b.SyntaxDiag("", err))
			return
		}
		if p.stop {
			return
		}
	}
}

// notIAM reports a document that is neither a trust policy nor an IAM
// role export, and stops the parse there.
func (p *fileParser) notIAM(r model.Range, why string) {
	msg := "not a trust policy or IAM role export: " + why
	if p.doc > 1 {
		msg = fmt.Sprintf("document %d of the file is %s; the rest of the file is not read", p.doc, msg)
	}
	p.diag(r, msg)
	p.stop = true
}

// emitRole emits a role of the current document: one of a later document
// of the file carries its ordinal (model.Role.Document).
func (p *fileParser) emitRole(r *model.Role) {
	if p.doc > 1 {
		r.Document = p.doc
	}
	p.emit(r)
}

func (p *fileParser) diag(r model.Range, msg string) {
	p.diags.Add(model.Diagnostic{Range: r, Message: msg})
}

// flushBuilder moves the builder's diagnostics (duplicate keys) to p.
func (p *fileParser) flushBuilder() {
	p.diags.Add(p.b.TakeDiags()...)
}

// topObject streams the members of the top-level object. Role lists are
// parsed role by role; the lists of an authorization-details export that
// hold no roles are skipped; other members are kept as trees until the end
// tells whether the object is a policy document or a role.
func (p *fileParser) topObject() error {
	dec := p.b.Decoder()
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	p.b.Enter()
	defer p.b.Leave()
	export := false
	var members []tree.Member
	var keys []tree.Member // the distinct top-level keys, for duplicate detection
	var k srcjson.Keys
	rng, err := p.members(&keys, &k, func(key string, keyRange model.Range) error {
		switch key {
		case "Role":
			export = true
			return p.roleValue("Role")
		case "Roles", "RoleDetailList":
			export = true
			return p.roleList(key)
		case "UserDetailList", "GroupDetailList", "Policies":
			export = true
			switch {
			case p.sink == nil:
				return dec.SkipValue()
			case key == "UserDetailList":
				return p.identityList(key, model.KindUser)
			case key == "GroupDetailList":
				return p.identityList(key, model.KindGroup)
			}
			return p.managedPolicies()
		case "Marker", "IsTruncated":
			return dec.SkipValue()
		}
		if export {
			return dec.SkipValue()
		}
		v, err := p.b.Value()
		if err == nil {
			members = k.Put(members, 0, tree.Member{Key: key, KeyRange: keyRange, Value: v})
		}
		return err
	})
	if err != nil || export {
		return err
	}
	obj := &tree.Node{Kind: tree.Object, Members: members, Range: rng}
	if isIdentityOutput(obj) {
		return nil // aws iam get-role-policy output: Match skips it too
	}
	switch topKind(obj) {
	case topPolicy:
		if st := obj.Get("Statement"); st != nil && isResourcePolicy(st) {
			return nil // not a trust policy: Match skips it too
		}
		if ok, _ := relevantContent(p.src[obj.Range.Start.Byte:obj.Range.End.Byte]); !ok {
			return nil // no principal: an identity policy, which Match skips too
		}
		r := normalize.NewRole(p.path, model.FormatPolicy, p.path, obj.Range)
		r.HasPolicy = true
		r.Policy = p.norm.Policy(obj, model.PolicyPath, r.Source)
		p.emitRole(r)
	case topRole:
		p.role(obj, p.path)
	default:
		if v := obj.Get("Policy"); v != nil && v.Kind == tree.String && isWrappedResourcePolicy(v.Str) {
			return nil // aws kms get-key-policy output: Match skips it too
		}
		for _, m := range obj.Members {
			if isOtherOutput(m.Key, m.Value.Kind == tree.Object, m.Value.Kind == tree.Array) {
				return nil // aws iam get-policy, aws sqs get-queue-attributes output...: Match skips it too
			}
		}
		p.notIAM(obj.Range, "no Statement, Role, Roles or RoleDetailList at the top level")
	}
	return nil
}

// Kinds of top-level objects that are not exports.
const (
	topOther = iota
	topPolicy
	topRole
)

// topKind tells what a top-level object that holds no role list is.
func topKind(obj *tree.Node) int {
	if _, ok := obj.Member("Statement"); ok {
		return topPolicy
	}
	for _, k := range []string{"AssumeRolePolicyDocument", "RoleName", "Arn", "RoleId"} {
		if _, ok := obj.Member(k); ok {
			return topRole
		}
	}
	if v := obj.Get("Version"); v != nil && v.Kind == tree.String && isPolicyVersion(v.Str) {
		return topPolicy // a policy whose Statement is missing or misspelled
	}
	return topOther
}

// isPolicyVersion reports whether s is a version of the IAM policy language.
func isPolicyVersion(s string) bool { return s == "2012-10-17" || s == "2008-10-17" }

// roleList streams an array of role objects; key names the list ("" for a
// top-level array) in the fallback names of roles.
func (p *fileParser) roleList(key string) error {
	if ok, err := p.enter(jsontext.KindBeginArray, func() error { return p.notRole(key) }); !ok {
		return err
	}
	defer p.b.Leave()
	dec := p.b.Decoder()
	for i := 0; dec.PeekKind() != jsontext.KindEndArray; i++ {
		if err := p.roleValue(key + "[" + strconv.Itoa(i) + "]"); err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

// roleValue reads one role object; label is its place, used as its name when
// it has neither RoleName nor Arn.
func (p *fileParser) roleValue(label string) error {
	if ok, err := p.enter(jsontext.KindBeginObject, func() error { return p.notRole(label) }); !ok {
		return err
	}
	defer p.b.Leave()
	var members []tree.Member // only the members a role needs
	keys := p.roleKeys[:0]    // the distinct keys, for duplicate detection
	defer func() { p.roleKeys = keys[:0] }()
	var k srcjson.Keys
	rng, err := p.members(&keys, &k, func(key string, keyRange model.Range) error {
		switch key {
		case "RoleName", "Arn", "Path", "MaxSessionDuration", "AssumeRolePolicyDocument":
		default:
			if p.sink == nil || !identityKeys[key] {
				return p.b.Decoder().SkipValue()
			}
		}
		v, err := p.b.Value()
		if err == nil {
			members = k.Put(members, 0, tree.Member{Key: key, KeyRange: keyRange, Value: v})
		}
		return err
	})
	if err != nil {
		return err
	}
	p.flushBuilder()
	p.role(&tree.Node{Kind: tree.Object, Members: members, Range: rng}, label)
	return nil
}

// members reads the members of the object whose '{' was just read, under
// the builder's member cap (k: srcjson.Builder.Read; the caller adds the
// members it keeps with k.Put): it checks the key of each member read for
// a duplicate among keys, which it extends, and hands it to member, which
// reads or skips the value; a member past the cap is skipped unread. It
// returns the object's range once its '}' is read.
func (p *fileParser) members(keys *[]tree.Member, k *srcjson.Keys, member func(key string, keyRange model.Range) error) (model.Range, error) {
	dec := p.b.Decoder()
	start := p.loc.Pos(int(dec.InputOffset()) - 1)
	var seen map[string]int
	for dec.PeekKind() != jsontext.KindEndObject {
		key, keyRange, err := p.b.Key()
		if err != nil {
			return model.Range{}, err
		}
		if !p.b.Read(k, key, keyRange) {
			if err := dec.SkipValue(); err != nil {
				return model.Range{}, err
			}
			continue
		}
		p.key(keys, &seen, key, keyRange)
		if err := member(key, keyRange); err != nil {
			return model.Range{}, err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return model.Range{}, err
	}
	p.b.EndObject(k)
	return model.Range{File: p.path, Start: start, End: p.loc.Pos(int(dec.InputOffset()))}, nil
}

// key records the key of the next member of an object in keys (the
// distinct keys before it, with seen: see srcjson.Builder.CheckDuplicate),
// which reports a duplicate. A duplicate is reported against the first: it
// is not recorded, so that a million repeats of one key keep one.
func (p *fileParser) key(keys *[]tree.Member, seen *map[string]int, key string, keyRange model.Range) {
	var dup bool
	if *seen, dup = p.b.CheckDuplicate(*keys, *seen, key, keyRange); !dup {
		*keys = append(*keys, tree.Member{Key: key, KeyRange: keyRange})
	}
}

// enter reads the opening token of the next value when it is of kind want
// (an array or an object) and enters it in the builder: ok is true and the
// caller leaves it. Any other value is handed to other, which reports or
// skips it.
func (p *fileParser) enter(want jsontext.Kind, other func() error) (ok bool, err error) {
	dec := p.b.Decoder()
	if dec.PeekKind() != want {
		return false, other()
	}
	if _, err := dec.ReadToken(); err != nil {
		return false, err
	}
	p.b.Enter()
	return true, nil
}

// notRole reports a value where a role object or list was expected and
// skips it.
func (p *fileParser) notRole(label string) error {
	dec := p.b.Decoder()
	kind := dec.PeekKind()
	if kind == jsontext.KindInvalid || kind == jsontext.KindEndArray || kind == jsontext.KindEndObject {
		_, err := dec.ReadToken()
		return err
	}
	startOff := int(dec.InputOffset())
	if err := dec.SkipValue(); err != nil {
		return err
	}
	end := int(dec.InputOffset())
	start := end - len(srcjson.TrimValue(p.src[startOff:end]))
	what := "a role object"
	if label == "Roles" || label == "RoleDetailList" || label == "" {
		what = "a list of role objects"
	}
	name := label
	if name == "" {
		name = "top-level value"
	}
	p.diag(p.loc.Range(start, end), fmt.Sprintf("%s is not %s", name, what))
	return nil
}

// role builds and emits the role described by the members of obj; label is
// its fallback name.
func (p *fileParser) role(obj *tree.Node, label string) {
	r := normalize.NewRole("", model.FormatAWSExport, p.path, obj.Range)
	sm := r.Source
	if n := obj.Get("RoleName"); n != nil && n.Kind == tree.String {
		normalize.SetRoleName(r, n.Str, n.Range)
	}
	if n := obj.Get("Arn"); n != nil && n.Kind == tree.String {
		normalize.SetARN(r, n.Str, n.Range)
	}
	if n := obj.Get("Path"); n != nil && n.Kind == tree.String {
		normalize.SetPath(r, n.Str, n.Range)
	}
	switch {
	case r.RoleName != "":
		r.Name = r.RoleName
	case r.ARN != "":
		r.Name = r.ARN
	default:
		r.Name = label
	}
	if m, ok := obj.Member("MaxSessionDuration"); ok {
		p.norm.SetMaxSessionDuration(r, m.Value, model.Range{File: p.path, Start: m.KeyRange.Start, End: m.Value.Range.End}, m.KeyRange)
	}
	if p.sink != nil {
		p.roleIdentity(obj, r)
	}
	if m, ok := obj.Member("AssumeRolePolicyDocument"); ok {
		r.HasPolicy = true
		doc := m.Value
		if doc.Kind == tree.String && srcjson.ClassifyEmbedded(doc.Str) != srcjson.EmbeddedNone {
			start, end := doc.Range.Start.Byte, doc.Range.End.Byte
			n, diags := p.emb.Parse(p.loc, p.src[start:end], start)
			p.diags.Add(diags...)
			if n == nil {
				return // the diagnostic stands for the role
			}
			doc = n
		}
		r.Policy = p.norm.Policy(doc, model.PolicyPath, sm)
	}
	p.emitRole(r)
}
