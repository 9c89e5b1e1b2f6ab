package audit

import (
	"slices"
	"strconv"
	"strings"

	"github.com/trustlint/trustlint/model"
)

// Kinds of principals a trust policy admits.
const (
	PrincipalAccount   = "account"   // an account (root or bare ID)
	PrincipalARN       = "principal" // a user, role or session named by ARN
	PrincipalWildcard  = "wildcard"  // "*" or a pattern
	PrincipalOIDC      = "oidc"      // an OIDC identity provider
	PrincipalSAML      = "saml"      // a SAML identity provider
	PrincipalFederated = "federated" // another web identity (cognito, google...)
	PrincipalService   = "service"   // an AWS service
	PrincipalDeleted   = "deleted"   // a unique ID left by a deleted principal
	PrincipalUnknown   = "unknown"   // a value that could not be resolved
)

// Exposure classes of a role, as the overview counts them.
const (
	ExposureExternal  = "external"  // admits another account
	ExposureWildcard  = "wildcard"  // admits any principal (maybe narrowed by conditions)
	ExposureFederated = "federated" // admits an identity provider
	ExposureService   = "service"   // admits AWS services
	ExposureOwn       = "own"       // admits only its own account
	ExposureNone      = "none"      // admits nobody that can be read
)

// Grant is one principal a role's trust policy admits.
type Grant struct {
	// Kind is one of the Principal* kinds.
	Kind string `json:"kind"`
	// Principal is the value as written in the trust policy (past
	// model.IDLimit characters cut, like every identifier a report shows).
	Principal string `json:"principal"`
	// written is the whole value, for matching.
	written string
	// Account is the 12-digit account of the principal, when it has one.
	Account string `json:"account,omitempty"`
	// Vendor is the known vendor that owns Account.
	Vendor string `json:"vendor,omitempty"`
	// Own is set when Account is the role's own account.
	Own bool `json:"own,omitempty"`
	// Actions are the statement's actions.
	Actions []string `json:"actions"`
	// Conditions are the statement's tests (shown, not evaluated).
	Conditions []Condition `json:"conditions"`
	// Path is the element in the rule input (policy.Statement[0].Principal.AWS[1]).
	Path string `json:"path"`
	// Statement is the path of the statement.
	Statement string `json:"-"`
	// Rules are the IDs of the findings on the element or its statement.
	Rules []string `json:"rules"`
	// Worst is the highest severity band among Rules ("" without findings).
	Worst string `json:"worst,omitempty"`
}

// Outside reports whether the grant lets in someone from outside the
// account: any grant but the own account's principals. Identity providers
// count as outside even when registered in the account: their users are
// not principals of the account.
func (g *Grant) Outside() bool {
	return !g.Own || g.Kind == PrincipalOIDC || g.Kind == PrincipalSAML || g.Kind == PrincipalFederated
}

// assumeActions are the actions that let a principal assume a role.
var assumeActions = []string{"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"}

// statementPrefix starts the path of a statement in the rule input.
const statementPrefix = "policy.Statement["

// grants reads the Allow statements of a normalized trust policy. own is
// the role's account ("" when unknown); guards maps the statements a Deny
// guard pins to the guard (Options.DenyGuards), whose tests their grants
// show after their own.
func grants(policy any, own string, guards map[int]int) []Grant {
	list := statementList(policy)
	// About one grant per statement: a slice grown from nothing copied a
	// large policy's grants (200 bytes each, with pointers) a dozen times.
	out := make([]Grant, 0, len(list))
	for i, e := range list {
		st, ok := e.(map[string]any)
		if !ok {
			continue
		}
		if eff, _ := st["Effect"].(string); eff != "Allow" {
			continue
		}
		actions := stmtActions(st)
		if len(actions) == 0 {
			continue
		}
		stPath := statementPrefix + strconv.Itoa(i) + "]"
		conds := conditions(st["Condition"])
		if g, ok := guards[i]; ok && g >= 0 && g < len(list) {
			if deny, ok := list[g].(map[string]any); ok {
				conds = append(conds, denied(conditions(deny["Condition"]))...)
			}
		}
		pr, ok := st["Principal"].(map[string]any)
		if !ok {
			continue
		}
		for _, typ := range sortedKeys(pr) {
			vals, _, ok := model.List(pr[typ])
			if !ok && pr[typ] != nil {
				vals = slices.All([]any{pr[typ]})
			}
			for j, v := range vals {
				g := Grant{Actions: actions, Conditions: conds, Statement: stPath,
					Path: stPath + ".Principal." + typ + "[" + strconv.Itoa(j) + "]"}
				if !model.IsIdent(typ) {
					g.Path = stPath + ".Principal[" + strconv.Quote(typ) + "][" + strconv.Itoa(j) + "]"
				}
				s, isStr := v.(string)
				if !isStr {
					g.Kind, g.Principal = PrincipalUnknown, unknownText(v)
					out = append(out, g)
					continue
				}
				g.Principal, g.written = model.CutID(s), s
				classify(&g, typ, s, own)
				out = append(out, g)
			}
		}
	}
	return out
}

