package terraform

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcmaptest"
)

// parsePlan parses a plan and checks the invariants of every role.
func parsePlan(t *testing.T, file string, src []byte) ([]*model.Role, []model.Diagnostic) {
	t.Helper()
	var roles []*model.Role
	diags := Parser{}.Parse(file, src, func(r *model.Role) { roles = append(roles, r) })
	for _, r := range roles {
		if bad := srcmaptest.BadRanges(r.Source, file, src); len(bad) > 0 {
			t.Errorf("role %s: %v", r.Name, bad)
		}
		if miss := srcmaptest.Unmapped(r.Policy, model.PolicyPath, r.Source); len(miss) > 0 {
			t.Errorf("role %s: values without a source range: %v", r.Name, miss)
		}
	}
	for _, d := range diags {
		if msg := srcmaptest.CheckRange(d.Range, file, src); msg != "" {
			t.Errorf("diagnostic %q: %s", d.Message, msg)
		}
	}
	return roles, diags
}

func TestPlan(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(testdata, "plan", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	const file = "plan.json"
	if ok, why := (Parser{}).Match(file, src); !ok {
		t.Fatalf("Match: %s", why)
	}
	roles, diags := parsePlan(t, file, src)
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", messages(diags))
	}
	var names []string
	byName := map[string]*model.Role{}
	for _, r := range roles {
		names = append(names, r.Name)
		byName[r.Name] = r
		if r.Format != model.FormatTerraformPlan || r.File != file || !r.HasPolicy {
			t.Errorf("role %s: format %s, file %s, has policy %v", r.Name, r.Format, r.File, r.HasPolicy)
		}
		if r.OwnAccount != "111111111111" {
			t.Errorf("role %s: own account %q", r.Name, r.OwnAccount)
		}
	}
	// resource_changes first (deletions and deposed objects skipped), then
	// the planned_values roles that resource_changes does not list.
	wantNames := []string{
		"aws_iam_role.ops", "aws_iam_role.replaced", "aws_iam_role.later",
		`module.ci.aws_iam_role.deploy["a"]`, "module.ci.module.inner[0].aws_iam_role.x[0]",
	}
	if !reflect.DeepEqual(names, wantNames) {
		t.Fatalf("roles %q, want %q", names, wantNames)
	}
	tests := []struct {
		role   string
		values map[string]string
		keys   map[string]string
		aws    any
	}{
		{
			role: "aws_iam_role.ops", // from resource_changes' after, not planned_values
			values: map[string]string{
				"role":                                 "plan.json:63:5-79:6",
				"role.MaxSessionDuration":              "plan.json:74:11-74:40",
				"policy.Statement[0].Principal.AWS[0]": "plan.json:75:125-75:159",
			},
			keys: map[string]string{"role.MaxSessionDuration": "plan.json:74:11-74:33"},
			aws:  []any{"arn:aws:iam::888888888888:root"},
		},
		{
			role:   "aws_iam_role.replaced",
			values: map[string]string{"policy.Statement[0].Principal.AWS[0]": "plan.json:100:159-100:193"},
			aws:    []any{"arn:aws:iam::555555555555:root"},
		},
		{
			role:   `module.ci.aws_iam_role.deploy["a"]`,
			values: map[string]string{"policy.Statement[0].Principal.AWS[0]": "plan.json:39:131-39:136"},
			aws:    []any{"*"},
		},
		{
			role:   "module.ci.module.inner[0].aws_iam_role.x[0]",
			values: map[string]string{"policy.Statement[0].Principal.AWS[0]": "plan.json:53:144-53:182"},
			aws:    []any{"arn:aws:iam::666666666666:user/bob"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			r := byName[tt.role]
			diffSpans(t, "value", r.Source.ValueMap(), tt.values)
			diffSpans(t, "key", r.Source.KeyMap(), tt.keys)
			if got := at(r.Policy, aws...); !reflect.DeepEqual(got, tt.aws) {
				t.Errorf("AWS principals %v, want %v", got, tt.aws)
			}
		})
	}
	ops := byName["aws_iam_role.ops"]
	if ops.MaxSessionDuration != 43200.0 || ops.RoleName != "ops" || ops.ARN != "arn:aws:iam::111111111111:role/ops" {
		t.Errorf("ops attributes: %v %q %q", ops.MaxSessionDuration, ops.RoleName, ops.ARN)
	}
	later := byName["aws_iam_role.later"]
	if !reflect.DeepEqual(later.Policy, model.Unknown(KnownAfterApply)) || !reflect.DeepEqual(later.MaxSessionDuration, model.Unknown(KnownAfterApply)) {
		t.Errorf("later: policy %v, max session %v; want both unknown", later.Policy, later.MaxSessionDuration)
	}
	if deploy := byName[`module.ci.aws_iam_role.deploy["a"]`]; deploy.RoleName != "deploy-a" || deploy.IAMPath != "/ci/" {
		t.Errorf("deploy: name %q path %q", deploy.RoleName, deploy.IAMPath)
	}
}

