// Package audit answers an auditor's questions about the roles a scan read:
// who can assume each role from outside the account (accounts with their
// vendor names, wildcards, identity providers, services, and the
// conditions guarding them), who inside the account can (users directly
// and through groups, and roles, from their identity policies in an
// authorization-details export), the role chains and cycles that follow,
// and when each role was last used.
//
// It reads only the model: parsers hand it roles (Collector.Role) and the
// identity side of exports (Collector as a model.AccountSink), and reports
// render the Account that Analyze returns.
package audit

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/trustlint/trustlint/internal/par"
	"github.com/trustlint/trustlint/model"
)

// Collector gathers what the audit needs while a scan runs. It keeps only
// the role attributes and trust policy, never source maps. It is safe for
// concurrent use.
type Collector struct {
	mu         sync.Mutex
	roles      []*roleRec
	byKey      map[roleKey]*roleRec
	identities map[string]*model.Identity // see identityKey
	policies   map[string]*model.ManagedPolicy
	grantsOnly bool // see GrantsOnly
}

type roleKey struct {
	file string
	ref  model.RoleRef
}

// roleRec is one role as collected: the first variant of a role read
// several times (the branches of a CloudFormation Fn::If) stands.
type roleRec struct {
	name, roleName, arn, file, own, root string
	doc                                  int
	format                               model.Format
	rng                                  model.Range
	policy                               any
	// grants, when made is set, are the role's grants, made when it was
	// recorded (GrantsOnly): policy is then nil.
	grants []Grant
	made   bool
}

// NewCollector returns an empty collector.
func NewCollector() *Collector {
	return &Collector{
		byKey:      map[roleKey]*roleRec{},
		identities: map[string]*model.Identity{},
		policies:   map[string]*model.ManagedPolicy{},
	}
}

// GrantsOnly makes the collector keep each role's grants, made when it is
// recorded, instead of its trust policy, for reports that show no policy
// (text, JSON, CSV): the policies of a 40,000-role export were a third of
// its scan's memory (481 -> 337 MB). A policy that may have a Deny
// statement is kept, for Options.DenyGuards. Call it before any Role.
func (c *Collector) GrantsOnly() { c.grantsOnly = true }

// Role records a role a parser emitted. It may be called concurrently.
func (c *Collector) Role(r *model.Role) {
	var made []Grant
	early := r.HasPolicy && c.grantsOnly && !model.MayHaveDeny(r.Policy)
	if early {
		made = grants(r.Policy, r.OwnAccount, nil) // outside the lock: on the parser's goroutine
	}
	k := roleKey{r.File, r.Ref()}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[k]; ok {
		return
	}
	rec := &roleRec{name: r.Name, roleName: r.RoleName, arn: r.ARN, file: r.File, own: r.OwnAccount,
		root: r.RootModule, doc: r.Document, format: r.Format, rng: r.Range}
	switch {
	case early:
		rec.grants, rec.made = made, true
	case r.HasPolicy:
		rec.policy = r.Policy
	}
	c.byKey[k] = rec
	c.roles = append(c.roles, rec)
}

// Identity records a user, a group or a role's permissions.
func (c *Collector) Identity(id *model.Identity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := identityKey(id.Kind, id.Name, id.ARN, id.Range.File)
	// Two exports of one account may both hold a user: the first file in
	// name order wins, whatever order the files were parsed in.
	if old := c.identities[k]; old == nil || id.Range.File < old.Range.File {
		c.identities[k] = id
	}
}

// ManagedPolicy records a managed policy.
func (c *Collector) ManagedPolicy(mp *model.ManagedPolicy) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.policies[mp.ARN] = mp
}

// identityKey indexes identities: a role's permissions by file and ARN
// (their link to the role emitted from the same file), users and groups by
// account and name (a user's GroupList names its groups).
func identityKey(kind model.PrincipalKind, name, arn, file string) string {
	if kind == model.KindRole {
		return "role\x00" + file + "\x00" + arn
	}
	return string(kind) + "\x00" + model.AccountOf(arn) + "\x00" + name
}

// Account is the audit of everything a scan read.
type Account struct {
	// Roles are the roles, sorted by name, then file.
	Roles []*Role `json:"roles"`
	// Outside are the outside principals, each with the roles it reaches,
	// sorted by kind and principal.
	Outside []*OutsidePrincipal `json:"-"`
	// Inside is set when the input had the identity side of an export, so
	// that who-can-assume from inside was computed.
	Inside bool `json:"-"`
	// Principals are the users and groups of the account (roles are in
	// Roles), sorted by kind and name.
	Principals []*Principal `json:"-"`
	// Cycles are the role cycles (a role that can assume itself is a cycle
	// of one), each as role ARNs sorted, the list sorted.
	Cycles [][]string `json:"-"`

	byRef map[model.RoleRef][]*Role
}

