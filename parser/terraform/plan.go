package terraform

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcjson"
	"github.com/trustlint/trustlint/parser/normalize"
	"github.com/trustlint/trustlint/parser/tree"
)

// KnownAfterApply is the text of values a plan leaves unknown until apply.
const KnownAfterApply = "(known after apply)"

// maxModuleDepth bounds the nesting of child modules followed in a plan.
const maxModuleDepth = 64

// Parse reads a Terraform plan in JSON (terraform show -json) and calls
// emit with each aws_iam_role it plans: those of resource_changes, except
// the ones only deleted (after_unknown marks values unknown until apply),
// and those of planned_values (root and child modules) that resource_changes
// does not list. A role is named by its address with module path and index
// (module.ci.aws_iam_role.deploy["a"]). Its assume_role_policy, a JSON
// string, is parsed with positions inside the plan file; when the plan
// leaves it unknown, the aws_iam_policy_document that the configuration
// section names as its source gives it, known in part (plandoc.go). The own account
// comes from the role's ARN, else from the one aws_caller_identity data
// source the plan read. The plan is streamed: only role objects are built as
// trees. Parse never panics.
func (Parser) Parse(path string, src []byte, emit func(*model.Role)) (diags []model.Diagnostic) {
	defer func() {
		if p := recover(); p != nil {
			diags = append(diags, model.Diagnostic{
				Range:   model.Range{File: path},
				Message: fmt.Sprintf("internal error reading the Terraform plan: %v\n%s", p, debug.Stack()),
			})
		}
	}()
	p := &planParser{
		path:     path,
		src:      src,
		loc:      model.NewLineIndex(path, src),
		seen:     map[string]bool{},
		accounts: map[string]bool{},
		docs:     map[string]*planDoc{},
		docRank:  map[string]int{},
		configs:  map[string]*planConfig{},
	}
	p.dec = jsontext.NewDecoder(bytes.NewReader(src), jsontext.AllowDuplicateNames(true))
	if err := p.run(); err != nil {
		p.syntaxError(err)
		return sortDiags(p.diags)
	}
	own := ""
	if len(p.accounts) == 1 {
		for a := range p.accounts {
			own = a
		}
	}
	for _, pr := range p.changes {
		if r := p.role(pr, own); r != nil {
			emit(r)
		}
	}
	for _, pr := range p.planned {
		if p.seen[pr.address] {
			continue
		}
		if r := p.role(pr, own); r != nil {
			emit(r)
		}
	}
	return sortDiags(p.diags)
}

// planRole is a role found in a plan.
type planRole struct {
	address string
	node    *tree.Node // the resource object
	values  *tree.Node // its planned attribute values
	unknown *tree.Node // after_unknown, or nil
}

// planParser is the state of one Parse call.
type planParser struct {
	path     string
	src      []byte
	loc      *model.LineIndex
	dec      *jsontext.Decoder
	norm     normalize.Normalizer
	changes  []*planRole
	planned  []*planRole
	seen     map[string]bool        // addresses listed in resource_changes
	accounts map[string]bool        // account IDs of aws_caller_identity data sources
	docs     map[string]*planDoc    // aws_iam_policy_document instances by address
	docRank  map[string]int         // where each of docs comes from (addDoc)
	configs  map[string]*planConfig // the configuration by module path
	diags    []model.Diagnostic
}

var errNotObject = errors.New("not a JSON object")