func TestPlanOwnAccount(t *testing.T) {
	doc := `"{\"Statement\":[]}"`
	plan := func(identities ...string) string {
		var b strings.Builder
		b.WriteString(`{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "values": {"assume_role_policy": ` + doc + `}}]}},
"prior_state": {"values": {"root_module": {"resources": [`)
		for i, id := range identities {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`{"mode": "data", "type": "aws_caller_identity", "values": {"account_id": "` + id + `"}}`)
		}
		b.WriteString("]}}}}")
		return b.String()
	}
	tests := []struct {
		name, src, want string
	}{
		{"one identity", plan("222222222222"), "222222222222"},
		{"same account twice", plan("222222222222", "222222222222"), "222222222222"},
		{"two accounts: ambiguous", plan("222222222222", "333333333333"), ""},
		{"none", plan(), ""},
		{"not an account ID", plan("abc"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roles, diags := parsePlan(t, "p.json", []byte(tt.src))
			if len(diags) > 0 || len(roles) != 1 {
				t.Fatalf("roles %d, diagnostics:\n%s", len(roles), messages(diags))
			}
			if roles[0].OwnAccount != tt.want {
				t.Errorf("own account %q, want %q", roles[0].OwnAccount, tt.want)
			}
		})
	}
}

func TestPlanErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
		roles           int
	}{
		{"syntax error", `{"format_version": "1.2", "planned_values": {"root_module": {]}}`, "p.json:1:62: invalid JSON", 0},
		{"not an object", `[1]`, "p.json:1:1: not a Terraform plan", 0},
		{"empty", ``, "p.json:1:1: invalid JSON: empty input", 0},
		{"broken policy", `{"format_version": "1.2", "resource_changes": [{"address": "aws_iam_role.r", "type": "aws_iam_role", "mode": "managed", "change": {"actions": ["create"], "after": {"assume_role_policy": "{\"Statement\": [}"}}}]}`, "p.json:1:205: embedded policy document: invalid JSON", 0},
		{"policy not JSON", `{"format_version": "1.2", "resource_changes": [{"address": "aws_iam_role.r", "type": "aws_iam_role", "change": {"actions": ["create"], "after": {"assume_role_policy": ""}}}]}`, "", 1},
		{"trailing data", `{"format_version": "1.2", "planned_values": {}} x`, "p.json:1:49: invalid JSON", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roles, diags := parsePlan(t, "p.json", []byte(tt.src))
			if len(roles) != tt.roles {
				t.Errorf("%d roles, want %d", len(roles), tt.roles)
			}
			got := messages(diags)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("diagnostics:\n%s\nwant one starting %q", got, tt.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		path, src string
		want      bool
		why       string
	}{
		{"plan.json", `{"format_version": "1.2", "planned_values": {}}`, true, ""},
		{"plan.json", `{"resource_changes": [], "terraform_version": "1", "format_version": "1.2"}`, true, ""},
		{"PLAN.JSON", `{"format_version": "1.2", "resource_changes": []}`, true, ""},
		{"plan.json", `{"format_version": "1.2", "planned_values": `, true, ""},
		{"state.json", `{"format_version": "1.0", "values": {}}`, false, WhyState},
		{"main.tf.json", `{"format_version": "1.2", "planned_values": {}}`, false, WhyModuleFile},
		{"plan.txt", `{"format_version": "1.2", "planned_values": {}}`, false, WhyNotJSON},
		{"trust.json", `{"Statement": []}`, false, WhyNotPlan},
		{"x.json", `{"a": {"format_version": "1.2", "planned_values": {}}}`, false, WhyNotPlan},
		{"x.json", `["format_version", "planned_values"]`, false, WhyNotPlan},
		// An account export starts with its own keys: decided there,
		// whatever its tags and descriptions mention.
		{"auth.json", "\ufeff {\"RoleDetailList\": [{\"Tags\": [{\"Key\": \"format_version\", \"Value\": \"planned_values\"}]}], \"format_version\": 1, \"planned_values\": {}}", false, WhyNotPlan},
		{"roles.json", `{"Roles": [], "format_version": "1.2", "planned_values": {}}`, false, WhyNotPlan},
	}
	for _, tt := range tests {
		ok, why := Parser{}.Match(tt.path, []byte(tt.src))
		if ok != tt.want || why != tt.why {
			t.Errorf("Match(%s, %s) = %v %q, want %v %q", tt.path, tt.src, ok, why, tt.want, tt.why)
		}
	}
}

// deferredPlan is a plan whose one role, module.m["k"].aws_iam_role.r, has
// an assume_role_policy known after apply; refs are the references of its
// configured expression, call those of the module call's arguments, and
// docs the resource_changes entries of the policy documents.
func deferredPlan(refs, call string, docs ...string) string {
	return `{"format_version": "1.2",
"resource_changes": [
  {"address": "module.m[\"k\"].aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
   "change": {"actions": ["create"], "after": {"name": "r"}, "after_unknown": {"assume_role_policy": true, "arn": true}}}` +
		strings.Join(append([]string{""}, docs...), ",\n  ") + `],
"configuration": {"root_module": {"module_calls": {"m": {"source": "./m", "expressions": ` + call + `,
  "module": {"resources": [{"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
    "expressions": {"assume_role_policy": {"references": ` + refs + `}}}]}}}}}}`
}

// planDocChange is a resource_changes entry of a policy document read
// during apply.
func planDocChange(address, after, unknown string) string {
	return `{"address": "` + strings.ReplaceAll(address, `"`, `\"`) + `", "mode": "data", "type": "aws_iam_policy_document", "name": "d",
   "change": {"actions": ["read"], "after": ` + after + `, "after_unknown": ` + unknown + `}}`
}

func TestPlanDeferredDocument(t *testing.T) {
	const (
		stmt    = `{"statement": [{"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [{"type": "AWS", "identifiers": [null, "arn:aws:iam::222222222222:root"]}], "condition": [], "not_principals": [], "sid": ""}], "version": "2012-10-17"}`
		stmtUnk = `{"json": true, "statement": [{"principals": [{"identifiers": [true, false]}]}]}`
		unknown = `{"$unknown":"(known after apply)"}`
		want    = `{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"AWS":[{"$unknown":"(known after apply)"},"arn:aws:iam::222222222222:root"]}}],"Version":"2012-10-17"}`
	)
	inModule := planDocChange(`module.m["k"].data.aws_iam_policy_document.d`, stmt, stmtUnk)
	inRoot := func(key string) string {
		return planDocChange(`data.aws_iam_policy_document.d`+key, stmt, stmtUnk)
	}
	tests := []struct {
		name, plan, want string
	}{
		{"direct reference", deferredPlan(`["data.aws_iam_policy_document.d.json", "data.aws_iam_policy_document.d"]`, `{}`, inModule), want},
		{"through a variable", deferredPlan(`["var.trust"]`, `{"trust": {"references": ["data.aws_iam_policy_document.d.json", "data.aws_iam_policy_document.d"]}}`, inRoot("")), want},
		{"variable indexed by each.key", deferredPlan(`["var.trust"]`, `{"trust": {"references": ["data.aws_iam_policy_document.d", "each.key"]}}`, inRoot(`["k"]`), inRoot(`["other"]`)), want},
		{"variable indexed by a literal key", deferredPlan(`["var.trust"]`, `{"trust": {"references": ["data.aws_iam_policy_document.d[\"k\"].json", "data.aws_iam_policy_document.d[\"k\"]", "data.aws_iam_policy_document.d"]}}`, inRoot(`["k"]`)), want},
		{"instance not planned", deferredPlan(`["var.trust"]`, `{"trust": {"references": ["data.aws_iam_policy_document.d", "each.key"]}}`, inRoot(`["other"]`)), unknown},
		{"variable the call does not set", deferredPlan(`["var.trust"]`, `{}`, inRoot("")), unknown},
		{"part of a variable", deferredPlan(`["var.docs.trust", "var.docs"]`, `{"docs": {"references": ["data.aws_iam_policy_document.d"]}}`, inRoot("")), unknown},
		{"local value", deferredPlan(`["local.trust"]`, `{}`, inModule), unknown},
		{"two documents", deferredPlan(`["var.admin", "data.aws_iam_policy_document.d.json", "data.aws_iam_policy_document.d", "data.aws_iam_policy_document.e.json", "data.aws_iam_policy_document.e"]`, `{}`, inModule), unknown},
		{"document and a resource", deferredPlan(`["data.aws_iam_policy_document.d.json", "data.aws_iam_policy_document.d", "aws_iam_role.x.arn", "aws_iam_role.x"]`, `{}`, inModule), unknown},
		{"known json wins", deferredPlan(`["data.aws_iam_policy_document.d.json"]`, `{}`,
			planDocChange(`module.m["k"].data.aws_iam_policy_document.d`, `{"json": "{\"Statement\": [{\"Effect\": \"Deny\"}]}", "statement": []}`, `{}`)),
			`{"Statement":[{"Effect":"Deny"}]}`},
		{"whole statement unknown", deferredPlan(`["data.aws_iam_policy_document.d.json"]`, `{}`,
			planDocChange(`module.m["k"].data.aws_iam_policy_document.d`, `{"statement": [null, {"actions": ["sts:AssumeRole"]}], "version": ""}`, `{"statement": [true, {}]}`)),
			`{"Statement":[{"$unknown":"(known after apply)"},{"Action":["sts:AssumeRole"],"Effect":"Allow"}],"Version":"2012-10-17"}`},
		{"unknown principal type and condition values", deferredPlan(`["data.aws_iam_policy_document.d.json"]`, `{}`,
			planDocChange(`module.m["k"].data.aws_iam_policy_document.d`,
				`{"statement": [{"sid": "S", "actions": ["sts:AssumeRole"], "principals": [{"identifiers": ["x"]}, {"type": "AWS", "identifiers": ["a"]}, {"type": "AWS", "identifiers": ["b"]}], "condition": [{"test": "StringEquals", "variable": "sts:ExternalId"}, {"test": "StringEquals", "variable": "aws:SourceAccount", "values": ["1"]}]}]}`,
				`{"statement": [{"principals": [{"type": true}], "condition": [{"values": true}]}]}`)),
			`{"Statement":[{"Action":["sts:AssumeRole"],"Condition":{"StringEquals":{"aws:SourceAccount":["1"],"sts:ExternalId":{"$unknown":"(known after apply)"}}},"Effect":"Allow","Principal":{"${(known after apply)}":{"$unknown":"(known after apply)"},"AWS":["a","b"]},"Sid":"S"}],"Version":"2012-10-17"}`},
		{"star principal, unknown not_principals", deferredPlan(`["data.aws_iam_policy_document.d.json"]`, `{}`,
			planDocChange(`module.m["k"].data.aws_iam_policy_document.d`, `{"statement": [{"principals": [{"type": "*", "identifiers": ["*"]}]}]}`, `{"statement": [{"not_principals": true}]}`)),
			`{"Statement":[{"Effect":"Allow","NotPrincipal":{"$unknown":"(known after apply)"},"Principal":{"AWS":["*"]}}],"Version":"2012-10-17"}`},
		{"source and override documents", deferredPlan(`["data.aws_iam_policy_document.d.json"]`, `{}`,
			planDocChange(`module.m["k"].data.aws_iam_policy_document.d`,
				`{"source_policy_documents": ["{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"A\", \"Effect\": \"Allow\"}, {\"Sid\": \"B\", \"Effect\": \"Allow\"}]}"],
				  "statement": [{"sid": "A", "effect": "Deny"}],
				  "override_policy_documents": ["{\"Statement\": [{\"Sid\": \"B\", \"Effect\": \"Deny\"}]}", null]}`,
				`{"override_policy_documents": [false, true]}`)),
			`{"Statement":[{"$unknown":"(known after apply)"},{"$unknown":"(known after apply)"},{"$unknown":"(known after apply)"}],"Version":"2012-10-17"}`},
		{"known override", deferredPlan(`["data.aws_iam_policy_document.d.json"]`, `{}`,
			planDocChange(`module.m["k"].data.aws_iam_policy_document.d`,
				`{"statement": [{"sid": "A", "effect": "Allow"}, {"effect": "Allow"}], "override_policy_documents": ["{\"Statement\": [{\"Sid\": \"A\", \"Effect\": \"Deny\"}]}"]}`, `{}`)),
			`{"Statement":[{"Effect":"Deny","Sid":"A"},{"Effect":"Allow"}],"Version":"2012-10-17"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roles, diags := parsePlan(t, "p.json", []byte(tt.plan))
			if len(diags) > 0 || len(roles) != 1 {
				t.Fatalf("%d roles, diagnostics:\n%s", len(roles), messages(diags))
			}
			if roles[0].Name != `module.m["k"].aws_iam_role.r` {
				t.Errorf("role %s", roles[0].Name)
			}
			got, err := json.Marshal(roles[0].Policy)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("policy\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestParseAddr(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`aws_iam_role.r`, `[] aws_iam_role.r ""`},
		{`aws_iam_role.r[3]`, `[] aws_iam_role.r "[3]"`},
		{`module.a["x.y[1]"].module.b[0].data.aws_iam_policy_document.d["k\"]"]`, `[{a ["x.y[1]"]} {b [0]}] data.aws_iam_policy_document.d "[\"k\\\"]\"]"`},
		{`module.a.aws_iam_role.r`, `[{a }] aws_iam_role.r ""`},
		{`module.`, `bad`},
		{`module.a["x`, `bad`},
		{`module.a[]`, `bad`},
		{`aws_iam_role.r[0`, `bad`},
		{`aws_iam_role.r[0]x`, `bad`},
		{`module.a["x"]b.r`, `bad`},
		{``, `bad`},
	}
	for _, tt := range tests {
		a, ok := parseAddr(tt.in)
		got := "bad"
		if ok {
			got = fmt.Sprintf("%v %s %q", a.modules, a.resource, a.key)
		}
		if got != tt.want {
			t.Errorf("parseAddr(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