// Principal is a user or group of the account.
type Principal struct {
	Kind   model.PrincipalKind `json:"kind"`
	Name   string              `json:"name"`
	ARN    string              `json:"arn"`
	Groups []string            `json:"groups,omitempty"`
	// Reaches counts the roles the principal may assume.
	Reaches int `json:"reaches"`
}

// Role is the audit of one role.
type Role struct {
	Name     string `json:"name"`
	RoleName string `json:"role_name,omitempty"`
	ARN      string `json:"arn,omitempty"`
	File     string `json:"file"`
	// RootModule is the Terraform root module whose module calls reached
	// the role (model.Role.RootModule), for a role in a called module.
	RootModule string `json:"root_module,omitempty"`
	// Document is the ordinal of the role's JSON document in a file of
	// several (model.Role.Document), from 2.
	Document int          `json:"document,omitempty"`
	Format   model.Format `json:"format"`
	Range    model.Range  `json:"-"`
	// Policy is the normalized trust policy.
	Policy any `json:"-"`
	// Exposure lists the role's exposure classes (Exposure*).
	Exposure []string `json:"exposure"`
	// Grants are the principals the trust policy admits.
	Grants []Grant `json:"trusted"`
	// Assumers are the principals of the account that may assume the role;
	// nil when the input had no identity policies (Account.Inside false),
	// so that "nobody" and "not known" differ.
	Assumers []Assumer `json:"assumable_by,omitempty"`
	// Findings are the role's findings (sorted as the report sorts them).
	Findings []model.Finding `json:"-"`
	// Worst is the highest severity band of its findings, "" without.
	Worst string `json:"worst,omitempty"`
	// LastUsed is RoleLastUsed from an export.
	LastUsed *model.RoleUsage `json:"last_used,omitempty"`
	// SessionsRevoked is set when the role carries the
	// AWSRevokeOlderSessions inline policy.
	SessionsRevoked bool `json:"sessions_revoked,omitempty"`
	// ChainDepth is the length of the longest chain of assumptions by
	// principals of the account that ends at the role (1: assumed directly
	// by a user or role, 2: by a role that someone else assumes, ...).
	ChainDepth int `json:"chain_depth,omitempty"`
	// Chain is one longest chain, from its start to this role (ARNs).
	Chain []string `json:"chain,omitempty"`
	// Cycle is set when the role is on a cycle of roles (or assumes itself).
	Cycle bool `json:"in_cycle,omitempty"`

	// byStatement indexes Grants by statement path, so that a finding looks
	// only at the grants of its own statement (a policy may have 100,000).
	byStatement map[string][]int
}

// Via values: how an inside principal gets in.
const (
	// ViaTrustPolicy: the trust policy names the principal by ARN; within
	// one account that is enough, no identity policy is needed.
	ViaTrustPolicy = "trust-policy"
	// ViaIdentityPolicy: the trust policy trusts the own account, which
	// delegates to the principal's identity policies, and they allow it.
	ViaIdentityPolicy = "identity-policy"
)

// Assumer is a principal of the account that may assume a role.
type Assumer struct {
	Kind model.PrincipalKind `json:"kind"`
	ARN  string              `json:"arn"`
	Name string              `json:"name"`
	// Via is ViaTrustPolicy or ViaIdentityPolicy.
	Via string `json:"via"`
	// Groups are the groups whose policies allow it (users only).
	Groups []string `json:"groups,omitempty"`
	// Policies name the identity policies that allow it.
	Policies []string `json:"policies,omitempty"`
	// Conditions are the tests of the allowing statements, and the
	// conditional Deny statements (Operator prefixed "Deny "), not evaluated.
	Conditions []Condition `json:"conditions,omitempty"`
}

// OutsidePrincipal is one principal from outside the account and the roles
// it reaches.
type OutsidePrincipal struct {
	Kind      string `json:"kind"`
	Principal string `json:"principal"`
	Account   string `json:"account,omitempty"`
	Vendor    string `json:"vendor,omitempty"`
	// Roles are the roles it reaches, sorted, each named by its
	// model.RoleRef (its name, and the root module or document that tells
	// it apart from roles of the same name).
	Roles []string `json:"roles"`
	// Guards are the guard kinds present on every grant (external-id, mfa,
	// org...), and Unguarded counts the grants without any guard.
	Guards    []string `json:"guards"`
	Unguarded int      `json:"unguarded"`
	// Worst is the highest severity band of the findings on its grants.
	Worst string `json:"worst,omitempty"`
}