// stmtActions returns the assume actions a trust statement allows.
func stmtActions(st map[string]any) []string {
	var out []string
	for _, a := range assumeActions {
		if appliesTo(st, "Action", "NotAction", a, true) {
			out = append(out, a)
		}
	}
	return out
}

// classify sets Kind, Account and Own of a grant of principal type typ.
func classify(g *Grant, typ, s, own string) {
	switch typ {
	case "Service":
		g.Kind = PrincipalService
		return
	case "Federated":
		switch {
		case strings.Contains(s, ":oidc-provider/"):
			g.Kind = PrincipalOIDC
		case strings.Contains(s, ":saml-provider/"):
			g.Kind = PrincipalSAML
		default:
			g.Kind = PrincipalFederated
		}
		g.Account = accountOf(s)
		g.Own = own != "" && g.Account == own
		return
	}
	switch {
	case strings.Contains(s, "${") || strings.HasPrefix(s, "$"):
		g.Kind = PrincipalUnknown
	case s == "*" || strings.ContainsAny(s, "*?"):
		g.Kind = PrincipalWildcard
		g.Account = accountOf(s)
	case model.IsAccountID(s):
		g.Kind, g.Account = PrincipalAccount, s
	case strings.HasPrefix(s, "AROA") || strings.HasPrefix(s, "AIDA") || strings.HasPrefix(s, "AGPA"):
		g.Kind = PrincipalDeleted
	default:
		g.Account = accountOf(s)
		if strings.HasSuffix(s, ":root") {
			g.Kind = PrincipalAccount
		} else {
			g.Kind = PrincipalARN
		}
	}
	g.Own = g.Account != "" && (g.Account == own || g.Account == model.OwnAccountToken)
}

// accountOf returns the account of an ARN: its 12 digits, or the
// own-account token of a template; "" when it has none.
func accountOf(arn string) string {
	if a := model.AccountOf(arn); a != "" {
		return a
	}
	if strings.Contains(arn, ":"+model.OwnAccountToken+":") {
		return model.OwnAccountToken
	}
	return ""
}

// exposure classifies a role by its grants.
func exposure(gs []Grant) []string {
	var ext, wild, fed, svc, own bool
	for _, g := range gs {
		switch {
		case g.Kind == PrincipalWildcard:
			wild = true
		case g.Kind == PrincipalOIDC || g.Kind == PrincipalSAML || g.Kind == PrincipalFederated:
			fed = true
		case g.Kind == PrincipalService:
			svc = true
		case g.Own:
			own = true
		case g.Kind == PrincipalAccount || g.Kind == PrincipalARN:
			ext = true
		}
	}
	var out []string
	if ext {
		out = append(out, ExposureExternal)
	}
	if wild {
		out = append(out, ExposureWildcard)
	}
	if fed {
		out = append(out, ExposureFederated)
	}
	if svc {
		out = append(out, ExposureService)
	}
	if len(out) == 0 && own {
		out = append(out, ExposureOwn)
	}
	if len(out) == 0 {
		out = append(out, ExposureNone)
	}
	return out
}