// run streams the top-level object.
func (p *planParser) run() error {
	if p.dec.PeekKind() != jsontext.KindBeginObject {
		if p.dec.PeekKind() == jsontext.KindInvalid {
			_, err := p.dec.ReadToken()
			return err
		}
		return errNotObject
	}
	err := p.object(func(key string) error {
		switch key {
		case "resource_changes":
			return p.array(func() error {
				n, err := p.capture("aws_iam_role", "aws_caller_identity", policyDocType)
				if err == nil && n != nil {
					p.change(n)
				}
				return err
			})
		case "planned_values":
			return p.member("root_module", func() error { return p.moduleValues(true, 0) })
		case "prior_state":
			return p.member("values", func() error {
				return p.member("root_module", func() error { return p.moduleValues(false, 0) })
			})
		case "configuration":
			return p.member("root_module", func() error { return p.configModule("", 0) })
		}
		return p.dec.SkipValue()
	})
	if err != nil {
		return err
	}
	if p.dec.PeekKind() != jsontext.KindInvalid {
		return errors.New("unexpected data after the top-level value")
	}
	if _, err := p.dec.ReadToken(); !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// object reads an object, calling fn for each member with the decoder at
// its value; fn must consume the value. A value that is not an object is
// skipped.
func (p *planParser) object(fn func(key string) error) error {
	if p.dec.PeekKind() != jsontext.KindBeginObject {
		return p.dec.SkipValue()
	}
	if _, err := p.dec.ReadToken(); err != nil {
		return err
	}
	for p.dec.PeekKind() != jsontext.KindEndObject {
		tok, err := p.dec.ReadToken()
		if err != nil {
			return err
		}
		if err := fn(tok.String()); err != nil {
			return err
		}
	}
	_, err := p.dec.ReadToken()
	return err
}

// member reads an object, calling fn with the decoder at the value of its
// member name, which fn must consume, and skipping the other members.
func (p *planParser) member(name string, fn func() error) error {
	return p.object(func(key string) error {
		if key == name {
			return fn()
		}
		return p.dec.SkipValue()
	})
}

// array reads an array, calling fn with the decoder at each element; fn
// must consume it. A value that is not an array is skipped.
func (p *planParser) array(fn func() error) error {
	if p.dec.PeekKind() != jsontext.KindBeginArray {
		return p.dec.SkipValue()
	}
	if _, err := p.dec.ReadToken(); err != nil {
		return err
	}
	for p.dec.PeekKind() != jsontext.KindEndArray {
		if err := fn(); err != nil {
			return err
		}
	}
	_, err := p.dec.ReadToken()
	return err
}

// capture reads the next value and builds its positioned tree when its
// text mentions one of the resource types (any value when none is given);
// nil otherwise.
func (p *planParser) capture(types ...string) (*tree.Node, error) {
	raw, err := p.dec.ReadValue()
	if err != nil {
		return nil, err
	}
	if len(raw) == 0 || raw[0] != '{' {
		return nil, nil
	}
	wanted := len(types) == 0
	for _, t := range types {
		if bytes.Contains(raw, []byte(`"`+t+`"`)) {
			wanted = true
			break
		}
	}
	if !wanted {
		return nil, nil
	}
	end := int(p.dec.InputOffset())
	n, diags := srcjson.ParseText(p.loc, end-len(raw), end)
	p.diags = append(p.diags, diags...)
	return n, nil
}

// moduleValues reads a module of planned_values (planned) or of
// prior_state: its resources and child modules.
func (p *planParser) moduleValues(planned bool, depth int) error {
	if depth > maxModuleDepth {
		return p.dec.SkipValue()
	}
	return p.object(func(key string) error {
		switch key {
		case "resources":
			return p.array(func() error {
				n, err := p.capture("aws_iam_role", "aws_caller_identity", policyDocType)
				if err == nil && n != nil {
					p.resource(n, planned)
				}
				return err
			})
		case "child_modules":
			return p.array(func() error { return p.moduleValues(planned, depth+1) })
		}
		return p.dec.SkipValue()
	})
}

// str returns the string value of member key of n, or "".
func str(n *tree.Node, key string) string {
	if v := n.Get(key); v != nil && v.Kind == tree.String {
		return v.Str
	}
	return ""
}

// resource records a resource of planned_values or prior_state.
func (p *planParser) resource(n *tree.Node, planned bool) {
	typ, mode := str(n, "type"), str(n, "mode")
	values := n.Get("values")
	switch {
	case typ == "aws_iam_role" && (mode == "managed" || mode == "") && planned:
		if values != nil && values.Kind == tree.Object {
			p.planned = append(p.planned, &planRole{address: addressOf(n), node: n, values: values})
		}
	case typ == "aws_caller_identity" && mode == "data":
		p.account(values)
	case typ == policyDocType && mode == "data":
		rank := 0
		if planned {
			rank = 1
		}
		p.addDoc(addressOf(n), rank, values, nil)
	}
}

// addressOf returns the address of a resource of a plan, or type.name when
// the plan leaves it out.
func addressOf(n *tree.Node) string {
	if a := str(n, "address"); a != "" {
		return a
	}
	return str(n, "type") + "." + str(n, "name")
}

// change records an entry of resource_changes.
func (p *planParser) change(n *tree.Node) {
	typ, mode := str(n, "type"), str(n, "mode")
	change := n.Get("change")
	after := change.Get("after")
	switch {
	case typ == "aws_caller_identity" && mode == "data":
		p.account(after)
	case typ == policyDocType && mode == "data":
		if !onlyDelete(change.Get("actions")) {
			p.addDoc(addressOf(n), 2, after, change.Get("after_unknown"))
		}
	case typ == "aws_iam_role" && (mode == "managed" || mode == ""):
		if n.Get("deposed") != nil {
			return // a deposed object is being destroyed
		}
		address := addressOf(n)
		p.seen[address] = true
		if onlyDelete(change.Get("actions")) || after == nil || after.Kind != tree.Object {
			return
		}
		p.changes = append(p.changes, &planRole{address: address, node: n, values: after, unknown: change.Get("after_unknown")})
	}
}

// onlyDelete reports whether a list of actions is ["delete"].
func onlyDelete(actions *tree.Node) bool {
	return actions != nil && actions.Kind == tree.Array && len(actions.Elems) == 1 &&
		actions.Elems[0].Kind == tree.String && actions.Elems[0].Str == "delete"
}

// account records the account ID of an aws_caller_identity's values.
func (p *planParser) account(values *tree.Node) {
	if a := str(values, "account_id"); model.IsAccountID(a) {
		p.accounts[a] = true
	}
}

// unknownIn reports whether after_unknown marks attribute key unknown.
func unknownIn(unknown *tree.Node, key string) bool {
	v := unknown.Get(key)
	return v != nil && v.Kind == tree.Bool && v.Bool
}

// role builds the role of a plan entry; nil when its policy is not valid
// JSON (the diagnostics stand for it).
func (p *planParser) role(pr *planRole, own string) *model.Role {
	r := normalize.NewRole(pr.address, model.FormatTerraformPlan, p.path, pr.node.Range)
	sm := r.Source
	v := pr.values
	if n := v.Get("name"); n != nil && n.Kind == tree.String {
		normalize.SetRoleName(r, n.Str, n.Range)
	}
	if n := v.Get("path"); n != nil && n.Kind == tree.String {
		normalize.SetPath(r, n.Str, n.Range)
	}
	if arn := str(v, "arn"); arn != "" {
		r.ARN = arn
		r.OwnAccount = model.AccountOf(arn)
	}
	if r.OwnAccount == "" {
		r.OwnAccount = own
	}
	if m, ok := v.Member("max_session_duration"); ok || unknownIn(pr.unknown, "max_session_duration") {
		rng, keyRange := pr.node.Range, pr.node.Range
		if ok {
			rng = model.Range{File: p.path, Start: m.KeyRange.Start, End: m.Value.Range.End}
			keyRange = m.KeyRange
		}
		n := m.Value
		if unknownIn(pr.unknown, "max_session_duration") {
			n = &tree.Node{Kind: tree.Unknown, Str: KnownAfterApply, Range: rng}
		}
		p.norm.SetMaxSessionDuration(r, n, rng, keyRange)
	}
	r.HasPolicy = true
	m, ok := v.Member("assume_role_policy")
	var doc *tree.Node
	switch {
	case unknownIn(pr.unknown, "assume_role_policy") || !ok || m.Value.Kind == tree.Null:
		// A required attribute left out of the plan is known after apply;
		// the document the configuration names may still be known in part.
		if doc = p.roleDoc(pr); doc != nil {
			break
		}
		rng := pr.node.Range
		if ok {
			rng = m.Value.Range
		}
		doc = unknownNode(KnownAfterApply, rng)
	case m.Value.Kind == tree.String && srcjson.ClassifyEmbedded(m.Value.Str) == srcjson.EmbeddedJSON:
		start, end := m.Value.Range.Start.Byte, m.Value.Range.End.Byte
		n, diags := srcjson.ParseEmbedded(p.loc, p.src[start:end], start)
		p.diags = append(p.diags, diags...)
		if n == nil {
			return nil
		}
		doc = n
	default:
		doc = m.Value
	}
	r.Policy = p.norm.Policy(doc, model.PolicyPath, sm)
	return r
}

// syntaxError reports a JSON error of the plan at its position.
func (p *planParser) syntaxError(err error) {
	if errors.Is(err, errNotObject) {
		p.diags = append(p.diags, model.Diagnostic{Range: p.loc.Range(0, 0), Message: "not a Terraform plan: the top-level value is not an object"})
		return
	}
	// srcjson words and places syntax errors; parse again for them.
	_, diags := srcjson.ParseText(p.loc, 0, len(p.src))
	found := false
	for _, d := range diags {
		if !strings.HasPrefix(d.Message, "duplicate key") {
			p.diags = append(p.diags, d)
			found = true
		}
	}
	if !found {
		off := int(p.dec.InputOffset())
		p.diags = append(p.diags, model.Diagnostic{Range: p.loc.Range(off, off), Message: "invalid JSON: " + err.Error()})
	}
}