// Options tune Analyze.
type Options struct {
	// Vendor and DenyGuards are called concurrently, for several roles
	// at once.
	//
	// Vendor names the known vendor of an account ID, "" when unknown.
	Vendor func(account string) string
	// DenyGuards maps the Allow statements of a trust policy that a Deny
	// guard pins to that guard (rules.Engine.DenyGuards, by index in the
	// Statement list): their grants show its tests, prefixed "Deny ", and
	// count as guarded. Nil: only a statement's own tests are shown.
	DenyGuards func(policy any) map[int]int
}

// Analyze computes the audit from the collected roles and identities and
// the findings of the scan (suppressed findings are left out by the
// caller or carry Suppressed and are ignored here).
func (c *Collector) Analyze(findings []model.Finding, opts Options) *Account {
	c.mu.Lock()
	defer c.mu.Unlock()
	a := &Account{byRef: map[model.RoleRef][]*Role{}, Inside: len(c.identities) > 0}
	// Each role on its own, on every core: a 40,000-role export's took
	// 0.4 s of one core after the scan.
	a.Roles = make([]*Role, len(c.roles))
	par.Each(0, len(c.roles), func(i int) { a.Roles[i] = c.role(c.roles[i], opts) })
	for _, r := range a.Roles {
		a.byRef[r.Ref()] = append(a.byRef[r.Ref()], r)
	}
	slices.SortFunc(a.Roles, func(x, y *Role) int {
		return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.File, y.File), cmp.Compare(x.RootModule, y.RootModule), cmp.Compare(x.Document, y.Document))
	})
	a.attachFindings(findings)
	if a.Inside {
		c.inside(a)
		a.chains()
	}
	a.outside()
	for _, r := range a.Roles {
		if r.Grants == nil {
			r.Grants = []Grant{}
		}
		for i := range r.Grants {
			g := &r.Grants[i]
			if g.Rules == nil {
				g.Rules = []string{}
			}
			if g.Conditions == nil {
				g.Conditions = []Condition{}
			}
		}
		if a.Inside && r.Assumers == nil {
			r.Assumers = []Assumer{}
		}
	}
	return a
}

// role makes the audit's role of rec: its grants, their vendors and its
// exposure, and what its account's export says of it. opts' functions are
// called concurrently.
func (c *Collector) role(rec *roleRec, opts Options) *Role {
	r := &Role{Name: rec.name, RoleName: rec.roleName, ARN: rec.arn, File: rec.file, RootModule: rec.root,
		Document: rec.doc, Format: rec.format, Range: rec.rng, Policy: rec.policy}
	if rec.made {
		r.Grants = slices.Clone(rec.grants) // Analyze fills them in
	} else {
		var guards map[int]int
		if opts.DenyGuards != nil && rec.policy != nil {
			guards = opts.DenyGuards(rec.policy)
		}
		r.Grants = grants(rec.policy, rec.own, guards)
	}
	for i := range r.Grants {
		if g := &r.Grants[i]; g.Account != "" && opts.Vendor != nil && !g.Own {
			g.Vendor = opts.Vendor(g.Account)
		}
	}
	r.Exposure = exposure(r.Grants)
	r.byStatement = map[string][]int{}
	for i, g := range r.Grants {
		r.byStatement[g.Statement] = append(r.byStatement[g.Statement], i)
	}
	if id := c.identities[identityKey(model.KindRole, "", rec.arn, rec.file)]; id != nil && rec.arn != "" {
		r.LastUsed = id.LastUsed
		for _, p := range id.Inline {
			if p.Name == "AWSRevokeOlderSessions" {
				r.SessionsRevoked = true
			}
		}
	}
	return r
}

// attachFindings gives each role its findings and each grant the rules of
// the findings on its element or its statement.
func (a *Account) attachFindings(findings []model.Finding) {
	for _, f := range findings {
		if f.Suppressed != nil {
			continue
		}
		r := a.RoleOf(f, f.Range.File)
		if r == nil {
			continue
		}
		r.Findings = append(r.Findings, f)
		if worse(f.Level, r.Worst) {
			r.Worst = f.Level
		}
		for _, i := range r.statementGrants(f.Path) {
			g := &r.Grants[i]
			if onGrant(f.Path, g) {
				if !slices.Contains(g.Rules, f.RuleID) {
					g.Rules = append(g.Rules, f.RuleID)
				}
				if worse(f.Level, g.Worst) {
					g.Worst = f.Level
				}
			}
		}
	}
	for _, r := range a.Roles {
		for i := range r.Grants {
			slices.Sort(r.Grants[i].Rules)
		}
	}
}

