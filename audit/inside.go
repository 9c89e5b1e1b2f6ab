package audit

import (
	"cmp"
	"slices"
	"strings"

	"github.com/trustlint/trustlint/model"
)

// assumeRole is the action identity policies must allow on a role's ARN
// for a principal of the account to assume it.
const assumeRole = "sts:AssumeRole"

// subject is a principal of the account with the statements of its
// identity policies that apply to sts:AssumeRole.
type subject struct {
	kind  model.PrincipalKind
	name  string
	arn   string
	stmts []statement
}

// inside computes, for each role, the users and roles of the account that
// may assume it (Role.Assumers) and the account's users and groups
// (Account.Principals).
func (c *Collector) inside(a *Account) {
	subjects := c.subjects()
	byARN := make(map[string]*subject, len(subjects))
	var allowers []*subject // only they can get in through identity policies
	for _, s := range subjects {
		byARN[s.arn] = s
		if slices.ContainsFunc(s.stmts, func(st statement) bool { return st.allow }) {
			allowers = append(allowers, s)
		}
	}
	roleByName := map[string]string{}
	for _, r := range a.Roles {
		if r.RoleName != "" && r.ARN != "" {
			roleByName[r.RoleName] = r.ARN
		}
	}
	reach := map[string]int{}
	for _, r := range a.Roles {
		if r.ARN == "" {
			continue
		}
		var delegated bool
		var delegConds []Condition
		named := map[string]bool{}
		for _, g := range r.Grants {
			if !g.Own || !slices.Contains(g.Actions, assumeRole) {
				continue
			}
			switch g.Kind {
			case PrincipalAccount:
				delegated = true
				delegConds = append(delegConds, g.Conditions...)
			case PrincipalARN:
				named[sessionRole(g.written, roleByName)] = true
			}
		}
		for _, arn := range sortedKeys(named) {
			s := byARN[arn]
			if s == nil {
				s = &subject{kind: kindOfARN(arn), name: nameOfARN(arn), arn: arn}
			}
			if as, ok := s.assume(r.ARN, ViaTrustPolicy); ok {
				r.Assumers = append(r.Assumers, as)
			}
		}
		if delegated {
			for _, s := range allowers {
				if named[s.arn] {
					continue
				}
				if as, ok := s.assume(r.ARN, ViaIdentityPolicy); ok {
					as.Conditions = append(as.Conditions, delegConds...)
					r.Assumers = append(r.Assumers, as)
				}
			}
		}
		slices.SortFunc(r.Assumers, func(x, y Assumer) int {
			return cmp.Or(cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.ARN, y.ARN))
		})
		for _, as := range r.Assumers {
			reach[as.ARN]++
			for _, g := range as.Groups {
				reach["group\x00"+g]++
			}
		}
	}
	for _, id := range c.identities {
		if id.Kind == model.KindRole {
			continue
		}
		p := &Principal{Kind: id.Kind, Name: id.Name, ARN: id.ARN, Groups: id.Groups, Reaches: reach[id.ARN]}
		if id.Kind == model.KindGroup {
			p.Reaches = reach["group\x00"+id.Name]
		}
		a.Principals = append(a.Principals, p)
	}
	slices.SortFunc(a.Principals, func(x, y *Principal) int {
		return cmp.Or(cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.Name, y.Name))
	})
}

// subjects returns the users and roles of the account with the
// statements of their identity policies (a user's include its groups')
// that apply to sts:AssumeRole, sorted by ARN.
func (c *Collector) subjects() []*subject {
	var out []*subject
	seen := map[string]bool{} // one subject per ARN: the first file wins
	for _, k := range sortedKeys(c.identities) {
		id := c.identities[k]
		if id.Kind == model.KindGroup || id.ARN == "" || seen[id.ARN] {
			continue
		}
		seen[id.ARN] = true
		s := &subject{kind: id.Kind, name: id.Name, arn: id.ARN}
		s.stmts = c.statementsOf(id, "")
		if id.Kind == model.KindUser {
			for _, gname := range id.Groups {
				if g := c.identities[identityKey(model.KindGroup, gname, id.ARN, "")]; g != nil {
					s.stmts = append(s.stmts, c.statementsOf(g, gname)...)
				}
			}
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(x, y *subject) int { return cmp.Compare(x.arn, y.arn) })
	return out
}

// statementsOf returns the sts:AssumeRole statements of an identity's
// inline and attached managed policies (default version).
func (c *Collector) statementsOf(id *model.Identity, group string) []statement {
	var out []statement
	for _, p := range id.Inline {
		out = append(out, actionStatements(p.Document, assumeRole, p.Name+" (inline)", group)...)
	}
	for _, arn := range id.Managed {
		mp := c.policies[arn]
		if mp == nil {
			continue // not in the export: unknown, so it grants nothing we can show
		}
		out = append(out, actionStatements(mp.Document, assumeRole, cmp.Or(mp.Name, arn), group)...)
	}
	return out
}

// assume tells whether s may assume the role roleARN. Through the trust
// policy (named) it needs no Allow; through identity policies it needs one.
// An unconditional Deny that matches takes access away either way; a
// conditional one is listed among the conditions.
func (s *subject) assume(roleARN, via string) (Assumer, bool) {
	as := Assumer{Kind: s.kind, ARN: s.arn, Name: s.name, Via: via}
	allowed := via == ViaTrustPolicy
	for _, st := range s.stmts {
		if !st.matches(roleARN) {
			continue
		}
		if !st.allow {
			if len(st.conditions) == 0 {
				return Assumer{}, false
			}
			as.Conditions = append(as.Conditions, denied(st.conditions)...)
			continue
		}
		if via == ViaTrustPolicy {
			continue
		}
		allowed = true
		as.Conditions = append(as.Conditions, st.conditions...)
		if !slices.Contains(as.Policies, st.policy) {
			as.Policies = append(as.Policies, st.policy)
		}
		if st.group != "" && !slices.Contains(as.Groups, st.group) {
			as.Groups = append(as.Groups, st.group)
		}
	}
	slices.Sort(as.Policies)
	slices.Sort(as.Groups)
	return as, allowed
}

// sessionRole maps an assumed-role session ARN
// (arn:aws:sts::1:assumed-role/R/s) to the ARN of role R when the export
// has it; other ARNs are returned as they are.
func sessionRole(arn string, roleByName map[string]string) string {
	_, rest, ok := strings.Cut(arn, ":assumed-role/")
	if !ok {
		return arn
	}
	name, _, _ := strings.Cut(rest, "/")
	if r, ok := roleByName[name]; ok {
		return r
	}
	return arn
}

// kindOfARN tells a user ARN from a role (or session) ARN.
func kindOfARN(arn string) model.PrincipalKind {
	if strings.Contains(arn, ":user/") {
		return model.KindUser
	}
	return model.KindRole
}

// nameOfARN returns the last path segment of an ARN's resource.
func nameOfARN(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}