// RoleOf finds the role finding f names: by name, root module and
// document, and by file when several roles share them (file is the
// finding's file as the scan gave it). It returns nil for a role the audit
// does not know.
func (a *Account) RoleOf(f model.Finding, file string) *Role {
	rs := a.byRef[f.Ref()]
	for _, r := range rs {
		if r.File == file {
			return r
		}
	}
	if len(rs) > 0 {
		return rs[0]
	}
	return nil
}

// Ref returns the role's model.RoleRef.
func (r *Role) Ref() model.RoleRef {
	return model.RoleRef{Name: r.Name, RootModule: r.RootModule, Document: r.Document}
}

// statementGrants returns the indexes of the grants (in order) of the
// statement that path is in or below: the only grants onGrant can accept,
// since a grant's Path lies below its Statement.
func (r *Role) statementGrants(path string) []int {
	if !strings.HasPrefix(path, statementPrefix) {
		return nil
	}
	end := strings.IndexByte(path[len(statementPrefix):], ']')
	if end < 0 {
		return nil
	}
	return r.byStatement[path[:len(statementPrefix)+end+1]]
}

// onGrant reports whether a finding at path concerns grant g: the path is
// the principal element or inside it, or a part of its statement that is
// not another principal.
func onGrant(path string, g *Grant) bool {
	if hasPathPrefix(path, g.Path) {
		return true
	}
	if !hasPathPrefix(path, g.Statement) {
		return false
	}
	rest := path[len(g.Statement):]
	return !hasPathPrefix(rest, ".Principal") || rest == ".Principal"
}

// hasPathPrefix reports whether path is p or an element below it.
func hasPathPrefix(path, p string) bool {
	if len(path) < len(p) || path[:len(p)] != p {
		return false
	}
	return len(path) == len(p) || path[len(p)] == '.' || path[len(p)] == '['
}

// worse reports whether severity band l is higher than m.
func worse(l, m string) bool { return model.LevelRank(l) > model.LevelRank(m) }

// FindingInfo is what the audit knows about the element of a finding.
type FindingInfo struct {
	Principal string
	Account   string
	Vendor    string
	RoleARN   string
}

// Info returns the principal, account, vendor and role ARN of a finding:
// the principal it points at, or the only principal of its statement.
func (a *Account) Info(f model.Finding) FindingInfo {
	r := a.RoleOf(f, f.Range.File)
	if r == nil {
		return FindingInfo{}
	}
	info := FindingInfo{RoleARN: r.ARN}
	var match *Grant
	n := 0
	for _, i := range r.statementGrants(f.Path) {
		g := &r.Grants[i]
		if hasPathPrefix(f.Path, g.Path) {
			match, n = g, 1
			break
		}
		if onGrant(f.Path, g) {
			match = g
			n++
		}
	}
	if n == 1 {
		info.Principal, info.Account, info.Vendor = match.Principal, match.Account, match.Vendor
	}
	return info
}

// outside builds the list of outside principals.
func (a *Account) outside() {
	type key struct{ kind, principal string }
	byKey := map[key]*OutsidePrincipal{}
	guards := map[key]map[string]int{}
	grantsOf := map[key]int{}
	for _, r := range a.Roles {
		for _, g := range r.Grants {
			if !g.Outside() {
				continue
			}
			// An account is one principal however it is written (ID or root ARN).
			k := key{g.Kind, g.Principal}
			if g.Kind == PrincipalAccount {
				k.principal = g.Account
			}
			op := byKey[k]
			if op == nil {
				op = &OutsidePrincipal{Kind: g.Kind, Principal: k.principal, Account: g.Account, Vendor: g.Vendor}
				byKey[k] = op
				guards[k] = map[string]int{}
			}
			// a.Roles is sorted by name: a role already listed is the last.
			if name, n := r.Ref().String(), len(op.Roles); n == 0 || op.Roles[n-1] != name {
				op.Roles = append(op.Roles, name)
			}
			grantsOf[k]++
			seen := map[string]bool{}
			for _, c := range g.Conditions {
				if c.Guard != "" && !seen[c.Guard] {
					seen[c.Guard] = true
					guards[k][c.Guard]++
				}
			}
			if len(seen) == 0 {
				op.Unguarded++
			}
			if worse(g.Worst, op.Worst) {
				op.Worst = g.Worst
			}
		}
	}
	for k, op := range byKey {
		slices.Sort(op.Roles)
		op.Roles = slices.Compact(op.Roles)
		op.Guards = []string{}
		for _, gd := range slices.Sorted(maps.Keys(guards[k])) {
			if guards[k][gd] == grantsOf[k] {
				op.Guards = append(op.Guards, gd)
			}
		}
		a.Outside = append(a.Outside, op)
	}
	slices.SortFunc(a.Outside, func(x, y *OutsidePrincipal) int {
		return cmp.Or(cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.Principal, y.Principal))
	})
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
